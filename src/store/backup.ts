/**
 * A consistent copy of the state file while the daemon keeps running (SQLite's online backup API
 * through better-sqlite3's `db.backup()`: pages are copied in steps, and writes that happen meanwhile
 * are included or restarted, never torn). The copy is written under a temporary name, checked
 * (`PRAGMA integrity_check`, schema version, counts) and only then renamed to the destination, so
 * that file is either a good backup or absent. Mode 0600: the state holds customer data.
 */
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from './db.ts';

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

/** Copies the store to `dest` (an absolute path); `onPages` follows the copy page by page. */
export async function backupStore(store: Store, dest: string, onPages?: (done: number, total: number) => void): Promise<BackupReport> {
  await mkdir(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.partial-${process.pid}`;
  try {
    await store.backup(tmp, ({ totalPages, remainingPages }) => {
      onPages?.(totalPages - remainingPages, totalPages);
      return 1024;
    });
    const report = checkBackup(tmp, dest);
    if (report.integrity !== 'ok') throw new Error(`backup: the copy failed its integrity check (${report.integrity}); ${dest} was not written`);
    await chmod(tmp, 0o600);
    await rename(tmp, dest);
    report.bytes = (await stat(dest)).size;
    return report;
  } finally {
    await rm(tmp, { force: true });
    await rm(`${tmp}-wal`, { force: true });
    await rm(`${tmp}-shm`, { force: true });
  }
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
