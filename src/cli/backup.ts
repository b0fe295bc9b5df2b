/**
 * `vendre-pull backup FILE`: a consistent copy of the state file while the daemon keeps running
 * (see store/backup.ts); this prints what the copy holds.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ExitCodes, UsageError } from '../errors.ts';
import { formatAmount } from '../ops/progress.ts';
import { backupStore } from '../store/backup.ts';
import { progressFor, withApp, type GlobalOptions } from './context.ts';

export async function backupCommand(file: string, g: GlobalOptions, opts: { force?: boolean; json?: boolean }): Promise<number> {
  return withApp(
    g,
    async (app) => {
      const dest = path.resolve(file);
      if (dest === path.resolve(app.cfg.state)) throw new UsageError('backup: FILE is the state file itself; name another file', 'usage-file');
      const existing = await stat(dest).catch(() => undefined);
      if (existing && !opts.force) throw new UsageError(`backup: ${dest} exists; pass --force to replace it`, 'usage-file');
      const progress = progressFor(g, app.log);
      try {
        const bar = progress.start('backup', 0, 'pages');
        const report = await backupStore(app.store, dest, (done, total) => bar.update(done, undefined, total));
        bar.finish();
        app.log.info({ ...report }, 'state backed up');
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(report, null, 2)}\n`
            : `backup     ${dest}\nsize       ${formatAmount(report.bytes, 'bytes')}\nschema     version ${report.schemaVersion}\ncontents   ${report.documents} documents, ${report.manifest} published objects, ${report.outbox} outbox entries, ${report.files} file records\nintegrity  ${report.integrity}\n`,
        );
        return ExitCodes.OK;
      } finally {
        progress.close();
      }
    },
    { requires: ['state'] },
  );
}
