import { ExitCodes } from '../errors.ts';
import { listArchive } from '../inbox/files.ts';
import { processFile } from '../ingest/process.ts';
import { processRun } from '../ingest/run.ts';
import { groupByRun } from '../inbox/runs.ts';
import path from 'node:path';
import { publishDirty } from '../publish/cycle.ts';
import { publishProgress } from '../ops/progress.ts';
import type { PublishStats } from '../publish/cycle.ts';
import { progressFor, withApp, type GlobalOptions } from './context.ts';

/** The human summary on stdout (logs go to stderr), so `replay | tee` keeps the result. */
export function formatPublished(title: string, s: PublishStats, extra = ''): string {
  return (
    `${title}${extra}: ${s.customers} customers rendered, ${s.written} objects written, ${s.deleted} deleted, ${s.unchanged} unchanged` +
    `${s.invalid ? `, ${s.invalid} documents failed their schema (see status)` : ''}${s.remaining ? `, ${s.remaining} still waiting (outbox or customers; see status)` : ''}\n`
  );
}

/**
 * `replay`: applies every archived file again, in the order it was first processed, then publishes
 * once. `--fresh` first forgets all canonical records (not the manifest), so the result is exactly
 * what the archive says; the manifest still limits uploads to what differs. Safe to run twice.
 */
export async function replayCommand(g: GlobalOptions, opts: { fresh?: boolean; force?: boolean }): Promise<number> {
  return withApp(g, async (app) => {
    await app.target.check();
    const files = await listArchive(app.cfg.folders.archive, app.cfg.inbox.markers);
    if (opts.fresh) {
      app.store.transaction(() => app.store.forgetDocuments());
    }
    app.log.info({ files: files.length, fresh: !!opts.fresh }, 'replaying archive');
    let rejected = 0;
    const progress = progressFor(g, app.log);
    let stats;
    try {
      // One bar over the bytes of the whole archive, then rendering and publishing.
      const bytes = files.reduce((n, f) => n + f.size, 0);
      const bar = progress.start('replay', bytes, 'bytes', `${files.length} files`);
      let before = 0;
      // The files of one export run were archived together (one day folder): applied together again.
      let i = 0;
      for (const group of groupByRun(files, (f) => f.name, app.cfg, (f) => path.dirname(f.path))) {
        if (group.run) {
          const r = await processRun(app, group.items.map((f) => f.path), group.run, { move: false, reapply: true, force: opts.force, publish: false, record: false, requireComplete: false });
          rejected += r.files.filter((f) => f.outcome === 'rejected').length;
          for (const f of group.items) before += f.size;
          i += group.items.length;
          bar.update(before, `file ${i}/${files.length} ${group.items.at(-1)!.name}`);
          continue;
        }
        const f = group.items[0]!;
        i++;
        const onProgress = (p: { bytes: number; records: number }) => bar.update(before + p.bytes, `file ${i}/${files.length} ${f.name}, ${p.records.toLocaleString('en-US')} records`);
        const r = await processFile(app, f.path, { move: false, reapply: true, force: opts.force, publish: false, record: false, onProgress });
        if (r.outcome === 'rejected') rejected++;
        before += f.size;
        bar.update(before);
      }
      bar.finish(`${files.length} files`);
      stats = await publishDirty({ ...app.publishContext(), ...publishProgress(progress) });
    } finally {
      progress.close();
    }
    app.log.info({ ...stats, rejected }, 'replay done');
    process.stdout.write(formatPublished('replay', stats, ` of ${files.length} archived files${rejected ? ` (${rejected} rejected)` : ''}`));
    return rejected > 0 || stats.invalid > 0 ? ExitCodes.DATA : ExitCodes.OK;
  }, { writer: opts.fresh ? 'replay --fresh' : 'replay', adopt: true });
}

/** `rebuild`: re-renders every customer from the store and publishes what differs. */
export async function rebuildCommand(g: GlobalOptions): Promise<number> {
  return withApp(g, async (app) => {
    await app.target.check();
    const customers = app.store.allCustomers();
    app.log.info({ customers: customers.length }, 'rebuilding');
    const progress = progressFor(g, app.log);
    let stats;
    try {
      stats = await publishDirty({ ...app.publishContext(), ...publishProgress(progress) }, customers);
    } finally {
      progress.close();
    }
    app.log.info({ ...stats }, 'rebuild done');
    process.stdout.write(formatPublished('rebuild', stats));
    return stats.invalid > 0 ? ExitCodes.DATA : ExitCodes.OK;
  }, { writer: 'rebuild' });
}
