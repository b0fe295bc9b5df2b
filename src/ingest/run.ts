/**
 * One export run (config `runs`) through the whole flow as one unit: every file of the run read and
 * mapped as today, all of them applied in ONE transaction, published once after the commit, then each
 * file archived. A rejected file quarantines the whole run (the others name it); a run that misses a
 * member (`requireComplete`) is quarantined whole with the reason on each file. Nothing half-done is
 * published: Vendre never sees an order without its lines, and list pages are written once per run.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { App } from '../app.ts';
import { DataError, ErrorCodes, FileRejected, logCode } from '../errors.ts';
import { archiveDir, moveNoClobber, sha256File, writeReport } from '../inbox/files.ts';
import { feedFor } from '../inbox/names.ts';
import { hasMarker, missingFeeds, type RunMatch } from '../inbox/runs.ts';
import type { TakenFile } from '../inbox/watch.ts';
import { publishDirty } from '../publish/cycle.ts';
import type { DrainEvent } from '../publish/drain.ts';
import { applyRun, type ApplyUnit } from './apply.ts';
import { partsOf } from './parts.ts';
import type { FileReport } from './process.ts';

export interface RunOptions {
  /** Move the files to archive/ or quarantine/ afterwards (the inbox); one-shot commands leave them. */
  move: boolean;
  /** Re-apply files whose bytes were ingested before (replay, ingest). */
  reapply?: boolean;
  force?: boolean;
  /** Publish after the commit (the daemon and ingest; replay publishes once at the end). */
  publish: boolean;
  /** Write the files' rows in the history (default true; replay does not). */
  record?: boolean;
  /**
   * A run without a file of every member feed is rejected whole (the daemon after `waitMs`, `ingest`).
   * Replay applies what the archive holds: it was accepted when it came.
   */
  requireComplete: boolean;
  /** A run with `marker` is incomplete without it (the daemon; `ingest` and replay take the files as given). */
  requireMarker?: boolean;
  /** How long the inbox waited for the missing members (for the message). */
  waitedMs?: number;
  /** What each file was when the inbox took it (same order as the files). */
  taken?: readonly TakenFile[];
  signal?: AbortSignal;
  drainSignal?: AbortSignal;
  onDrain?: (e: DrainEvent) => void;
  now?: () => Date;
}

export interface RunReport {
  run: string;
  id: string;
  /** One per file, in the order applied. */
  files: FileReport[];
  /** Member feeds no file came for (and the marker, when it was required and did not come). */
  missing: string[];
  outcome: 'ingested' | 'rejected';
  pending?: boolean;
  requeued?: boolean;
}

interface Member {
  file: string;
  name: string;
  sha256: string;
  size: number;
  report: FileReport;
  seq?: number;
  /** Applied by this call (not a duplicate, not resumed). */
  apply: boolean;
}

