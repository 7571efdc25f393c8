// Prints @google-cloud/storage's V4 signed read URLs, a reference for our GCS signer.
// stdin: JSON {"key": {"client_email", "private_key"}, "bucket", "names": [...],
//              "accessibleAtMs", "expiresSeconds"}; stdout: one URL per name.
// Signing is local (the library signs with the given private key); no network is used.
'use strict';
const path = require('path');
const modules = require('./node_modules_path.cjs')();
const { Storage } = require(path.join(modules, '@google-cloud/storage'));

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const storage = new Storage({ projectId: 'deltashare-test', credentials: input.key });
  const bucket = storage.bucket(input.bucket);
  const accessibleAt = new Date(input.accessibleAtMs);
  for (const name of input.names) {
    const [url] = await bucket.file(name).getSignedUrl({
      version: 'v4',
      action: 'read',
      accessibleAt,
      expires: input.accessibleAtMs + input.expiresSeconds * 1000,
    });
    process.stdout.write(url + '\n');
  }
}

main().catch((err) => {
  process.stderr.write(String(err.stack || err) + '\n');
  process.exit(1);
});
