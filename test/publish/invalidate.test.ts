import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { CloudFrontInvalidator, planInvalidation } from '../../src/publish/targets/invalidate.ts';
import { drainOutbox } from '../../src/publish/drain.ts';
import { silent, tmpDir } from '../helpers.ts';
import { ingestSamples, s3Overrides, sampleAppWith } from '../support/s3-app.ts';
import { startS3rver } from '../support/s3rver.ts';

const opts = { prefix: 'v1', maxPathsPerCustomer: 3 };

test('planInvalidation: exact paths for few changes, one wildcard per busy customer, the whole prefix beyond CloudFront limits', () => {
  assert.deepEqual(planInvalidation([], opts), []);
  assert.deepEqual(planInvalidation(['customers/C1/orders/1.json', 'customers/C1/orders/pages/1.json', 'customers/C1/orders/1.json'], opts), [
    '/v1/customers/C1/orders/1.json',
    '/v1/customers/C1/orders/pages/1.json',
  ]);
  const busy = ['1', '2', '3', '4'].map((n) => `customers/C2/orders/pages/${n}.json`);
  assert.deepEqual(planInvalidation([...busy, 'customers/C3/invoices/9.json'], opts), ['/v1/customers/C2/*', '/v1/customers/C3/invoices/9.json']);
  // An encoded id (`~20` for a space) would need URL-encoding in the path: its customer is invalidated by wildcard.
  assert.deepEqual(planInvalidation(['customers/C4/orders/A~201.json'], opts), ['/v1/customers/C4/*']);
  // CloudFront allows 15 wildcard paths in progress: more busy customers → the whole prefix.
  const many = Array.from({ length: 16 }, (_, c) => busy.map((k) => k.replace('C2', `K${c}`))).flat();
  assert.deepEqual(planInvalidation(many, opts), ['/v1/*']);
  assert.deepEqual(planInvalidation(Array.from({ length: 5 }, (_, i) => `customers/C${i}/orders/1.json`), { ...opts, maxPaths: 4 }), ['/v1/*']);
});

test('one CreateInvalidation per cycle with the planned paths; a failed call keeps its keys for the next one', async () => {
  const calls: CreateInvalidationCommand['input'][] = [];
  let fail = true;
  const client = {
    async send(cmd: CreateInvalidationCommand) {
      calls.push(cmd.input);
      if (fail) throw Object.assign(new Error('Too many invalidations in progress'), { name: 'TooManyInvalidationsInProgress', $metadata: { httpStatusCode: 400 } });
      return { Invalidation: { Id: `I${calls.length}` } };
    },
  };
  const inv = new CloudFrontInvalidator({ ...opts, distributionId: 'E2EXAMPLE', log: silent(), client });
  assert.equal(await inv.invalidate(['customers/C1/orders/1.json']), undefined);
  fail = false;
  assert.equal(await inv.invalidate(['customers/C1/invoices/7.json']), 'I2');
  assert.equal(calls.length, 2);
  const second = calls[1]!;
  assert.equal(second.DistributionId, 'E2EXAMPLE');
  assert.deepEqual(second.InvalidationBatch?.Paths, { Quantity: 2, Items: ['/v1/customers/C1/invoices/7.json', '/v1/customers/C1/orders/1.json'] });
  assert.notEqual(second.InvalidationBatch?.CallerReference, calls[0]!.InvalidationBatch?.CallerReference, 'a new caller reference per batch');
  assert.equal(await inv.invalidate([]), undefined, 'nothing pending after a success: no call');
  assert.equal(calls.length, 2);
});

test('with s3.invalidation enabled, each publish cycle invalidates only what it overwrote or deleted, in one call', async () => {
  const s3 = await startS3rver(['vp-invalidate']);
  const calls: CreateInvalidationCommand['input'][] = [];
  const cloudFront = { send: async (cmd: CreateInvalidationCommand) => (calls.push(cmd.input), { Invalidation: { Id: `I${calls.length}` } }) };
  const app = sampleAppWith(
    tmpDir('vp-inv'),
    s3Overrides(s3.url, 'vp-invalidate', { invalidation: { enabled: true, distributionId: 'E2EXAMPLE', maxPathsPerCustomer: 5 } }),
    { cloudFront },
  );
  try {
    const reports = await ingestSamples(app);
    const written = reports.reduce((n, r) => n + (r.publish?.written ?? 0), 0);
    const invalidated = calls.flatMap((c) => c.InvalidationBatch!.Paths!.Items!);
    assert.ok(calls.length >= 1, 'the second export overwrote list pages of the first');
    assert.ok(invalidated.length < written / 4, `new objects are not invalidated (${invalidated.length} paths for ${written} writes)`);
    assert.ok(calls.every((c) => c.DistributionId === 'E2EXAMPLE' && c.InvalidationBatch!.Paths!.Quantity === c.InvalidationBatch!.Paths!.Items!.length));
    assert.ok(invalidated.every((p) => p.startsWith('/v1/customers/')), 'viewer paths: the Pull API prefix, not the bucket prefix');
    // One document deleted: exactly its path, in one call.
    const before = calls.length;
    const key = app.store.db.prepare<[], string>("SELECT key FROM manifest WHERE key LIKE '%/orders/%.json' AND key NOT LIKE '%pages%' ORDER BY key LIMIT 1").pluck().get()!;
    app.store.transaction(() => app.store.queueDelete(key, key.split('/')[1]!));
    await drainOutbox(app.store, app.target, silent());
    assert.equal(calls.length, before + 1);
    assert.deepEqual(calls.at(-1)!.InvalidationBatch!.Paths!.Items, [`/v1/${key}`]);
    // Nothing changed: no call.
    await drainOutbox(app.store, app.target, silent());
    assert.equal(calls.length, before + 1);
  } finally {
    app.close();
    await s3.close();
  }
});
