import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { motoCommand } from '../support/moto.ts';

// Finding 10: the S3 suites run on s3rver (as every other test file) and here again on moto's
// server, which is truthful where s3rver is not (multipart ETags, AbortMultipartUpload, listings).
const SUITES = ['test/publish/s3.test.ts', 'test/publish/s3-multipart.test.ts', 'test/publish/s3-faults.test.ts', 'test/publish/invalidate.test.ts', 'test/faults/s3-marker.test.ts'];

test('the S3 suites pass on moto_server', () => {
  assert.ok(motoCommand().length > 0, 'moto server available (installed when missing)');
  // A runner of its own (not a child reporting to this one: NODE_TEST_CONTEXT unset), with TAP output to read.
  const env: NodeJS.ProcessEnv = { ...process.env, VENDRE_PULL_TEST_S3: 'moto' };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', '--test-concurrency=1', ...SUITES], {
    encoding: 'utf8',
    env,
    timeout: 900_000,
  });
  const summary = /# pass (\d+)[\s\S]*# fail (\d+)/.exec(r.stdout);
  assert.equal(r.status, 0, `S3 suites on moto failed:\n${r.stdout.split('\n').filter((l) => /^\s*not ok|error:|expected|actual/.test(l)).slice(0, 80).join('\n')}\n${r.stderr.slice(-3000)}`);
  assert.ok(summary && Number(summary[1]) > 10 && summary[2] === '0', `ran the suites: ${summary?.[0]}`);
});
