// A fake Google Cloud Storage XML API for the GcsStore tests (node, no packages): objects
// in memory, and every request must carry a valid V4 signed-URL signature, which this
// server checks independently of our C++ signer — GOOG4-RSA-SHA256 with the public half
// of --key-file's service account key, or GOOG4-HMAC-SHA256 with --hmac ID:SECRET.
//
//   node fake_gcs.cjs [--key-file sa.json] [--hmac ID:SECRET] BUCKET...
//
// Serves HEAD/GET (with Range)/PUT (x-goog-if-generation-match: 0)/DELETE on
// /BUCKET/OBJECT and ListObjectsV2-style GET /BUCKET?list-type=2 (prefix, delimiter,
// max-keys, start-after, continuation-token, encoding-type=url). Prints "READY <port>".
// This is our reading of the GCS documentation, not Google's implementation.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');

const args = process.argv.slice(2);
const credentials = new Map();  // access id / client email -> {publicKey} | {secret}
const buckets = new Set();
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--key-file') {
    const key = JSON.parse(fs.readFileSync(args[++i], 'utf8'));
    credentials.set(key.client_email, { publicKey: crypto.createPublicKey(key.private_key) });
  } else if (args[i] === '--hmac') {
    const [id, secret] = args[++i].split(':');
    credentials.set(id, { secret });
  } else {
    buckets.add(args[i]);
  }
}

const objects = new Map();  // "bucket/name" -> {data, generation, mtime}
let generation = 1000;

