// Starts @20minutes/s3rver (an S3-compatible server that verifies Signature V4) for one test: the package has no
// working `bin` entry, so this is its command line. Tests and demo only; never shipped.
//   node s3rver_main.js <install dir> <port> <data dir> <bucket> <access key> <secret> [<key.pem> <cert.pem>]
// With a key and certificate it serves https instead of http.
// Prints "ready <port>" once it accepts connections; exits on SIGTERM.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [installDir, port, directory, bucket, accessKey, secret, keyFile, certFile] = process.argv.slice(2);
if (!secret) {
  console.error('usage: node s3rver_main.js <install dir> <port> <data dir> <bucket> <access key> <secret> [<key> <cert>]');
  process.exit(2);
}
const modules = path.join(installDir, 'node_modules', '@20minutes', 's3rver');
const S3rver = require(modules);
const accounts = require(path.join(modules, 'lib', 'models', 'account'));
// Only the test's own key pair is valid: the built-in S3RVER/S3RVER pair is revoked.
accounts.DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
accounts.DUMMY_ACCOUNT.createKeyPair(accessKey, secret);

const tls = keyFile && certFile ? { key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) } : {};
const server = new S3rver({
  ...tls,
  address: '127.0.0.1',
  port: Number(port),
  directory,
  silent: true,
  configureBuckets: [{ name: bucket }],
});
server.run((error, address) => {
  if (error) {
    console.error(`s3rver failed to start: ${error.message}`);
    process.exit(1);
  }
  console.log(`ready ${address.port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
