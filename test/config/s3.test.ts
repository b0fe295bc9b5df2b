import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parseConfig } from '../../src/config/load.ts';
import { targetOf } from '../../src/config/types.ts';
import { ConfigError } from '../../src/errors.ts';
import { openTarget } from '../../src/publish/targets/open.ts';
import { LocalTarget } from '../../src/publish/targets/local.ts';
import { S3Target } from '../../src/publish/targets/s3.ts';
import { FLAT_ORDERS_FEED, silent } from '../helpers.ts';

const FILE = '/etc/vp/vendre-pull.yaml';
const feeds = `feeds:${FLAT_ORDERS_FEED}`;

function configError(yaml: string): ConfigError {
  try {
    parseConfig(yaml, FILE);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err;
  }
  assert.fail('expected a ConfigError');
}

test('the local directory stays the default target; publish and s3 settings get their documented defaults', () => {
  const cfg = parseConfig(feeds, FILE);
  assert.equal(cfg.target, path.resolve('/etc/vp/var/public'));
  assert.deepEqual(cfg.publish, { concurrency: 16, cacheControl: { document: 'max-age=300', list: 'max-age=60' } });
  assert.deepEqual(cfg.s3, {
    forcePathStyle: false,
    checksums: 'default',
    gzip: false,
    maxAttempts: 5,
    connectTimeoutMs: 5000,
    requestTimeoutMs: 30000,
    multipartThresholdMiB: 16,
    partSizeMiB: 8,
    invalidation: { enabled: false, maxPathsPerCustomer: 10 },
  });
  assert.ok(openTarget(cfg, silent()) instanceof LocalTarget);
});

test('an s3:// target keeps its URL; bucket and prefix parse; the target describes itself without secrets', () => {
  const cfg = parseConfig(`target: s3://vendre-history/prod/\ns3:\n  region: eu-north-1\n  endpoint: http://127.0.0.1:9000\n  forcePathStyle: true\n${feeds}`, FILE);
  assert.equal(cfg.target, 's3://vendre-history/prod/');
  assert.deepEqual(targetOf(cfg.target), { kind: 's3', bucket: 'vendre-history', prefix: 'prod' });
  assert.deepEqual(targetOf('s3://vendre-history'), { kind: 's3', bucket: 'vendre-history', prefix: '' });
  const target = openTarget(cfg, silent());
  assert.ok(target instanceof S3Target);
  assert.equal(target.description, 's3://vendre-history/prod/v1/ (endpoint http://127.0.0.1:9000, region eu-north-1)');
  assert.equal(target.concurrency, 16);
  target.destroy();
});

test('s3 config errors name the key and its line', () => {
  const bad = configError(`${feeds}\ntarget: s3://Vendre_History\ns3: { region: eu-north-1 }\n`);
  assert.equal(bad.key, 'target');
  assert.equal(bad.line, feeds.split('\n').length + 1);
  assert.match(bad.message, /vendre-pull\.yaml:\d+: `target` bucket name "Vendre_History" is not valid/);

  const noRegion = configError(`target: s3://vendre-history\n${feeds}`);
  assert.equal(noRegion.key, 's3.region');
  assert.match(noRegion.message, /`s3\.region` is required for an s3:\/\/ target/);

  const checksums = configError(`target: s3://vendre-history\ns3:\n  region: eu-north-1\n  checksums: never\n${feeds}`);
  assert.equal(checksums.key, 's3.checksums');
  assert.equal(checksums.line, 4);
  assert.match(checksums.message, /must be one of "default", "when-required"/);

  const secretInUrl = configError(`target: s3://vendre-history\ns3:\n  region: eu-north-1\n  endpoint: https://key:secret@minio.local\n${feeds}`);
  assert.equal(secretInUrl.key, 's3.endpoint');

  const keys = configError(`target: s3://vendre-history\ns3:\n  region: eu-north-1\n  accessKeyId: AKIA123\n${feeds}`);
  assert.match(keys.message, /`s3\.accessKeyId` is not a known key/);

  const inv = configError(`target: s3://vendre-history\ns3:\n  region: eu-north-1\n  invalidation:\n    enabled: true\n${feeds}`);
  assert.equal(inv.key, 's3.invalidation.distributionId');
  assert.equal(inv.line, 5, "inside the invalidation block");
});
