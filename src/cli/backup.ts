/**
 * `vendre-pull backup FILE`: a consistent copy of the state file while the daemon keeps running
 * (SQLite's online backup API through better-sqlite3's `db.backup()`: pages are copied in steps, and
 * writes that happen meanwhile are included or restarted, never torn). The copy is written under a
 * temporary name, checked (`PRAGMA integrity_check`, schema version, counts) and only then renamed
 * to FILE, so FILE is either a good backup or absent. Mode 0600: the state holds customer data.
 */
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ExitCodes, UsageError } from '../errors.ts';
import { formatAmount } from '../ops/progress.ts';
import { progressFor, withApp, type GlobalOptions } from './context.ts';

export interface BackupReport {
  file: string;
  bytes: number;
  schemaVersion: number;
  documents: number;
  manifest: number;
  outbox: number;
  files: number;
  integrity: string;
}

export async function backupCommand(file: string, g: GlobalOptions, opts: { force?: boolean; json?: boolean }): Promise<number> {
  return withApp(
    g,
    async (app) => {
      const dest = path.resolve(file);
      if (dest === path.resolve(app.cfg.state)) throw new UsageError('backup: FILE is the state file itself; name another file');
      const existing = await stat(dest).catch(() => undefined);
      if (existing && !opts.force) throw new UsageError(`backup: ${dest} exists; pass --force to replace it`);
      await mkdir(path.dirname(dest), { recursive: true });
      const tmp = `${dest}.partial-${process.pid}`;
      const progress = progressFor(g, app.log);
      try {
        const bar = progress.start('backup', 0, 'pages');
        await app.store.db.backup(tmp, {
          progress: ({ totalPages, remainingPages }) => {
            bar.update(totalPages - remainingPages, undefined, totalPages);
            return 1024;
          },
        });
        bar.finish();
        const report = checkBackup(tmp, dest);
        if (report.integrity !== 'ok') throw new Error(`backup: the copy failed its integrity check (${report.integrity}); ${dest} was not written`);
        await chmod(tmp, 0o600);
        await rename(tmp, dest);
        report.bytes = (await stat(dest)).size;
        app.log.info({ ...report }, 'state backed up');
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(report, null, 2)}\n`
            : `backup     ${dest}\nsize       ${formatAmount(report.bytes, 'bytes')}\nschema     version ${report.schemaVersion}\ncontents   ${report.documents} documents, ${report.manifest} published objects, ${report.outbox} outbox entries, ${report.files} file records\nintegrity  ${report.integrity}\n`,
        );
        return ExitCodes.OK;
      } finally {
        progress.close();
        await rm(tmp, { force: true });
        await rm(`${tmp}-wal`, { force: true });
        await rm(`${tmp}-shm`, { force: true });
      }
    },
    { requires: ['state'] },
  );
}

/** Opens the copy read-only and checks it: integrity, schema version, what it holds. */
export function checkBackup(file: string, label = file): BackupReport {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    return {
      file: label,
      bytes: 0,
      schemaVersion: db.pragma('user_version', { simple: true }) as number,
      documents: count('docs'),
      manifest: count('manifest'),
      outbox: count('outbox'),
      files: count('files'),
      integrity: String(db.pragma('integrity_check', { simple: true })),
    };
  } finally {
    db.close();
  }
}
