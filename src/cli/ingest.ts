import path from 'node:path';
import { ExitCodes, UsageError } from '../errors.ts';
import { fileExists, processFile, type FileReport } from '../ingest/process.ts';
import { processRun } from '../ingest/run.ts';
import { groupByRun } from '../inbox/runs.ts';
import { fileProgress } from '../ops/progress.ts';
import { progressFor, withApp, type GlobalOptions } from './context.ts';

/** `ingest FILE...` (apply and publish, files stay where they are) and `validate FILE...` (dry run). */
export async function ingestCommand(files: string[], g: GlobalOptions, opts: { dryRun: boolean; force?: boolean }): Promise<number> {
  for (const f of files) if (!(await fileExists(f))) throw new UsageError(`no such file: ${f}`, 'usage-file');
  return withApp(g, async (app) => {
    // validate publishes nothing: no health check (it would create a local target folder).
    if (!opts.dryRun) await app.target.check();
    const reports: FileReport[] = [];
    const progress = progressFor(g, app.log);
    try {
      // One at a time and in the order given: deltas must apply in order. The files of one export run
      // (config `runs`) are one unit, at the place of the first of them; validate checks each file alone.
      const groups = opts.dryRun ? files.map((f) => ({ run: undefined, items: [f] })) : groupByRun(files, (f) => path.basename(f), app.cfg);
      for (const [i, group] of groups.entries()) {
        if (group.run) {
          const r = await processRun(app, group.items.map((f) => path.resolve(f)), group.run, { move: false, reapply: true, force: opts.force, publish: true, requireComplete: true });
          reports.push(...r.files);
          continue;
        }
        const f = group.items[0]!;
        const label = `${opts.dryRun ? 'validate' : 'ingest'}${groups.length > 1 ? ` ${i + 1}/${groups.length}` : ''} ${path.basename(f)}`;
        reports.push(await processFile(app, path.resolve(f), { move: false, reapply: true, dryRun: opts.dryRun, force: opts.force, publish: !opts.dryRun, ...fileProgress(progress, label) }));
      }
    } finally {
      progress.close();
    }
    const rejected = reports.filter((r) => r.outcome === 'rejected');
    const invalid = reports.reduce((n, r) => n + (r.plan?.invalid ?? 0), 0);
    for (const r of reports) {
      const summary = r.outcome === 'rejected' ? `rejected (${r.errors.length} error(s))` : `${r.outcome}, ${r.result?.records ?? 0} records`;
      process.stdout.write(`${r.file}: ${summary}\n`);
      for (const e of r.errors) process.stdout.write(`  ${e.message} [${e.ref}]\n    hint: ${e.hint}\n`);
    }
    return rejected.length > 0 || invalid > 0 ? ExitCodes.DATA : ExitCodes.OK;
  }, opts.dryRun ? { memoryIfNoState: true } : { writer: 'ingest' });
}
