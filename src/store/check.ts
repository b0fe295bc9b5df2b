import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type ConfigRule } from '../errors.ts';
import { openStore, type Store } from './db.ts';

/**
 * The state cannot be used as it is (damaged, lost, held by another process, not writable): exit 2
 * with a message saying what was found and how to recover. A ConfigError, so every command already
 * reports it as such (a message, no stack).
 */
export class StateError extends ConfigError {
  constructor(message: string, rule: StateRule) {
    super(message, 'state', undefined, rule);
  }
}

/** The catalogue's rules for a state that cannot be used (each exits 2 through the catalogue). */
export type StateRule = Extract<ConfigRule, `state-${string}`>;

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
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new StateError(`cannot read the state file ${file}: ${(err as Error).message}`, 'state-access');
  }
  // SQLite takes a 0-byte file for a new database: a truncated state would start empty and publish deletes.
  if (size === 0) throw new StateError(`the state file ${file} is empty (0 bytes): it was truncated or replaced, not created by vendre-pull. ${RECOVER(file)}`, 'state-damaged');
  if (opts.write) {
    const dir = path.dirname(file);
    try {
      accessSync(size === undefined ? nearestExisting(dir) : dir, constants.W_OK);
      if (size !== undefined) accessSync(file, constants.R_OK | constants.W_OK);
    } catch (err) {
      throw new StateError(`the state file ${file} or its folder is not writable (${(err as NodeJS.ErrnoException).code}): SQLite needs to write the file and its -wal and -shm beside it. Give the service user write access to ${dir}`, 'state-access');
    }
  }
  let store: Store;
  try {
    store = openStore(file);
  } catch (err) {
    throw explainOpenError(file, err);
  }
  try {
    const problems = store.quickCheck();
    if (problems.length > 0) throw new StateError(`the state file ${file} is damaged: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (${problems.length} problems)` : ''}. ${RECOVER(file)}`, 'state-damaged');
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

export function explainOpenError(file: string, err: unknown): StateError {
  if (err instanceof StateError) return err;
  const code = (err as { code?: string }).code ?? '';
  const message = (err as Error)?.message ?? String(err);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || /malformed|not a database/i.test(message)) {
    return new StateError(`the state file ${file} is not a usable SQLite database (${message}). ${RECOVER(file)}`, 'state-damaged');
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || code === 'EACCES' || code === 'EROFS') {
    return new StateError(`cannot open the state file ${file} for writing (${code || message}): give the service user write access to the file and its folder (SQLite writes -wal and -shm beside it)`, 'state-access');
  }
  if (/schema version/.test(message)) return new StateError(`${file}: ${message}`, 'state-schema');
  return new StateError(`cannot open the state file ${file}: ${message}`, 'state-open');
}
