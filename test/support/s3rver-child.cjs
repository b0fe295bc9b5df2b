'use strict';
// Runs s3rver in its own process (started by test/support/s3rver.ts with --openssl-legacy-provider,
// which s3rver 3.7.1 needs on Node 20 for ListObjectsV2). Prints the bound address as one JSON line
// and exits when its stdin closes, so it never outlives the test process that started it.
const S3rver = require('s3rver');

const [directory, buckets] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: (buckets || '').split(',').filter(Boolean).map((name) => ({ name })),
});
server.run().then(
  (addr) => process.stdout.write(`${JSON.stringify(addr)}\n`),
  (err) => {
    process.stderr.write(`s3rver failed to start: ${err && err.stack}\n`);
    process.exit(1);
  },
);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
