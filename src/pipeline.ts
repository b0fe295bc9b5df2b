import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { App } from './app.ts';
import { DataError, ErrorCodes, FileRejected } from './errors.ts';
import { archiveDir, feedFor, moveNoClobber, sha256File, writeReport } from './inbox/files.ts';
import { drainOutbox, type DrainStats } from './publish/drain.ts';
import { planCustomers, type PlanStats } from './publish/plan.ts';
import { readRecords } from './readers/index.ts';
import { applyFile, type ApplyResult } from './store/apply.ts';

export type FileOutcomeKind = 'ingested' | 'rejected' | 'duplicate';

export interface ProcessOptions {
  /** Move the file to archive/ or quarantine/ afterwards (the inbox); one-shot commands leave it. */
  move: boolean;
  /** Re-apply even when the same bytes were ingested before (replay, ingest). */
  reapply?: boolean;
  /** Override the full-mode deletion guard. */
  force?: boolean;
  /** Apply and roll back: check a file without changing anything (validate). */
  dryRun?: boolean;
  /** Plan and publish with the file (the daemon and ingest do; replay publishes once at the end). */
  publish: boolean;
  /** Write the file's row in the history (default true; replay re-applies history and does not). */
  record?: boolean;
  /** Aborts applying (the file is rolled back and stays where it is). */
  signal?: AbortSignal;
  /** Aborts publishing between batches (what is left stays in the outbox). */
  drainSignal?: AbortSignal;
  now?: () => Date;
}

export interface FileReport {
  file: string;
  feed: string | undefined;
  outcome: FileOutcomeKind;
  result?: ApplyResult;
  plan?: PlanStats;
  publish?: DrainStats;
  errors: DataError[];
  movedTo?: string;
  /** Applied, but the outbox is not drained yet: the file stays in the inbox and comes back. */
  pending?: boolean;
  /** The file had been applied before a stop; this run only finished publishing and archiving it. */
  resumed?: boolean;
}

/**
 * One input file through the whole flow: feed → read → map → store, with the publish plan and the
 * file's history row, in ONE transaction → drain the outbox → archive. A rejected file changes
 * nothing, goes to quarantine with NAME.error.json beside it (when moving) and its errors are
 * returned; the caller goes on with the next file. A file is archived only once its outbox drained.
 */
export async function processFile(app: App, file: string, opts: ProcessOptions): Promise<FileReport> {
  const name = path.basename(file);
  const log = app.log.child({ file: name });
  const feed = feedFor(name, app.cfg.feeds);
  const { sha256, size } = await sha256File(file);
  const report: FileReport = { file: name, feed: feed?.name, outcome: 'rejected', errors: [] };
  const record = opts.record ?? true;
  let fileSeq: number | undefined;

  if (!feed) {
    report.errors.push(
      new DataError(ErrorCodes.NO_FEED, 'no feed pattern matches this file name', { file: name, rule: 'feed-pattern', hint: `patterns: ${app.cfg.feeds.map((f) => f.pattern).join(', ')}` }),
    );
  } else if (size === 0) {
    report.errors.push(new DataError(ErrorCodes.RECORD, 'the file is empty (0 bytes): a failed export?', { file: name, line: 1, rule: 'empty-file', hint: 'an export without data still has its header row' }));
  } else {
    const earlier = opts.reapply || opts.dryRun ? undefined : app.store.ingestedWithSha(sha256);
    if (earlier && earlier.moved_to === null) {
      // Applied before a stop (or by `ingest`), never archived: finish its publishing and archive it.
      log.info({ feed: feed.name, sha256 }, 'already applied; finishing publish and archive');
      report.outcome = 'ingested';
      report.resumed = true;
      fileSeq = earlier.seq;
    } else if (earlier) {
      log.info({ feed: feed.name, sha256, earlier: earlier.name }, 'same content as an earlier file: nothing to apply');
      report.outcome = 'duplicate';
    } else {
      try {
        const started = Date.now();
        report.result = await applyFile(app.store, name, feed, () => readRecords(file, feed), app.mapperFor(feed), {
          maxDeleteShare: feed.maxDeleteShare ?? app.cfg.ingest.maxDeleteShare,
          maxErrors: app.cfg.ingest.maxErrors,
          force: opts.force ?? false,
          dryRun: opts.dryRun ?? false,
          onError: feed.onError,
          signal: opts.signal,
          beforeCommit: (result) => {
            if (opts.dryRun) return;
            if (opts.publish) report.plan = planCustomers(app.publishContext(), app.store.dirtyCustomers());
            if (record) {
              fileSeq = app.store.recordFileRow({ name, feed: feed.name, sha256, size, outcome: 'ingested', records: result.records, moved_to: null, error: null });
            }
          },
        });
        report.outcome = 'ingested';
        const { skipped, ...counts } = report.result;
        log.info({ feed: feed.name, ...counts, skipped: skipped.length, queued: report.plan?.queued, ms: Date.now() - started }, opts.dryRun ? 'file is valid' : 'file applied');
        for (const e of skipped) log.warn({ feed: feed.name, code: e.code, ...e.context }, `record skipped: ${e.message}`);
      } catch (err) {
        if (!(err instanceof FileRejected)) throw err;
        report.errors.push(...err.errors);
      }
    }
  }

  for (const e of report.errors) log.error({ feed: feed?.name, code: e.code, ...e.context }, e.message);
  if (opts.dryRun) return report;

  if (report.outcome === 'ingested' && opts.publish) {
    report.publish = await drainOutbox(app.store, app.target, log, { signal: opts.drainSignal });
    if (report.publish.remaining > 0) {
      report.pending = true;
      log.warn({ remaining: report.publish.remaining, failed: report.publish.failed }, 'not archived yet: the outbox is not drained; retried on the next cycle');
      return report;
    }
  }

  if (opts.move) {
    const when = opts.now?.() ?? new Date();
    const markers = app.cfg.inbox.markers;
    if (report.outcome === 'rejected') {
      report.movedTo = await moveNoClobber(file, app.cfg.folders.quarantine, markers, (dest) =>
        writeReport(`${dest}.error.json`, { file: name, feed: feed?.name ?? null, sha256, rejected_at: when.toISOString(), errors: report.errors.map((e) => e.toJSON()) }),
      );
      log.warn({ feed: feed?.name, to: report.movedTo }, 'file quarantined');
    } else {
      const skipped = report.result?.skipped ?? [];
      report.movedTo = await moveNoClobber(file, archiveDir(app.cfg.folders.archive, when), markers, skipped.length === 0 ? undefined : (dest) =>
        writeReport(`${dest}.skipped.json`, { file: name, feed: feed?.name ?? null, sha256, skipped: skipped.map((e) => e.toJSON()) }),
      );
      log.info({ feed: feed?.name, to: report.movedTo, outcome: report.outcome }, 'file archived');
    }
  }
  if (record) {
    if (fileSeq !== undefined) {
      if (report.movedTo) app.store.setMovedTo(fileSeq, report.movedTo);
    } else {
      app.store.recordFileRow({ name, feed: feed?.name ?? null, sha256, size, outcome: report.outcome, records: report.result?.records ?? 0, moved_to: report.movedTo ?? null, error: report.errors[0]?.message ?? null });
    }
  }
  return report;
}

export async function fileExists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
