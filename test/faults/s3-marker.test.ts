import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { checkMarker, writeMarker } from '../../src/publish/marker.ts';
import { publishDirty } from '../../src/publish/cycle.ts';
import { verifyTarget, isClean } from '../../src/publish/verify.ts';
import { silent, tmpDir } from '../helpers.ts';
import { startS3rver, type S3rverHandle } from '../support/s3rver.ts';
import { ingestSamples, listBucket, s3Overrides, sampleAppWith } from '../support/s3-app.ts';

// Findings 4 and 5 on S3: the state marker sits beside the prefix (never listed, served or
// verified); a bucket emptied behind the daemon is found and written again from the manifest.
let s3: S3rverHandle;
before(async () => {
  s3 = await startS3rver(['vp-marker']);
});
after(async () => {
  await s3?.close();
});

test('S3: the marker lies outside the prefix; an emptied prefix is republished from the manifest', async () => {
  const app = sampleAppWith(tmpDir('vp-s3-marker'), s3Overrides(s3.url, 'vp-marker'));
  try {
    await ingestSamples(app);
    await writeMarker(app.store, app.target);
    const body = await s3.client.send(new GetObjectCommand({ Bucket: 'vp-marker', Key: 'tenant-a/v1.vendre-pull-state.json' }));
    const marker = JSON.parse(await body.Body!.transformToString()) as { files: number; manifest: number };
    assert.ok(marker.files > 0 && marker.manifest > 300, JSON.stringify(marker));
    assert.ok(isClean(await verifyTarget(app.store, app.target, silent())), 'verify does not see the marker');
    assert.equal(await checkMarker(app.store, app.target, silent()), 'ok');
    // Emptied behind our back.
    const keys = [...(await listBucket(s3.client, 'vp-marker', 'tenant-a/v1/')).keys()];
    assert.deepEqual((await app.target.delete(keys)) ?? [], []);
    assert.equal((await listBucket(s3.client, 'vp-marker', 'tenant-a/v1/')).size, 0);
    assert.equal(await checkMarker(app.store, app.target, silent()), 'republish');
    const s = await publishDirty(app.publishContext());
    assert.equal(s.written, keys.length);
    assert.ok(isClean(await verifyTarget(app.store, app.target, silent())));
  } finally {
    app.close();
  }
});
