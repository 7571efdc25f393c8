// Starts Azurite's Blob service (an Azure Storage emulator that checks Shared Key and SAS
// signatures) on a free loopback port, in memory, and prints "READY <port>" once it
// accepts connections. Account: devstoreaccount1 with Azurite's published development key;
// account URL http://127.0.0.1:<port>/devstoreaccount1. Serves until killed.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const modules = require('./node_modules_path.cjs')();

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function accepting(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function main() {
  const port = await freePort();
  // Azurite writes a few bookkeeping files in its working directory even in memory mode.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-azurite-'));
  const child = spawn(process.execPath, [
    path.join(modules, 'azurite', 'dist', 'src', 'blob', 'main.js'),
    '--blobHost', '127.0.0.1', '--blobPort', String(port), '--inMemoryPersistence',
    '--silent', '--disableTelemetry', '--disableProductStyleUrl',
  ], { cwd: workspace, stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = () => {
    child.kill('SIGTERM');
    fs.rmSync(workspace, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  child.on('exit', (code) => {
    process.stderr.write(`azurite exited with ${code}\n`);
    process.exit(1);
  });
  for (let i = 0; i < 600; ++i) {
    if (await accepting(port)) {
      process.stdout.write(`READY ${port}\n`);
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  process.stderr.write('azurite did not start listening within 30 s\n');
  stop();
}

main();
