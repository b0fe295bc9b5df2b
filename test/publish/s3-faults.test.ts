import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { App } from '../../src/app.ts';
import { publishDirty } from '../../src/publish/cycle.ts';
import { tmpDir } from '../helpers.ts';
import { startS3rver, type S3rverHandle } from '../support/s3rver.ts';
import { S3Proxy } from '../support/s3-proxy.ts';
import { ingestSamples, listBucket, s3Overrides, sampleAppWith } from '../support/s3-app.ts';

let s3: S3rverHandle;
let clean: S3Proxy;
let faulty: S3Proxy;

before(async () => {
  s3 = await startS3rver(['vp-clean', 'vp-faulty']);
  clean = await new S3Proxy({ upstream: s3.url }).start();
  // About one request in three fails on its first try, in every way S3 (or the path to it) fails.
  faulty = await new S3Proxy({
    upstream: s3.url,
    seed: 20251130,
    faults: { error500: 0.08, slowDown: 0.08, resetBefore: 0.05, resetAfter: 0.05, slow: 0.04 },
    slowMs: 1500,
  }).start();
});

after(async () => {
  await faulty?.close();
  await clean?.close();
  await s3?.close();
});

/** Publish cycles until the outbox is empty, as the daemon's rescans would; bounded. */
async function converge(app: App, maxCycles = 15): Promise<number> {
  for (let cycle = 1; cycle <= maxCycles; cycle++) {
    const stats = await publishDirty(app.publishContext());
    if (stats.remaining === 0) return cycle;
  }
  assert.fail(`the outbox did not drain in ${maxCycles} cycles (${app.store.outboxDepth()} left)`);
}

/** Removes one customer's documents (and its register entry and addresses) from the store, so the next cycle deletes its objects. */
function dropCustomer(app: App, customer: string): void {
  app.store.transaction(() => {
    app.store.db.prepare('DELETE FROM line_sets WHERE (kind, doc_id) IN (SELECT kind, id FROM docs WHERE customer_no = ?)').run(customer);
    app.store.db.prepare('DELETE FROM docs WHERE customer_no = ?').run(customer);
    app.store.db.prepare('DELETE FROM entities WHERE owner = ?').run(customer);
    app.store.markDirty(customer);
  });
}

test('through 500s, SlowDown, connection resets and slow responses, publishing converges on the same bucket as a clean run: nothing lost, outbox empty', async (t) => {
  const settings = { maxAttempts: 3, requestTimeoutMs: 700, connectTimeoutMs: 700 };
  const a = sampleAppWith(tmpDir('vp-clean'), s3Overrides(clean.url, 'vp-clean', settings));
  const b = sampleAppWith(tmpDir('vp-faulty'), s3Overrides(faulty.url, 'vp-faulty', settings));
  try {
    await ingestSamples(a);
    assert.equal(await converge(a), 1, 'the clean run needs one cycle');
    await ingestSamples(b);
    const cycles = await converge(b);

    // Then a customer disappears: deletes go through the same faults.
    dropCustomer(a, '10002');
    dropCustomer(b, '10002');
    await converge(a);
    await converge(b);

    const want = await listBucket(s3.client, 'vp-clean', 'tenant-a/v1/');
    const got = await listBucket(s3.client, 'vp-faulty', 'tenant-a/v1/');
    assert.ok(want.size > 300);
    assert.ok(![...want.keys()].some((k) => k.startsWith('customers/10002/')), 'the dropped customer is gone');
    assert.deepEqual(new Map([...got].sort()), new Map([...want].sort()), 'same keys, same ETags (MD5 of the bytes)');
    assert.equal(b.store.outboxDepth(), 0);
    const manifest = (app: App) => app.store.db.prepare('SELECT key, sha256, etag FROM manifest ORDER BY key').all();
    assert.deepEqual(manifest(b), manifest(a), 'the manifests agree, ETags included');

    for (const [fault, n] of Object.entries(faulty.injected)) assert.ok(n > 0, `fault ${fault} was injected (${n})`);
    assert.ok(faulty.counts.DELETE > 0, 'deletes went through the faulty proxy');
    // Diagnostic, not a timing assertion: how hard the run was.
    t.diagnostic(`faults injected ${JSON.stringify(faulty.injected)}, requests ${JSON.stringify(faulty.counts)}, cycles ${cycles}`);
  } finally {
    a.close();
    b.close();
  }
});
