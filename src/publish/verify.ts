import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { ConfigError, logCode } from '../errors.ts';
import type { ManifestEntry, Store } from '../store/db.ts';
import { publishDirty, type PublishContext } from './cycle.ts';
import { drainOutbox } from './drain.ts';
import { normalizeEtag } from './targets/objects.ts';
import type { ListedObject, Target } from './targets/target.ts';

const gunzipAsync = promisify(gunzip);

export interface VerifyReport {
  target: string;
  /** Rows in the manifest (what the target should hold). */
  manifest: number;
  /** Objects the listing returned. */
  objects: number;
  /** In the manifest, not in the target. */
  missing: string[];
  /** In the target, not in the manifest (nor queued). */
  extra: string[];
  /** In both, with other content than the manifest says. */
  different: string[];
  /** Keys with an outbox entry: about to change, so not judged. */
  pending: number;
  /** Objects read whole because the manifest had no entity tag for them (published before schema 3). */
  fetched: number;
}

export function isClean(r: VerifyReport): boolean {
  return r.missing.length === 0 && r.extra.length === 0 && r.different.length === 0;
}

/**
 * Compares the target with the manifest: one listing, no request per object. A local target
 * reports each file's sha256; S3 reports ETags, compared with the ETag S3 returned when the put
 * was confirmed (for single-part uploads, gzip included, that is the MD5 of the stored bytes; with
 * SSE-KMS or multipart it is opaque but still stable, so the comparison holds). Rows without a
 * recorded ETag are checked by reading the object, and the ETag is recorded for next time.
 */
export async function verifyTarget(store: Store, target: Target, log: Logger, onProgress?: (phase: 'list' | 'read', done: number, total: number) => void): Promise<VerifyReport> {
  const queued = store.queuedKeys();
  const listed = new Map<string, ListedObject>();
  // Progress (optional): objects listed of what the manifest expects, then objects read.
  const expected = onProgress ? store.manifestCount() : 0;
  for await (const o of target.list()) {
    listed.set(o.key, o);
    onProgress?.('list', listed.size, expected);
  }
  const entries: ManifestEntry[] = [...store.manifestEntries()];
  const report: VerifyReport = { target: target.description, manifest: entries.length, objects: listed.size, missing: [], extra: [], different: [], pending: 0, fetched: 0 };
  const unknown: ManifestEntry[] = [];
  for (const entry of entries) {
    const obj = listed.get(entry.key);
    listed.delete(entry.key);
    if (queued.has(entry.key)) {
      report.pending++;
    } else if (!obj) {
      report.missing.push(entry.key);
    } else if (obj.sha256 !== undefined) {
      if (obj.sha256 !== entry.sha256) report.different.push(entry.key);
    } else if (entry.etag) {
      if (normalizeEtag(obj.etag) !== normalizeEtag(entry.etag)) report.different.push(entry.key);
    } else {
      unknown.push(entry);
    }
  }
  for (const key of listed.keys()) {
    if (queued.has(key)) report.pending++;
    else report.extra.push(key);
  }
  // Rows without an ETag: read the object and compare its content.
  const limit = pLimit(target.concurrency ?? 8);
  const learned: Array<[string, string]> = [];
  await Promise.all(
    unknown.map((entry) =>
      limit(async () => {
        report.fetched++;
        onProgress?.('read', report.fetched, unknown.length);
        const got = await target.get(entry.key);
        if (!got) return report.missing.push(entry.key);
        const content = got.contentEncoding === 'gzip' ? await gunzipAsync(got.body) : got.body;
        if (createHash('sha256').update(content).digest('hex') !== entry.sha256) return report.different.push(entry.key);
        if (got.etag) learned.push([entry.key, got.etag]);
        return undefined;
      }),
    ),
  );
  if (learned.length) store.transaction(() => learned.forEach(([key, etag]) => store.setManifestEtag(key, etag)));
  for (const list of [report.missing, report.extra, report.different]) list.sort();
  log.info({ target: target.description, manifest: report.manifest, objects: report.objects, missing: report.missing.length, extra: report.extra.length, different: report.different.length, pending: report.pending, fetched: report.fetched }, 'verified');
  return report;
}

export interface RepairResult {
  before: VerifyReport;
  after: VerifyReport;
  /** Objects written again (missing or different) and extra objects deleted. */
  rewritten: number;
  deleted: number;
}

/**
 * Makes the target match the manifest: publishes what is queued, verifies, then re-publishes
 * missing and different objects through the normal path (their bytes are not kept after a drain,
 * so the manifest forgets them and their customer is re-rendered: the plan queues them again),
 * deletes extra objects, and verifies again.
 */
export async function repairTarget(ctx: PublishContext, log: Logger, onProgress?: (phase: 'list' | 'read', done: number, total: number) => void, guard: { maxDeleteShare?: number; force?: boolean } = {}): Promise<RepairResult> {
  const { store, target } = ctx;
  await drainOutbox(store, target, log, { signal: ctx.signal });
  const before = await verifyTarget(store, target, log, onProgress);
  // An emptied or lost manifest makes every object "extra": deleting them all is never a repair.
  const share = guard.maxDeleteShare ?? 1;
  if (!guard.force && before.extra.length > 0 && before.extra.length > share * before.objects) {
    throw new ConfigError(
      `verify --repair: would delete ${before.extra.length} of the ${before.objects} objects on ${target.description} (more than verify.maxDeleteShare, ${Math.round(share * 100)} %): ` +
        'the manifest does not know them. Is this the right state file (a lost or replaced state looks like this)? Nothing was changed; check `vendre-pull status`, restore the state or `replay`, or pass --force to delete them.',
      'verify.maxDeleteShare',
      undefined,
      'repair-delete-share',
    );
  }
  const stale = [...before.missing, ...before.different];
  store.transaction(() => {
    for (const key of stale) {
      const customer = store.manifestCustomer(key);
      store.removeManifest(key);
      if (customer !== undefined) store.markDirty(customer);
    }
  });
  let rewritten = 0;
  if (stale.length > 0) {
    const stats = await publishDirty(ctx);
    rewritten = stats.written;
    log.info({ missing: before.missing.length, different: before.different.length, written: stats.written, remaining: stats.remaining }, 'repair: re-published');
  }
  let deleted = 0;
  if (before.extra.length > 0) {
    const failures = (await target.delete(before.extra)) ?? [];
    for (const f of failures) log.warn({ ...logCode('repair-delete-failed'), key: f.key, err: f.error }, 'repair: could not delete an extra object');
    deleted = before.extra.length - failures.length;
    log.info({ extra: before.extra.length, deleted }, 'repair: deleted extra objects');
  }
  const after = await verifyTarget(store, target, log, onProgress);
  return { before, after, rewritten, deleted };
}
