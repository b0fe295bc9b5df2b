import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { App } from '../app.ts';
import { DataError, ErrorCodes, FileRejected, logCode } from '../errors.ts';
import { archiveDir, moveNoClobber, sha256File, writeReport } from '../inbox/files.ts';
import { feedFor, pdfFor } from '../inbox/names.ts';
import type { TakenFile } from '../inbox/watch.ts';
import { publishDirty } from '../publish/cycle.ts';
import type { DrainEvent, DrainStats } from '../publish/drain.ts';
import type { PlanStats } from '../publish/plan.ts';
import { applyFile, type ApplyResult } from './apply.ts';
import { keepBlob, startsWithPdfMagic } from './blobs.ts';
import { partsOf } from './parts.ts';

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
  /** What the file was when the inbox took it: a file that changed since (a writer still at it) is put back, not archived or quarantined. */
  taken?: TakenFile;
  /** Aborts applying (the file is rolled back and stays where it is). */
  signal?: AbortSignal;
  /** Aborts publishing between batches (what is left stays in the outbox). */
  drainSignal?: AbortSignal;
  /** Reading progress: bytes read of the file's size, records so far (per chunk read; keep it cheap). */
  onProgress?: (p: ReadProgress) => void;
  /** After each target call of the file's publishing (metrics, progress). */
  onDrain?: (e: DrainEvent) => void;
  now?: () => Date;
}

export interface ReadProgress {
  bytes: number;
  size: number;
  records: number;
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
  /** The file changed after it was taken (a writer still at it): put back in the drop folder. */
  requeued?: boolean;
}

/** Whether the file is no longer what was taken (size, mtime, inode). */
async function changedSince(file: string, taken: TakenFile): Promise<boolean> {
  const st = await stat(file).catch(() => undefined);
  return !st || st.size !== taken.size || st.mtimeMs !== taken.mtimeMs || st.ino !== taken.ino || st.dev !== taken.dev;
}

/**
 * One input file through the whole flow: feed → read → map → store, with the dirty marks and the
 * file's history row, in ONE transaction → publish the dirty customers → archive. A rejected file
 * changes nothing, goes to quarantine with NAME.error.json beside it (when moving) and its errors are
 * returned; the caller goes on with the next file. A file is archived only once nothing waits to be
 * published (outbox empty, no dirty customer).
 */
