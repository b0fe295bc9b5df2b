import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import chokidar, { type FSWatcher } from 'chokidar';
import type { Logger } from 'pino';
import { byArrival, byName, type FileEntry } from './files.ts';
import { isIgnoredName } from './names.ts';

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
  /** Called for one complete file at a time, oldest first; the inbox waits for it. */
  handle(file: string): Promise<void>;
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

  constructor(private readonly opts: InboxOptions) {}

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
    this.watcher.on('error', (err) => this.opts.log.error({ err }, 'watcher error'));
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
    await this.busy;
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
      this.opts.log.error({ err, dir: this.opts.dir }, 'cannot list drop folder');
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

  /** Re-stat candidates; hand the first complete one over when nothing is in progress. */
  private async pump(): Promise<void> {
    if (this.working || this.stopped) return;
    this.working = true;
    try {
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
        if (rule === 'rename' || (rule === 'marker' && (await this.hasMarker(file))) || (rule === 'stable' && !changed && now - c.since >= this.opts.stableMs)) {
          ready.push(entry);
        }
      }
      const next = ready.sort(this.opts.order === 'name' ? byName : byArrival)[0];
      if (next && !this.stopped) {
        this.candidates.delete(next.path);
        this.busy = this.opts.handle(next.path);
        await this.busy;
      }
    } catch (err) {
      this.opts.log.error({ err }, 'inbox failure; will retry');
    } finally {
      this.working = false;
    }
  }
}
