import { randomUUID } from 'node:crypto';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import { openStore, type Store } from './db.ts';

/**
 * The state cannot be used as it is (damaged, lost, held by another process, not writable): exit 2
 * with a message saying what was found and how to recover. A ConfigError, so every command already
 * reports it as such (a message, no stack).
 */
export class StateError extends ConfigError {
  constructor(message: string) {
    super(message, 'state');
  }
}

const RECOVER = (file: string) =>
  `To recover: restore a backup (\`vendre-pull backup\` writes one) over ${file}, then \`vendre-pull replay\` re-applies what the archive holds since; ` +
  `or move ${file} away and run \`vendre-pull replay --fresh\` to rebuild the state from the archive.`;

/**
 * Opens the state file, refusing what would otherwise start silently as an empty or wrong store:
 * a 0-byte file, a file that is not SQLite, a damaged one (quick_check), a schema from a newer
 * build, a folder that cannot be written. Every failure names the path and what to do.
 */
export function openCheckedStore(file: string, opts: { write: boolean }): Store {
  let size: number | undefined;
  try {
    size = statSync(file).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new StateError(`cannot read the state file ${file}: ${(err as Error).message}`);
  }
  // SQLite takes a 0-byte file for a new database: a truncated state would start empty and publish deletes.
  if (size === 0) throw new StateError(`the state file ${file} is empty (0 bytes): it was truncated or replaced, not created by vendre-pull. ${RECOVER(file)}`);
  if (opts.write) {
    const dir = path.dirname(file);
    try {
      accessSync(size === undefined ? nearestExisting(dir) : dir, constants.W_OK);
      if (size !== undefined) accessSync(file, constants.R_OK | constants.W_OK);
    } catch (err) {
      throw new StateError(`the state file ${file} or its folder is not writable (${(err as NodeJS.ErrnoException).code}): SQLite needs to write the file and its -wal and -shm beside it. Give the service user write access to ${dir}`);
    }
  }
  let store: Store;
  try {
    store = openStore(file);
  } catch (err) {
    throw explainOpenError(file, err);
  }
  try {
    const problems = quickCheck(store);
    if (problems.length > 0) throw new StateError(`the state file ${file} is damaged: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (${problems.length} problems)` : ''}. ${RECOVER(file)}`);
  } catch (err) {
    store.close();
    throw err instanceof StateError ? err : explainOpenError(file, err);
  }
  return store;
}

function nearestExisting(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      statSync(d);
      return d;
    } catch {
      if (path.dirname(d) === d) return d;
    }
  }
}

/** `PRAGMA quick_check`: the b-trees and their pages, without the index cross-check of integrity_check (O(n), seconds per GB). */
export function quickCheck(store: Store): string[] {
  const rows = store.db.pragma('quick_check') as Array<{ quick_check: string }>;
  return rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
}

export function explainOpenError(file: string, err: unknown): StateError {
  if (err instanceof StateError) return err;
  const code = (err as { code?: string }).code ?? '';
  const message = (err as Error)?.message ?? String(err);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || /malformed|not a database/i.test(message)) {
    return new StateError(`the state file ${file} is not a usable SQLite database (${message}). ${RECOVER(file)}`);
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || code === 'EACCES' || code === 'EROFS') {
    return new StateError(`cannot open the state file ${file} for writing (${code || message}): give the service user write access to the file and its folder (SQLite writes -wal and -shm beside it)`);
  }
  if (/schema version/.test(message)) return new StateError(`${file}: ${message}`);
  return new StateError(`cannot open the state file ${file}: ${message}`);
}

/** What identifies a state: a random id made once, and how far its history has come. */
export interface StateIdentity {
  id: string;
  /** The last history row (files.seq only grows: a state that lost commits is behind). */
  fileSeq: number;
  manifest: number;
}

function ensureMeta(store: Store): void {
  store.db.exec('CREATE TABLE IF NOT EXISTS state_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID');
}

/** The state's identity, giving it an id when it has none yet (a new state, or one from before ids). */
export function stateIdentity(store: Store): StateIdentity & { created: boolean } {
  ensureMeta(store);
  let id = store.db.prepare<[], string>("SELECT value FROM state_meta WHERE name = 'id'").pluck().get();
  let created = false;
  if (id === undefined) {
    id = randomUUID();
    store.db.prepare("INSERT INTO state_meta (name, value) VALUES ('id', ?)").run(id);
    created = true;
  }
  return { id, created, ...stateCounts(store) };
}

export function stateCounts(store: Store): { fileSeq: number; manifest: number } {
  const fileSeq = store.db.prepare<[], number>('SELECT coalesce(max(seq), 0) FROM files').pluck().get() ?? 0;
  const manifest = store.db.prepare<[], number>('SELECT count(*) FROM manifest').pluck().get() ?? 0;
  return { fileSeq, manifest };
}

/** Customers with published objects, all marked dirty and the manifest forgotten: the next publish writes everything again. */
export function forgetManifest(store: Store): number {
  return store.transaction(() => {
    store.db.exec('INSERT OR IGNORE INTO dirty (customer_no) SELECT DISTINCT customer_no FROM manifest');
    return store.db.prepare('DELETE FROM manifest').run().changes;
  });
}

/** Problems the outbox has now: entries that failed at least once, and the newest error. */
export function outboxFailures(store: Store): { failing: number; lastError: string | undefined } {
  const row = store.db.prepare<[], { failing: number; lastError: string | null }>('SELECT count(*) AS failing, max(last_error) AS lastError FROM outbox WHERE attempts > 0').get();
  return { failing: row?.failing ?? 0, lastError: row?.lastError ?? undefined };
}
