/** What `status` reports (and the admin pages show): read from the store and the drop and quarantine folders. */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { App } from '../app.ts';
import type { StatusCounts } from '../store/db.ts';
import { isIgnoredName } from '../inbox/names.ts';
import { workDirOf } from '../inbox/watch.ts';

export interface FeedStatus {
  name: string;
  pattern: string;
  last_file: { name: string; outcome: string; records: number; finished_at: string; error: string | null } | null;
  last_ingested_at: string | null;
}

export interface Status {
  state: string;
  target: string;
  feeds: FeedStatus[];
  documents: { orders: number; invoices: number; credit_invoices: number; customers: number; orphan_line_sets: number };
  /** Published objects by what they are; the parts add up to `objects`. */
  published: StatusCounts['published'];
  outbox: { depth: number; failing: number; last_error: string | null };
  dirty_customers: number;
  files: { ingested: number; rejected: number; duplicate: number };
  inbox: string[];
  quarantine: { count: number; newest: { file: string; error: string } | null };
  invalid_documents: Array<{ key: string; message: string; source: string }>;
  /** PDFs whose document has not arrived (yet): not published until it does. */
  pdfs_waiting: Array<{ kind: string; id: string; file: string; since: string }>;
}

export async function collectStatus(app: App): Promise<Status> {
  const byOutcome = app.store.filesByOutcome();
  const counts = app.store.statusCounts();
  return {
    state: app.cfg.state,
    target: app.target.description,
    feeds: app.cfg.feeds.map((f) => ({
      name: f.name,
      pattern: f.pattern,
      last_file: app.store.lastFileOf(f.name) ?? null,
      last_ingested_at: app.store.lastIngestedAt(f.name),
    })),
    documents: counts.documents,
    published: counts.published,
    outbox: counts.outbox,
    dirty_customers: counts.dirty_customers,
    files: { ingested: byOutcome.ingested ?? 0, rejected: byOutcome.rejected ?? 0, duplicate: byOutcome.duplicate ?? 0 },
    // Files taken and not finished (in the work folder) are still waiting, first in line.
    inbox: [...(await list(workDirOf(app.cfg.folders.drop))), ...(await list(app.cfg.folders.drop))].filter((n) => !isIgnoredName(n, app.cfg.inbox.markers)),
    quarantine: await quarantine(app.cfg.folders.quarantine),
    invalid_documents: app.store
      .publishErrors()
      .map((r) => ({ key: r.key, message: r.message, source: `${r.src_file}:${r.src_line}` })),
    pdfs_waiting: app.store.ownerlessPdfs().map((p) => ({ kind: p.kind, id: p.id, file: p.src_file, since: p.received_at })),
  };
}

async function list(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Files in quarantine, and the newest one's first error from its NAME.error.json. */
async function quarantine(dir: string): Promise<Status['quarantine']> {
  const reports = (await list(dir)).filter((n) => n.endsWith('.error.json'));
  const files = (await list(dir)).filter((n) => !n.endsWith('.error.json'));
  let newest: { name: string; mtime: number } | undefined;
  for (const r of reports) {
    const m = (await stat(path.join(dir, r))).mtimeMs;
    if (!newest || m > newest.mtime) newest = { name: r, mtime: m };
  }
  if (!newest) return { count: files.length, newest: null };
  const report = JSON.parse(await readFile(path.join(dir, newest.name), 'utf8')) as { file: string; errors: Array<{ message: string }> };
  return { count: files.length, newest: { file: report.file, error: report.errors[0]?.message ?? '' } };
}
