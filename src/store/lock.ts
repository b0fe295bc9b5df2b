import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StateError } from './check.ts';

/** Who holds the state: written into the lock file, shown to a second instance. */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  command: string;
}

export interface StateLock {
  readonly file: string;
  readonly holder: LockHolder;
  release(): void;
}

export function lockFileOf(stateFile: string): string {
  return `${stateFile}.lock`;
}

/**
 * An exclusive claim on the state file for the daemon and every command that writes it: a lock file
 * beside it, created with O_EXCL, holding pid, host and start time. A lock left by a process that is
 * gone (kill -9, a crash) on this host is taken over; one held by a live process, or by another host
 * (a shared folder: we cannot tell whether it still runs), refuses with exit 2 naming the holder.
 */
export function acquireStateLock(stateFile: string, command: string): StateLock {
  const file = lockFileOf(stateFile);
  const holder: LockHolder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), command };
  try {
    mkdirSync(path.dirname(stateFile), { recursive: true });
  } catch (err) {
    throw stateFolderError(stateFile, file, err);
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o600);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        const other = readHolder(file);
        if (other && (other.host !== holder.host || isAlive(other.pid))) {
          throw new StateError(
            `the state ${stateFile} is in use by \`${other.command}\` (pid ${other.pid} on host ${other.host}, since ${other.since}); ` +
              'only one daemon or writing command at a time. Stop it first; read-only commands (status, verify without --repair, backup) work meanwhile. ' +
              `If that process is surely gone (another host), remove ${file}.`,
            'state-locked',
          );
        }
        // Left by a process that died (or half-written by one): take it over.
        try {
          unlinkSync(file);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw stateFolderError(stateFile, file, e);
        }
        continue;
      }
      throw stateFolderError(stateFile, file, err);
    }
    try {
      writeSync(fd, `${JSON.stringify(holder)}\n`);
    } finally {
      closeSync(fd);
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      // Only our own: a lock taken over after we were presumed dead is not ours to remove.
      if (readHolder(file)?.pid === holder.pid) {
        try {
          unlinkSync(file);
        } catch {
          /* already gone */
        }
      }
    };
    return { file, holder, release };
  }
  throw new StateError(`cannot take the lock ${file}: it keeps reappearing; another process is starting at the same moment`, 'state-locked');
}

/** The holder named in the lock file, or undefined when it is unreadable (empty: a writer killed mid-write). */
export function readHolder(file: string): LockHolder | undefined {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

function stateFolderError(stateFile: string, file: string, err: unknown): StateError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new StateError(`the state folder of ${stateFile} is not writable (${code} creating ${file}): give the service user write access to that folder, or point \`state\` in the config elsewhere`, 'state-access');
  }
  if (code === 'ENOENT' || code === 'ENOTDIR') return new StateError(`the state folder of ${stateFile} does not exist (${code}); create it or fix \`state\` in the config`, 'state-access');
  return new StateError(`cannot create the lock ${file}: ${(err as Error).message}`, 'state-access');
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