export async function processRun(app: App, files: readonly string[], match: RunMatch, opts: RunOptions): Promise<RunReport> {
  const { cfg } = app;
  const log = app.log.child({ run: match.run.name, run_id: match.id });
  const record = opts.record ?? true;
  const members: Member[] = [];
  for (const file of files) {
    const name = path.basename(file);
    const { sha256, size } = await sha256File(file);
    members.push({ file, name, sha256, size, apply: false, report: { file: name, feed: feedFor(name, cfg.feeds)?.name, outcome: 'rejected', errors: [] } });
  }
  const out: RunReport = { run: match.run.name, id: match.id, files: members.map((m) => m.report), missing: [], outcome: 'rejected' };
  const names = members.map((m) => m.name);
  const label = `run ${match.run.name} ${match.id}`;

  /** Every file of the run rejected: `failed` keeps its own errors, the others say why they go with it. */
  const rejectAll = (reason: (m: Member) => DataError | undefined) => {
    for (const m of members) {
      const own = reason(m);
      if (own) m.report.errors = [own];
      m.report.outcome = 'rejected';
    }
  };

  const feedsMissing = opts.requireComplete ? missingFeeds(match, names, cfg.feeds) : [];
  const markerMissing = opts.requireComplete && opts.requireMarker && !hasMarker(match, names, cfg) ? match.run.marker!.replace('{run}', match.id) : undefined;
  out.missing = [...feedsMissing, ...(markerMissing ? [markerMissing] : [])];
  if (out.missing.length > 0) {
    const waited = opts.waitedMs === undefined ? 'not waited for (given on the command line)' : `waited ${Math.round(opts.waitedMs / 1000)} s`;
    const what = [feedsMissing.length ? `no file of feed ${feedsMissing.join(', ')}` : '', markerMissing ? `no marker ${markerMissing}` : ''].filter(Boolean).join(', ');
    rejectAll(
      (m) =>
        new DataError(ErrorCodes.RECORD, `${label} is incomplete: ${what} (${waited}); files of the run: ${names.join(', ')}. Nothing of the run is applied`, {
          file: m.name,
          rule: 'run-incomplete',
          hint: `drop the missing file together with the run's quarantined files (${names.join(', ')}) into the drop folder again, or \`vendre-pull ingest\` them together`,
        }),
    );
    log.error({ ...logCode('run-incomplete'), missing: out.missing, files: names, waitedMs: opts.waitedMs }, `${label} is incomplete after its wait: its files are quarantined, nothing applied`);
  } else {
    const empty = members.find((m) => m.size === 0 && m.report.feed !== undefined);
    if (empty) empty.report.errors.push(new DataError(ErrorCodes.RECORD, 'the file is empty (0 bytes): a failed export?', { file: empty.name, line: 1, rule: 'empty-file', hint: 'an export without data still has its header row' }));
    else await applyMembers(app, members, match, opts, record, log);
    const failed = members.find((m) => m.report.errors.length > 0);
    if (failed) {
      rejectAll((m) =>
        m === failed
          ? undefined
          : new DataError(ErrorCodes.RECORD, `${label}: its file ${failed.name} was rejected (${failed.report.errors[0]!.ref}), so the whole run is quarantined; nothing of it is applied`, {
              file: m.name,
              rule: 'run-rejected',
              hint: `fix ${failed.name} (see ${failed.name}.error.json), then drop the run's files (${names.join(', ')}) back together`,
            }),
      );
      for (const e of failed.report.errors) log.error({ feed: failed.report.feed, code: e.code, ref: e.ref, ...e.context }, e.message);
      log.warn({ ...logCode('run-rejected'), failed: failed.name, files: names }, `${label}: ${failed.name} was rejected; the run's files go to quarantine together`);
    } else {
      out.outcome = 'ingested';
    }
  }

  if (out.outcome === 'ingested' && opts.publish) {
    // Every file of the run is committed: one publish for the run.
    const started = Date.now();
    const s = await publishDirty({ ...app.publishContext(), signal: opts.drainSignal, onDrain: opts.onDrain });
    const first = members[0]!.report;
    first.plan = { customers: s.customers, queued: s.planned, unchanged: s.unchanged, invalid: s.invalid };
    first.publish = { written: s.written, deleted: s.deleted, failed: s.failed, remaining: s.remaining };
    log.info({ files: names.length, customers: s.customers, written: s.written, deleted: s.deleted, unchanged: s.unchanged, invalid: s.invalid, ms: Date.now() - started }, 'published');
    if (s.remaining > 0) {
      out.pending = true;
      for (const m of members) m.report.pending = true;
      log.warn({ ...logCode('publish-pending'), remaining: s.remaining, failed: s.failed }, 'run not archived yet: publishing did not finish (outbox or customers waiting); retried on the next cycle');
      return out;
    }
  }

  if (opts.move && opts.taken) {
    const changed: Member[] = [];
    for (const [i, m] of members.entries()) if (await changedSince(m.file, opts.taken[i])) changed.push(m);
    if (changed.length > 0) {
      // A writer still at one of them: the whole run goes back and is taken again once complete.
      for (const m of members) {
        m.report.movedTo = await moveNoClobber(m.file, cfg.folders.drop, cfg.inbox.markers);
        m.report.requeued = true;
      }
      out.requeued = true;
      log.warn({ ...logCode('file-changed'), changed: changed.map((m) => m.name) }, `${label}: a file changed while it was read: the run's files are put back in the drop folder, taken again when complete`);
      return out;
    }
  }

  if (opts.move) {
    // One moment for the run: its files land in one archive day folder, where replay finds them together.
    const when = opts.now?.() ?? new Date();
    const markers = cfg.inbox.markers;
    for (const m of members) {
      const feed = m.report.feed ?? null;
      if (out.outcome === 'rejected') {
        m.report.movedTo = await moveNoClobber(m.file, cfg.folders.quarantine, markers, (dest) =>
          writeReport(`${dest}.error.json`, { file: m.name, feed, run: match.run.name, run_id: match.id, run_files: names, sha256: m.sha256, rejected_at: when.toISOString(), errors: m.report.errors.map((e) => e.toJSON()) }),
        );
        app.log.warn({ ...logCode(m.report.errors[0]?.rule ?? 'data'), file: m.name, feed, run: match.run.name, run_id: match.id, to: m.report.movedTo }, 'file quarantined');
      } else {
        const skipped = m.report.result?.skipped ?? [];
        m.report.movedTo = await moveNoClobber(m.file, archiveDir(cfg.folders.archive, when), markers, skipped.length === 0 ? undefined : (dest) =>
          writeReport(`${dest}.skipped.json`, { file: m.name, feed, sha256: m.sha256, skipped: skipped.map((e) => e.toJSON()) }),
        );
        app.log.info({ file: m.name, feed, run: match.run.name, run_id: match.id, to: m.report.movedTo, outcome: m.report.outcome }, 'file archived');
      }
    }
  }
  if (record) {
    for (const m of members) {
      // A run's marker says the run is complete; it is archived with it but is no export of its own.
      if (m.report.feed === undefined) continue;
      if (m.seq !== undefined) {
        if (m.report.movedTo) app.store.setMovedTo(m.seq, m.report.movedTo);
      } else {
        app.store.recordFileRow({ name: m.name, feed: m.report.feed ?? null, sha256: m.sha256, size: m.size, outcome: m.report.outcome, records: m.report.result?.records ?? 0, moved_to: m.report.movedTo ?? null, error: m.report.errors[0]?.message ?? null });
      }
    }
  }
  return out;
}

