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
  /**
   * Export runs (config `runs`): the run a file name belongs to, if any. Its files are handed over
   * together (handleRun) once a file of every member feed is complete, or once the run has waited
   * `waitMs` since its first file was complete without the rest.
   */
  runOf?(name: string): InboxRun | undefined;
  /** The files of one run, taken together into the work folder, in processing order. */
  handleRun?(files: ReadonlyArray<{ file: string; taken: TakenFile }>, run: InboxRun, waitedMs: number): Promise<void>;
}

/** What the inbox needs to know of a run (src/inbox/runs.ts finds it from the name). */
export interface InboxRun {
  /** Files with the same key are one run. */
  key: string;
  /** The run's config name: runs of one config entry are handed over in order, a waiting one holds later ones. */
  name: string;
  id: string;
  waitMs: number;
  /** The file is the run's marker (a `.done` name that is no file's marker). */
  marker?: boolean;
  /** The file's feed is an optional member: without a file of a required member it is taken alone. */
  optional?: boolean;
  /** Member feeds no file of `names` belongs to. */
  missing(names: readonly string[]): string[];
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
  /** Runs with a complete file, waiting for the rest: since when (their wait starts then). */
  private readonly waiting = new Map<string, number>();
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
    // A run's marker (`run_20251130.done`) is a candidate of its own, not the marker of a file `run_20251130`.
    if (this.opts.runOf?.(name)?.marker) {
      if (!this.candidates.has(file)) this.candidates.set(file, { size: -1, mtimeMs: -1, since: Date.now() });
      return;
    }
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
      if (isIgnoredName(name, this.opts.markers) && !this.opts.runOf?.(name)?.marker) continue;
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

  /**
   * The first ready file decides: a file in no run is taken alone (undefined); a run whose members
   * are all ready, or whose wait is over, is taken whole. A run still waiting holds later runs of its
   * config entry (they apply in order) but not other files, which are looked at in turn; 'wait' when
   * nothing may be taken now.
   */
  private pickRun(ready: FileEntry[], now: number): { run: InboxRun; files: FileEntry[]; waitedMs: number } | 'wait' | undefined {
    if (!this.opts.runOf || !this.opts.handleRun) return undefined;
    const held = new Set<string>();
    // A run none of whose files is ready any more (taken away by hand) waits afresh if it comes back.
    const present = new Set(ready.map((f) => this.opts.runOf!(f.name)?.key));
    for (const key of this.waiting.keys()) if (!present.has(key)) this.waiting.delete(key);
    for (const [i, entry] of ready.entries()) {
      const run = this.opts.runOf(entry.name);
      const files = run ? ready.filter((f) => this.opts.runOf!(f.name)?.key === run.key) : [];
      // A file of an optional member with no file of a required one (a shipments file sent again alone) is no run.
      if (!run || files.every((f) => this.opts.runOf!(f.name)?.optional)) {
        if (i > 0) ready.unshift(...ready.splice(i, 1));
        return undefined;
      }
      if (held.has(run.name)) continue;
      const missing = run.missing(files.map((f) => f.name));
      let since = this.waiting.get(run.key);
      if (since === undefined) this.waiting.set(run.key, (since = now));
      if (missing.length === 0 || now - since >= run.waitMs) return { run, files, waitedMs: now - since };
      if (now === since) this.opts.log.info({ run: run.name, run_id: run.id, files: files.map((f) => f.name), missing, waitMs: run.waitMs }, 'run waits for its other files');
      held.add(run.name);
    }
    return held.size > 0 ? 'wait' : undefined;
  }

  private async handRun(files: string[], run: InboxRun, waitedMs: number): Promise<void> {
    const handed: Array<{ file: string; taken: TakenFile }> = [];
    for (const file of files) {
      const st = await stat(file);
      handed.push({ file, taken: { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, dev: st.dev } });
    }
    this.busy = this.opts.handleRun!(handed, run, waitedMs);
    try {
      await this.busy;
    } finally {
      await rmdir(this.workDir).catch(() => undefined);
    }
  }

  /** Re-stat candidates; hand the first complete one over when nothing is in progress. */
  private async pump(): Promise<void> {
    if (this.working || this.stopped) return;
    if ((this.opts.retryAfterMs?.() ?? 0) > 0) return;
    this.working = true;
    try {
      const held = await this.held();
      const earlier = held[0];
      if (earlier) {
        let run = this.opts.handleRun ? this.opts.runOf?.(earlier.name) : undefined;
        // A crash between taking a run's files leaves the rest in the drop folder: they join it again.
        const left = run ? (await readdir(this.opts.dir).catch(() => [] as string[])).filter((n) => !isIgnoredName(n) && this.opts.runOf!(n)?.key === run!.key) : [];
        // An optional member's file taken alone is handed over alone again, unless a required member of its run is here too.
        if (run?.optional && ![...held.map((f) => f.name), ...left].some((n) => this.opts.runOf!(n)?.key === run!.key && !this.opts.runOf!(n)?.optional)) run = undefined;
        // Taken together (complete, or done waiting): handed over together again.
        if (run) {
          const files = held.filter((f) => this.opts.runOf!(f.name)?.key === run.key).map((f) => f.path);
          for (const name of left) {
            const taken = await this.take(path.join(this.opts.dir, name));
            this.candidates.delete(path.join(this.opts.dir, name));
            if (taken) files.push(taken);
          }
          await this.handRun(files, run, 0);
        } else {
          await this.hand(earlier.path);
        }
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
      ready.sort(this.opts.order === 'name' ? byName : byArrival);
      const pick = this.pickRun(ready, now);
      if (pick && pick !== 'wait' && !this.stopped) {
        for (const f of pick.files) {
          this.candidates.delete(f.path);
          this.writing.delete(f.path);
        }
        this.waiting.delete(pick.run.key);
        const taken: string[] = [];
        for (const f of pick.files) {
          const t = await this.take(f.path);
          if (t) taken.push(t);
        }
        if (taken.length > 0) await this.handRun(taken, pick.run, pick.waitedMs);
        return;
      }
      const next = pick === 'wait' ? undefined : ready[0];
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
