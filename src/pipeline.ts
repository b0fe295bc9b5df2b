import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { App } from './app.ts';
import { DataError, ErrorCodes, FileRejected } from './errors.ts';
import { archiveDir, feedFor, moveNoClobber, sha256File, writeErrorReport } from './inbox/files.ts';
import { publishDirty, type PublishStats } from './publish/cycle.ts';
import { readRecords } from './readers/index.ts';
import { applyFile, type ApplyResult } from './store/apply.ts';

export type FileOutcomeKind = 'ingested' | 'rejected' | 'duplicate';

export interface ProcessOptions {
  /** Move the file to archive/ or quarantine/ afterwards (the inbox); one-shot commands leave it. */
  move: boolean;
  /** Re-apply even when the same bytes were ingested before (replay). */
  reapply?: boolean;
  /** Override the full-mode deletion guard. */
  force?: boolean;
  /** Apply and roll back: check a file without changing anything (validate). */
  dryRun?: boolean;
  /** Publish after applying (the daemon and ingest do; replay publishes once at the end). */
  publish: boolean;
  now?: () => Date;
}

export interface FileReport {
  file: string;
  feed: string | undefined;
  outcome: FileOutcomeKind;
  result?: ApplyResult;
  publish?: PublishStats;
  errors: DataError[];
  movedTo?: string;
}

/**
 * One input file through the whole flow: feed → read → map → store (one transaction) → publish →
 * archive. A rejected file changes nothing, is moved to quarantine with NAME.error.json beside it
 * (when moving), and its errors are returned; the caller keeps going with the next file.
 */
export async function processFile(app: App, file: string, opts: ProcessOptions): Promise<FileReport> {
  const name = path.basename(file);
  const log = app.log.child({ file: name });
  const feed = feedFor(name, app.cfg.feeds);
  const { sha256, size } = await sha256File(file);
  const report: FileReport = { file: name, feed: feed?.name, outcome: 'rejected', errors: [] };

  if (!feed) {
    report.errors.push(
      new DataError(ErrorCodes.NO_FEED, 'no feed pattern matches this file name', {
        file: name,
        rule: 'feed-pattern',
        hint: `patterns: ${app.cfg.feeds.map((f) => f.pattern).join(', ')}`,
      }),
    );
  } else {
    const earlier = opts.reapply || opts.dryRun ? undefined : app.store.ingestedWithSha(sha256);
    if (earlier !== undefined) {
      log.info({ feed: feed.name, sha256, earlier }, 'same content as an earlier file: nothing to apply');
      report.outcome = 'duplicate';
    } else {
      try {
        const started = Date.now();
        report.result = await applyFile(app.store, name, feed, readRecords(file, feed), app.mapperFor(feed), {
          maxDeleteShare: feed.maxDeleteShare ?? app.cfg.ingest.maxDeleteShare,
          maxErrors: app.cfg.ingest.maxErrors,
          force: opts.force ?? false,
          dryRun: opts.dryRun ?? false,
        });
        report.outcome = 'ingested';
        log.info({ feed: feed.name, ...report.result, ms: Date.now() - started }, opts.dryRun ? 'file is valid' : 'file applied');
      } catch (err) {
        if (!(err instanceof FileRejected)) throw err;
        report.errors.push(...err.errors);
      }
    }
  }

  for (const e of report.errors) log.error({ feed: feed?.name, code: e.code, ...e.context }, e.message);
  if (opts.dryRun) return report;

  // Publish before archiving: a file is archived only once its documents are out.
  if (report.outcome === 'ingested' && opts.publish) report.publish = await publishDirty(app.publishContext());

  if (opts.move) {
    const when = opts.now?.() ?? new Date();
    if (report.outcome === 'rejected') {
      report.movedTo = await moveNoClobber(file, app.cfg.folders.quarantine);
      await writeErrorReport(report.movedTo, {
        file: name,
        feed: feed?.name ?? null,
        sha256,
        rejected_at: when.toISOString(),
        errors: report.errors.map((e) => e.toJSON()),
      });
      log.warn({ feed: feed?.name, to: report.movedTo }, 'file quarantined');
    } else {
      report.movedTo = await moveNoClobber(file, archiveDir(app.cfg.folders.archive, when));
      log.info({ feed: feed?.name, to: report.movedTo }, 'file archived');
    }
  }
  app.store.recordFile({
    name,
    feed: feed?.name ?? null,
    sha256,
    size,
    outcome: report.outcome,
    records: report.result?.records ?? 0,
    moved_to: report.movedTo ?? null,
    error: report.errors[0]?.message ?? null,
  });
  return report;
}

export async function fileExists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
