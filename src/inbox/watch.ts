import { mkdir, readdir, rename, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import chokidar, { type FSWatcher } from 'chokidar';
import type { Logger } from 'pino';
import { byArrival, byName, type FileEntry } from './files.ts';
import { isIgnoredName } from './names.ts';
import { logCode } from '../errors.ts';

/** How a file's completeness is judged (a feed's `complete`). */
export type Completion = 'stable' | 'marker' | 'rename';

export interface InboxOptions {
  dir: string;
  /** `stable` files are complete when size and mtime have not changed for this long. */
  stableMs: number;
  rescanMs: number;
  usePolling: boolean;
  /** Marker suffixes (`.done`): NAME is complete once NAME.done exists, for `marker` files. */
  markers: readonly string[];
  order: 'mtime' | 'name';
  /** Which rule applies to a file name (its feed's `complete`; files of no feed: `stable`). */
  completion(name: string): Completion;
  log: Logger;
  /**
   * A file that looks cut off (looksCutOff) and was modified less than `writingGraceMs` ago is still
   * being written: it waits, even when its size has been stable for `stableMs` (a writer pausing).
   */
  writingGraceMs?: number;
  cutOff?(file: string): Promise<boolean>;
  /** Called when no file is ready, at most every rescanMs (the daemon checks its target here). */
  idle?(): Promise<void>;
  /** Wait this long before taking the next file (backoff while publishing fails). */
  retryAfterMs?(): number;
  /**
   * Called for one complete file at a time, oldest first; the inbox waits for it. The file has been
   * moved into the work folder (`taken`: its identity then); it leaves it to archive or quarantine,
   * or stays to be handed over again first (publishing unfinished, a stop, a crash).
   */
  handle(file: string, taken: TakenFile): Promise<void>;
}

/** What a file was when it was taken: it is still the same file while these hold. */
export interface TakenFile {
  size: number;
  mtimeMs: number;
  ino: number;
  dev: number;
}

/** The work folder inside the drop folder (a dot name: never a candidate, same filesystem, so moving in is a rename). */
export function workDirOf(drop: string): string {
  return path.join(drop, '.taken');
}

interface Candidate {
  size: number;
  mtimeMs: number;
  /** When size/mtime were last seen to change. */
  since: number;
}

/**
 * Watches the drop folder and hands over complete files strictly one at a time, in order, so deltas
 * apply in order. chokidar says that something happened; a periodic rescan catches what it missed
 * (network shares, events lost under load); completeness is decided by our own checks: stable size
 * and mtime, a marker file beside it, or (for writers that rename from a temporary name) at once.
 */
export class Inbox {
  private watcher: FSWatcher | undefined;
  private readonly candidates = new Map<string, Candidate>();
  private tick: NodeJS.Timeout | undefined;
  private rescanTimer: NodeJS.Timeout | undefined;
  private busy: Promise<void> = Promise.resolve();
  private working = false;
  private stopped = false;
  private lastIdle = 0;
  /** Files seen still being written, so that is logged once per file. */
  private readonly writing = new Set<string>();
  readonly workDir: string;

  constructor(private readonly opts: InboxOptions) {
    this.workDir = workDirOf(opts.dir);
  }

  async start(): Promise<void> {
    const { dir } = this.opts;
    this.watcher = chokidar.watch(dir, {
      depth: 0,
      ignoreInitial: false,
      usePolling: this.opts.usePolling,
      interval: 1000,
      // Markers must be seen (they complete a file); temporary names and our reports are not.
      ignored: (p: string) => p !== dir && isIgnoredName(path.basename(p)),
    });
    this.watcher.on('add', (p) => this.touch(p));
    this.watcher.on('change', (p) => this.touch(p));
    this.watcher.on('unlink', (p) => this.candidates.delete(p));
    this.watcher.on('error', (err) => this.opts.log.error({ ...logCode('watch-failed'), err }, 'watcher error'));
    await new Promise<void>((resolve) => this.watcher!.once('ready', () => resolve()));
    await this.rescan();
    const every = Math.max(50, Math.min(500, Math.floor(this.opts.stableMs / 4) || 50));
    this.tick = setInterval(() => void this.pump(), every);
    this.rescanTimer = setInterval(() => void this.rescan(), this.opts.rescanMs);
    this.opts.log.info({ dir, stableMs: this.opts.stableMs, polling: this.opts.usePolling, order: this.opts.order }, 'watching drop folder');
  }

  /** Stop taking files; resolves when the file in hand (if any) is done. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.tick);
    clearInterval(this.rescanTimer);
    await this.watcher?.close();
    // The handler's failure was logged when it happened; a stop only waits for it to end.
    await this.busy.catch(() => undefined);
  }

  private touch(file: string): void {
    if (path.dirname(file) !== this.opts.dir) return;
    let name = path.basename(file);
    const marker = this.opts.markers.find((s) => name.toLowerCase().endsWith(s.toLowerCase()));
    if (marker) name = name.slice(0, -marker.length);
    if (isIgnoredName(name, this.opts.markers)) return;
    const target = path.join(this.opts.dir, name);
    if (!this.candidates.has(target)) this.candidates.set(target, { size: -1, mtimeMs: -1, since: Date.now() });
  }

  private async rescan(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.opts.dir);
    } catch (err) {
      this.opts.log.error({ ...logCode('watch-failed'), err, dir: this.opts.dir }, 'cannot list drop folder');
      return;
    }
    for (const n of names) this.touch(path.join(this.opts.dir, n));
  }

  private async hasMarker(file: string): Promise<boolean> {
    for (const s of this.opts.markers) {
      try {
        await stat(file + s);
        return true;
      } catch {
        /* not this suffix */
      }
    }
    return false;
  }

  /** Files taken earlier and not finished (publishing, a stop, a crash): handed over again before anything new. */
  private async held(): Promise<FileEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.workDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: FileEntry[] = [];
    for (const name of names) {
      if (isIgnoredName(name, this.opts.markers)) continue;
      const file = path.join(this.workDir, name);
      const st = await stat(file).catch(() => undefined);
      if (st?.isFile()) out.push({ path: file, name, mtimeMs: st.mtimeMs, size: st.size });
    }
    return out.sort(this.opts.order === 'name' ? byName : byArrival);
  }

  /**
   * Moves a complete file into the work folder before it is read: an export renamed over the drop
   * folder's name meanwhile is a new file, taken next; the bytes read are the bytes archived.
   * Its markers go with it. Undefined when the file went away first.
   */
  private async take(file: string): Promise<string | undefined> {
    const dest = path.join(this.workDir, path.basename(file));
    await mkdirOnce(this.workDir);
    try {
      await rename(file, dest);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    for (const s of this.opts.markers) await rename(file + s, dest + s).catch(() => undefined);
    return dest;
  }

  private async hand(file: string): Promise<void> {
    const st = await stat(file);
    const taken: TakenFile = { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, dev: st.dev };
    this.busy = this.opts.handle(file, taken);
    try {
      await this.busy;
    } finally {
      // An empty work folder goes, so an idle drop folder is empty.
      await rmdir(this.workDir).catch(() => undefined);
    }
  }

  /** Re-stat candidates; hand the first complete one over when nothing is in progress. */
  private async pump(): Promise<void> {
    if (this.working || this.stopped) return;
    if ((this.opts.retryAfterMs?.() ?? 0) > 0) return;
    this.working = true;
    try {
      const earlier = (await this.held())[0];
      if (earlier) {
        await this.hand(earlier.path);
        return;
      }
      const now = Date.now();
      const ready: FileEntry[] = [];
      for (const [file, c] of this.candidates) {
        let st;
        try {
          st = await stat(file);
        } catch {
          this.candidates.delete(file); // gone, or only a marker without its file (yet)
          continue;
        }
        if (!st.isFile()) {
          this.candidates.delete(file);
          continue;
        }
        const changed = st.size !== c.size || st.mtimeMs !== c.mtimeMs;
        if (changed) {
          c.size = st.size;
          c.mtimeMs = st.mtimeMs;
          c.since = now;
        }
        const entry = { path: file, name: path.basename(file), mtimeMs: st.mtimeMs, size: st.size };
        const rule = this.opts.completion(entry.name);
        if (rule === 'rename' || (rule === 'marker' && (await this.hasMarker(file)))) {
          ready.push(entry);
        } else if (rule === 'stable' && !changed && now - c.since >= this.opts.stableMs) {
          // Stable is not complete when the content is cut off and was written lately: a writer pausing.
          if (this.opts.cutOff && Date.now() - st.mtimeMs < (this.opts.writingGraceMs ?? 0) && (await this.opts.cutOff(file))) {
            if (!this.writing.has(file)) {
              this.writing.add(file);
              this.opts.log.info({ file: entry.name, size: st.size, graceMs: this.opts.writingGraceMs }, 'file looks cut off and was written lately: still being written, waiting');
            }
            continue;
          }
          ready.push(entry);
        }
      }
      const next = ready.sort(this.opts.order === 'name' ? byName : byArrival)[0];
      if (next && !this.stopped) {
        this.candidates.delete(next.path);
        this.writing.delete(next.path);
        const taken = await this.take(next.path);
        if (taken) await this.hand(taken);
      } else if (!next && this.opts.idle && now - this.lastIdle >= this.opts.rescanMs) {
        this.lastIdle = now;
        await this.opts.idle();
      }
    } catch (err) {
      this.opts.log.error({ ...logCode('unexpected'), err }, 'inbox failure; will retry');
    } finally {
      this.working = false;
    }
  }
}

async function mkdirOnce(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
}