const rfc3986 = (s) => encodeURIComponent(s).replace(/[!'()*]/g,
  (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const xmlEscape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();

function send(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
function error(res, status, code, message) {
  send(res, status, `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code>` +
                    `<Message>${xmlEscape(message)}</Message></Error>`,
       { 'Content-Type': 'application/xml' });
}

// Returns an error message, or null when the signature is valid.
function checkSignature(req, rawPath, rawQuery) {
  const pairs = rawQuery.split('&').filter((p) => p).map((p) => {
    const eq = p.indexOf('=');
    const name = decodeURIComponent(eq < 0 ? p : p.slice(0, eq));
    const value = eq < 0 ? '' : decodeURIComponent(p.slice(eq + 1));
    return [name, value];
  });
  const q = new Map(pairs);
  const algorithm = q.get('X-Goog-Algorithm');
  const needed = ['X-Goog-Algorithm', 'X-Goog-Credential', 'X-Goog-Date', 'X-Goog-Expires',
                  'X-Goog-SignedHeaders', 'X-Goog-Signature'];
  for (const n of needed) if (!q.has(n)) return [400, 'MissingSecurityHeader', `no ${n}`];
  const [id, date, region, service, terminator] = q.get('X-Goog-Credential').split('/');
  const cred = credentials.get(id);
  if (!cred) return [403, 'InvalidAccessKeyId', `unknown credential ${id}`];
  if (region !== 'auto' || service !== 'storage' || terminator !== 'goog4_request') {
    return [400, 'AuthorizationQueryParametersError', 'bad credential scope'];
  }
  const stamp = q.get('X-Goog-Date');
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
  if (!m || stamp.slice(0, 8) !== date) return [400, 'AuthorizationQueryParametersError', 'bad date'];
  const start = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  const expires = Number(q.get('X-Goog-Expires'));
  if (!(expires >= 1 && expires <= 604800)) return [400, 'AuthorizationQueryParametersError', 'bad expiry'];
  if (Date.now() > start + expires * 1000) return [400, 'ExpiredToken', 'the signed URL expired'];
  if (Date.now() < start - 15 * 60 * 1000) return [400, 'RequestNotYetValid', 'the signed URL is not valid yet'];

  const path = rawPath.split('/').map((seg) => rfc3986(decodeURIComponent(seg))).join('/');
  const query = pairs.filter(([n]) => n !== 'X-Goog-Signature')
    .map(([n, v]) => [rfc3986(n), rfc3986(v)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : (a[1] < b[1] ? -1 : 1)))
    .map(([n, v]) => `${n}=${v}`).join('&');
  const signed = q.get('X-Goog-SignedHeaders').split(';');
  for (const name of Object.keys(req.headers)) {
    if (name.startsWith('x-goog-') && !signed.includes(name)) {
      return [400, 'MissingSignedHeader', `${name} is sent but not signed`];
    }
  }
  const headerBlock = signed.map((h) => `${h}:${String(req.headers[h] || '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonical = [req.method, path, query, headerBlock, signed.join(';'), 'UNSIGNED-PAYLOAD'].join('\n');
  const scope = [date, region, service, terminator].join('/');
  const toSign = [algorithm, stamp, scope,
                  crypto.createHash('sha256').update(canonical).digest('hex')].join('\n');
  const signature = Buffer.from(q.get('X-Goog-Signature'), 'hex');
  let ok = false;
  if (algorithm === 'GOOG4-RSA-SHA256' && cred.publicKey) {
    ok = crypto.verify('sha256', Buffer.from(toSign), cred.publicKey, signature);
  } else if (algorithm === 'GOOG4-HMAC-SHA256' && cred.secret) {
    let key = hmac('GOOG4' + cred.secret, date);
    for (const part of [region, service, terminator]) key = hmac(key, part);
    ok = hmac(key, toSign).equals(signature);
  }
  return ok ? null : [403, 'SignatureDoesNotMatch', 'the signature does not match'];
}

function list(res, bucket, q) {
  const prefix = q.get('prefix') || '';
  const delimiter = q.get('delimiter') || '';
  const maxKeys = Math.min(1000, Number(q.get('max-keys') || 1000));
  const urlEncode = q.get('encoding-type') === 'url';
  let after = q.get('start-after') || '';
  if (q.get('continuation-token')) after = Buffer.from(q.get('continuation-token'), 'base64').toString('utf8');
  const names = [...objects.keys()].filter((k) => k.startsWith(bucket + '/'))
    .map((k) => k.slice(bucket.length + 1)).filter((n) => n.startsWith(prefix) && n > after)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const contents = [];
  const prefixes = new Set();
  let last = null;
  let truncated = false;
  for (const name of names) {
    if (contents.length + prefixes.size >= maxKeys) { truncated = true; break; }
    const rest = name.slice(prefix.length);
    const cut = delimiter ? rest.indexOf(delimiter) : -1;
    if (cut >= 0) {
      prefixes.add(prefix + rest.slice(0, cut + delimiter.length));
    } else {
      contents.push(name);
    }
    last = name;
  }
  const enc = (s) => xmlEscape(urlEncode ? rfc3986(s) : s);
  let xml = `<?xml version='1.0' encoding='UTF-8'?><ListBucketResult xmlns="http://doc.s3.amazonaws.com/2006-03-01">` +
            `<Name>${bucket}</Name><Prefix>${enc(prefix)}</Prefix><KeyCount>${contents.length}</KeyCount>` +
            `<MaxKeys>${maxKeys}</MaxKeys>${urlEncode ? '<EncodingType>url</EncodingType>' : ''}` +
            `<IsTruncated>${truncated}</IsTruncated>`;
  if (truncated) xml += `<NextContinuationToken>${Buffer.from(last).toString('base64')}</NextContinuationToken>`;
  for (const name of contents) {
    const o = objects.get(bucket + '/' + name);
    xml += `<Contents><Key>${enc(name)}</Key><Generation>${o.generation}</Generation>` +
           `<LastModified>${new Date(o.mtime).toISOString()}</LastModified>` +
           `<ETag>"${o.etag}"</ETag><Size>${o.data.length}</Size></Contents>`;
  }
  for (const p of prefixes) xml += `<CommonPrefixes><Prefix>${enc(p)}</Prefix></CommonPrefixes>`;
  send(res, 200, xml + '</ListBucketResult>', { 'Content-Type': 'application/xml' });
}

function handle(req, res, body) {
  const qmark = req.url.indexOf('?');
  const rawPath = qmark < 0 ? req.url : req.url.slice(0, qmark);
  const rawQuery = qmark < 0 ? '' : req.url.slice(qmark + 1);
  const bad = checkSignature(req, rawPath, rawQuery);
  if (bad) return error(res, ...bad);
  const q = new URLSearchParams(rawQuery);
  const slash = rawPath.indexOf('/', 1);
  const bucket = decodeURIComponent(slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash));
  if (!buckets.has(bucket)) return error(res, 404, 'NoSuchBucket', `no bucket ${bucket}`);
  if (slash < 0 || slash === rawPath.length - 1) {
    if (req.method === 'GET') return list(res, bucket, q);
    return error(res, 405, 'MethodNotAllowed', 'bucket operation not supported');
  }
  const name = decodeURIComponent(rawPath.slice(slash + 1));
  const id = bucket + '/' + name;
  const o = objects.get(id);
  if (req.method === 'PUT') {
    const match = req.headers['x-goog-if-generation-match'];
    if (match !== undefined && match !== (o ? String(o.generation) : '0')) {
      return error(res, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold.');
    }
    const etag = crypto.createHash('md5').update(body).digest('hex');
    objects.set(id, { data: body, generation: ++generation, mtime: Date.now(), etag });
    return send(res, 200, '', { ETag: `"${etag}"`, 'x-goog-generation': String(generation) });
  }
  if (req.method === 'DELETE') {
    if (!o) return error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
    objects.delete(id);
    return send(res, 204, '');
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return error(res, 405, 'MethodNotAllowed', req.method);
  if (!o) return error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
  const headers = { 'Last-Modified': new Date(o.mtime).toUTCString(), ETag: `"${o.etag}"`,
                    'x-goog-generation': String(o.generation), 'Content-Type': 'application/octet-stream' };
  let data = o.data;
  let status = 200;
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range || '');
  if (range) {
    const start = Number(range[1]);
    const end = Math.min(range[2] ? Number(range[2]) : data.length - 1, data.length - 1);
    if (start >= data.length) {
      return error(res, 416, 'InvalidRange', 'The requested range cannot be satisfied.');
    }
    headers['Content-Range'] = `bytes ${start}-${end}/${data.length}`;
    data = data.subarray(start, end + 1);
    status = 206;
  }
  res.writeHead(status, { ...headers, 'Content-Length': data.length });
  res.end(req.method === 'HEAD' ? undefined : data);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    try {
      handle(req, res, Buffer.concat(chunks));
    } catch (err) {
      error(res, 500, 'InternalError', String(err));
    }
  });
});
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`READY ${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