export async function processFile(app: App, file: string, opts: ProcessOptions): Promise<FileReport> {
  const name = path.basename(file);
  const log = app.log.child({ file: name });
  const feed = feedFor(name, app.cfg.feeds);
  const { sha256, size } = await sha256File(file);
  const report: FileReport = { file: name, feed: feed?.name, outcome: 'rejected', errors: [] };
  const record = opts.record ?? true;
  let fileSeq: number | undefined;
  const pdf = feed ? undefined : pdfFor(name, app.cfg.pdfs);

  if (pdf) {
    report.feed = 'pdf';
    if (size === 0 || !(await startsWithPdfMagic(file))) {
      report.errors.push(new DataError(ErrorCodes.RECORD, size === 0 ? 'the PDF is empty (0 bytes)' : 'not a PDF (it does not start with %PDF-)', { file: name, line: 1, rule: 'pdf', hint: 'the file name matches a `pdfs` pattern; only PDF files belong there' }));
    } else if (!opts.dryRun) {
      // The bytes are kept by content in the state folder: the archived copy may move, the published one must not.
      const blob = await keepBlob(app.cfg.state, file, sha256);
      app.store.transaction(() => {
        const owner = app.store.upsertPdf(pdf.kind, pdf.id, { path: blob, sha256, size }, name);
        if (owner) app.store.markDirty(owner);
        // Info, not warn: PDFs may come first by design; status and the admin overview list the ones waiting.
        else log.info({ kind: pdf.kind, id: pdf.id }, 'PDF waits for its document (status lists it until the document arrives)');
        if (record) fileSeq = app.store.recordFileRow({ name, feed: 'pdf', sha256, size, outcome: 'ingested', records: 1, moved_to: null, error: null });
      });
      report.outcome = 'ingested';
    } else {
      report.outcome = 'ingested';
    }
  } else if (!feed) {
    report.errors.push(
      new DataError(ErrorCodes.NO_FEED, 'no feed pattern matches this file name', {
        file: name,
        rule: 'feed-pattern',
        hint: `patterns: ${[...app.cfg.feeds.map((f) => f.pattern), ...app.cfg.pdfs.map((p) => p.pattern)].join(', ')}`,
      }),
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
        const progress = opts.onProgress;
        const read = { bytes: 0, size, records: 0 };
        const hooks = progress ? { onBytes: (n: number) => progress({ ...read, bytes: (read.bytes = n) }) } : undefined;
        report.result = await applyFile(app.store, name, partsOf(file, feed, (f) => app.mapperFor(f), hooks), {
          onRecord: progress ? (n) => void (read.records = n) : undefined,
          maxDeleteShare: feed.maxDeleteShare ?? app.cfg.ingest.maxDeleteShare,
          maxErrors: app.cfg.ingest.maxErrors,
          force: opts.force ?? false,
          dryRun: opts.dryRun ?? false,
          onError: feed.onError,
          signal: opts.signal,
          beforeCommit: (result) => {
            if (opts.dryRun) return;
            if (record) {
              fileSeq = app.store.recordFileRow({ name, feed: feed.name, sha256, size, outcome: 'ingested', records: result.records, moved_to: null, error: null });
            }
          },
        });
        report.outcome = 'ingested';
        progress?.({ bytes: size, size, records: report.result.records });
        const { skipped, ...counts } = report.result;
        log.info({ feed: feed.name, ...counts, skipped: skipped.length, ms: Date.now() - started }, opts.dryRun ? 'file is valid' : 'file applied');
        for (const e of skipped) log.warn({ feed: feed.name, code: e.code, ref: e.ref, ...e.context }, `record skipped: ${e.message}`);
      } catch (err) {
        if (!(err instanceof FileRejected)) throw err;
        report.errors.push(...err.errors);
      }
    }
  }

  for (const e of report.errors) log.error({ feed: feed?.name, code: e.code, ref: e.ref, ...e.context }, e.message);
  if (opts.dryRun) return report;

  if (report.outcome === 'ingested' && opts.publish) {
    // The records are committed and their customers marked dirty: publishing can stop anywhere and resume.
    const started = Date.now();
    const s = await publishDirty({ ...app.publishContext(), signal: opts.drainSignal, onDrain: opts.onDrain });
    report.plan = { customers: s.customers, queued: s.planned, unchanged: s.unchanged, invalid: s.invalid };
    report.publish = { written: s.written, deleted: s.deleted, failed: s.failed, remaining: s.remaining };
    log.info({ feed: report.feed, customers: s.customers, written: s.written, deleted: s.deleted, unchanged: s.unchanged, invalid: s.invalid, ms: Date.now() - started }, 'published');
    if (s.remaining > 0) {
      report.pending = true;
      log.warn({ ...logCode('publish-pending'), remaining: s.remaining, failed: s.failed }, 'not archived yet: publishing did not finish (outbox or customers waiting); retried on the next cycle');
      return report;
    }
  }

  if (opts.move && opts.taken && (await changedSince(file, opts.taken))) {
    // A writer still at it (it paused longer than stableMs): these bytes are not the export. Back to
    // the drop folder, taken again once complete; applied records are applied again from the whole file.
    report.movedTo = await moveNoClobber(file, app.cfg.folders.drop, app.cfg.inbox.markers);
    report.requeued = true;
    log.warn({ ...logCode('file-changed'), feed: feed?.name, outcome: report.outcome, to: report.movedTo }, 'file changed while it was read: put back in the drop folder, taken again when complete');
    return report;
  }

  if (opts.move) {
    const when = opts.now?.() ?? new Date();
    const markers = app.cfg.inbox.markers;
    if (report.outcome === 'rejected') {
      report.movedTo = await moveNoClobber(file, app.cfg.folders.quarantine, markers, (dest) =>
        writeReport(`${dest}.error.json`, { file: name, feed: feed?.name ?? null, sha256, rejected_at: when.toISOString(), errors: report.errors.map((e) => e.toJSON()) }),
      );
      log.warn({ ...logCode(report.errors[0]?.rule ?? 'data'), feed: feed?.name, to: report.movedTo }, 'file quarantined');
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
