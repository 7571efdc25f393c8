// Starts @20minutes/s3rver (an S3 API emulator that verifies SigV4 signatures, also of
// pre-signed URLs) on a free loopback port, in a fresh temporary directory, with the
// buckets named on the command line (default "bucket"). Prints "READY <port>" and serves
// until killed. Credentials: access key "S3RVER", secret "S3RVER".
//
// s3rver 4.0.4 ignores If-None-Match on PUT. This script adds the semantics AWS documents
// for conditional writes (If-None-Match: * -> 412 PreconditionFailed when the key exists),
// serialized per key and evaluated after s3rver's own signature check, so put-if-absent
// races can be tested. That emulates AWS; it is not a property of s3rver.
//
// s3rver makes ListObjectsV2 continuation tokens with DES, which Node 20's OpenSSL 3 no
// longer has (every truncated listing fails with 500); DES is mapped to AES-128-CBC here.
//
// Known s3rver bug left alone: keys containing '&' or "'" come back double-escaped in
// listings ("&amp;amp;").
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const modules = require('./node_modules_path.cjs')();

const S3rver = require(path.join(modules, '@20minutes/s3rver'));
const objectCtrl = require(path.join(modules, '@20minutes/s3rver/lib/controllers/object.js'));
const S3Error = require(path.join(modules, '@20minutes/s3rver/lib/models/error.js'));

for (const name of ['createCipheriv', 'createDecipheriv']) {
  const original = crypto[name];
  crypto[name] = function (algorithm, key, iv, ...rest) {
    if (algorithm !== 'des') return original.call(crypto, algorithm, key, iv, ...rest);
    return original.call(crypto, 'aes-128-cbc', Buffer.concat([key, key]), Buffer.concat([iv, iv]));
  };
}

const buckets = process.argv.length > 2 ? process.argv.slice(2) : ['bucket'];
const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-s3rver-'));

const tails = new Map();  // "bucket/key" -> promise of the last conditional PUT
const plainPut = objectCtrl.putObject;
objectCtrl.putObject = async function conditionalPutObject(ctx) {
  if (ctx.headers['if-none-match'] !== '*') return plainPut(ctx);
  const id = ctx.params.bucket + '/' + ctx.params.key;
  const before = tails.get(id) || Promise.resolve();
  let release;
  const mine = new Promise((resolve) => { release = resolve; });
  tails.set(id, mine);
  await before;
  try {
    if (await ctx.store.existsObject(ctx.params.bucket, ctx.params.key)) {
      throw new S3Error('PreconditionFailed',
                        'At least one of the pre-conditions you specified did not hold',
                        { Condition: 'If-None-Match' });
    }
    return await plainPut(ctx);
  } finally {
    release();
    if (tails.get(id) === mine) tails.delete(id);
  }
};

const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: buckets.map((name) => ({ name })),
});
const cleanup = () => {
  fs.rmSync(directory, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', cleanup);
process.on('SIGINT', cleanup);
server.run().then((address) => {
  process.stdout.write(`READY ${address.port}\n`);
}, (err) => {
  process.stderr.write(`s3rver failed to start: ${err.stack || err}\n`);
  process.exit(1);
});