/** The files to apply, in one transaction; duplicates and files applied before a stop are not applied again. */
async function applyMembers(app: App, members: Member[], match: RunMatch, opts: RunOptions, record: boolean, log: App['log']): Promise<void> {
  const units: ApplyUnit[] = [];
  const applied: Member[] = [];
  for (const m of members) {
    const feed = feedFor(m.name, app.cfg.feeds);
    if (!feed) {
      // The run's marker: nothing to apply.
      m.report.outcome = 'ingested';
      continue;
    }
    const earlier = opts.reapply ? undefined : app.store.ingestedWithSha(m.sha256);
    if (earlier && earlier.moved_to === null) {
      // Applied with its run before a stop, never archived: finish publishing and archiving it.
      m.report.outcome = 'ingested';
      m.report.resumed = true;
      m.seq = earlier.seq;
      continue;
    }
    if (earlier) {
      log.info({ file: m.name, feed: feed.name, earlier: earlier.name }, 'same content as an earlier file: nothing to apply');
      m.report.outcome = 'duplicate';
      continue;
    }
    m.apply = true;
    applied.push(m);
    units.push({
      name: m.name,
      parts: partsOf(m.file, feed, (f) => app.mapperFor(f)),
      opts: {
        maxDeleteShare: feed.maxDeleteShare ?? app.cfg.ingest.maxDeleteShare,
        maxErrors: app.cfg.ingest.maxErrors,
        force: opts.force ?? false,
        onError: feed.onError,
        signal: opts.signal,
        beforeCommit: (result) => {
          if (record) m.seq = app.store.recordFileRow({ name: m.name, feed: feed.name, sha256: m.sha256, size: m.size, outcome: 'ingested', records: result.records, moved_to: null, error: null });
        },
      },
    });
  }
  if (units.length === 0) return;
  const started = Date.now();
  try {
    const results = await applyRun(app.store, units);
    for (const [i, m] of applied.entries()) {
      m.report.result = results[i]!;
      m.report.outcome = 'ingested';
      const { skipped, ...counts } = results[i]!;
      log.info({ file: m.name, feed: m.report.feed, ...counts, skipped: skipped.length }, 'file applied');
      for (const e of skipped) log.warn({ file: m.name, feed: m.report.feed, code: e.code, ref: e.ref, ...e.context }, `record skipped: ${e.message}`);
    }
    log.info({ files: units.length, ms: Date.now() - started }, `run ${match.run.name} ${match.id} applied in one transaction`);
  } catch (err) {
    if (!(err instanceof FileRejected)) throw err;
    const failed = applied.find((m) => m.name === err.file) ?? applied[0]!;
    failed.report.errors.push(...err.errors);
    // Nothing of the run was committed: files resumed or duplicated keep their earlier state, the run is rejected.
    for (const m of members) if (m !== failed) m.report.outcome = 'rejected';
  }
}

async function changedSince(file: string, taken: TakenFile | undefined): Promise<boolean> {
  if (!taken) return false;
  const st = await stat(file).catch(() => undefined);
  return !st || st.size !== taken.size || st.mtimeMs !== taken.mtimeMs || st.ino !== taken.ino || st.dev !== taken.dev;
}
