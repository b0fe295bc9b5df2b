import path from 'node:path';
import { ExitCodes, UsageError } from '../errors.ts';
import { fileExists, processFile, type FileReport } from '../ingest/process.ts';
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
      // One at a time and in the order given: deltas must apply in order.
      for (const [i, f] of files.entries()) {
        const label = `${opts.dryRun ? 'validate' : 'ingest'}${files.length > 1 ? ` ${i + 1}/${files.length}` : ''} ${path.basename(f)}`;
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
