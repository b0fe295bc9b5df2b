/**
 * Progress of long work (ingest, replay, rebuild, verify, backup) as ops see it: a bar with rate and
 * ETA when stderr is a terminal (cli-progress), plain periodic log lines otherwise (a service, CI, a
 * pipe into a file). The work itself only calls `update(done)`; the pure modules know nothing of this
 * and get optional callbacks (`onProgress`, `onDrain`) that the commands connect here.
 *
 * One bar at a time: `start()` ends the previous one. Log lines written while a bar is on the screen
 * clear its line first (see `writeAroundBar`, used by the pretty logger), and the bar is redrawn
 * on its next tick, so logs and bar do not garble each other.
 */
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import cliProgress from 'cli-progress';
import type { Logger } from 'pino';
import type { DrainEvent } from '../publish/drain.ts';

export type ProgressUnit = 'bytes' | 'records' | 'customers' | 'objects' | 'files' | 'pages';

export interface ProgressOptions {
  log: Logger;
  /** Where the bar is drawn (default stderr); a bar only when it is a terminal, log lines otherwise. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** false: neither bar nor progress lines (`--no-progress`). */
  enabled?: boolean;
  /** Plain mode: at most one line per interval (default $VENDRE_PULL_PROGRESS_MS or 10 s), and one when a bar ends. */
  intervalMs?: number;
  /** Terminal: the bar appears only once work has lasted this long (default 1 s): small work draws none. */
  delayMs?: number;
  now?: () => number;
}

export interface ProgressBar {
  /** `done` of `total` (total may grow: work found on the way); `detail` is a short free text. */
  update(done: number, detail?: string, total?: number): void;
  /** Ends the bar (the plain mode logs the final line). */
  finish(detail?: string): void;
}

export interface Progress {
  start(task: string, total: number, unit: ProgressUnit, detail?: string): ProgressBar;
  /** Ends whatever bar is open; call in `finally`. */
  close(): void;
}

/**
 * cli-progress saves the cursor position when a bar starts and restores it when it stops. Log lines
 * written in between move the bar down, so the restore would jump back into them: this terminal
 * keeps the cursor where it is (the bar is always on the last line).
 */
type TerminalCtor = new (stream: NodeJS.WritableStream) => object;
const Terminal = createRequire(import.meta.url)('cli-progress/lib/terminal') as TerminalCtor;
class StayingTerminal extends Terminal {
  cursorSave(): void {}
  cursorRestore(): void {}
}

const NOOP_BAR: ProgressBar = { update: () => undefined, finish: () => undefined };

/** The bar currently on the terminal, so log lines can clear its line before they are written. */
let active: { stream: NodeJS.WritableStream } | undefined;

/**
 * Writes `text` (complete lines) to `fd`, first clearing the progress bar's line when one is drawn
 * (the bar redraws itself on its next tick). Used by the pretty (TTY) logger.
 */
export function writeAroundBar(fd: number, text: string): void {
  if (active) active.stream.write('\r\x1b[2K');
  writeSync(fd, text);
}

export function defaultIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.VENDRE_PULL_PROGRESS_MS);
  return env.VENDRE_PULL_PROGRESS_MS !== undefined && Number.isFinite(v) && v >= 0 ? v : 10_000;
}

export function createProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  const enabled = opts.enabled ?? true;
  const tty = !!stream.isTTY;
  const now = opts.now ?? Date.now;
  const interval = opts.intervalMs ?? defaultIntervalMs();
  let current: ProgressBar | undefined;

  const close = () => {
    current?.finish();
    current = undefined;
  };

  return {
    start(task, total, unit, detail) {
      close();
      if (!enabled) return NOOP_BAR;
      current = tty ? ttyBar(stream, task, total, unit, now, opts.delayMs ?? 1000, detail) : plainBar(opts.log, task, total, unit, now, interval);
      return current;
    },
    close,
  };
}

interface Figures {
  percent: number;
  /** Units per second since the bar started. */
  rate: number;
  /** Seconds left at that rate; undefined while unknown. */
  eta: number | undefined;
}

function figures(done: number, total: number, startedAt: number, at: number): Figures {
  const elapsed = Math.max(0.001, (at - startedAt) / 1000);
  const rate = done / elapsed;
  const percent = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100;
  const eta = done > 0 && total >= done && rate > 0 ? (total - done) / rate : undefined;
  return { percent, rate, eta };
}

function ttyBar(stream: NodeJS.WritableStream, task: string, total: number, unit: ProgressUnit, now: () => number, delayMs: number, detail?: string): ProgressBar {
  const startedAt = now();
  const options: cliProgress.Options & { terminal: object } = {
    stream,
    terminal: new StayingTerminal(stream),
    format: '{task} [{bar}] {percentage}% | {amount} | {rate} | ETA {eta_text}{detail}',
    barsize: 24,
    hideCursor: false,
    clearOnComplete: true,
    // Redraw on every tick even when nothing changed: a log line may have cleared the bar's line.
    forceRedraw: true,
    fps: 5,
  };
  const bar = new cliProgress.SingleBar(options);
  let last = 0;
  let size = Math.max(0, total);
  const payload = (done: number, text?: string) => {
    const f = figures(done, size, startedAt, now());
    return {
      task,
      amount: `${formatAmount(done, unit)}/${formatAmount(size, unit)}`,
      rate: `${formatAmount(f.rate, unit, true)}/s`,
      eta_text: f.eta === undefined ? '?' : formatSeconds(f.eta),
      detail: text ? ` | ${text}` : '',
    };
  };
  let text = detail;
  let finished = false;
  let drawn = false;
  // A bar for work that is over in a moment (a 1 kB file) only flickers: it is drawn once the work has lasted delayMs.
  const draw = () => {
    if (drawn || finished) return;
    drawn = true;
    bar.start(size, last, payload(last, text));
    active = { stream };
  };
  const timer = delayMs > 0 ? setTimeout(draw, delayMs) : undefined;
  timer?.unref();
  if (!timer) draw();
  return {
    update(done, d, t) {
      if (finished) return;
      if (d !== undefined) text = d;
      if (t !== undefined && t !== size) {
        size = t;
        if (drawn) bar.setTotal(t);
      }
      if (done > size) {
        size = done;
        if (drawn) bar.setTotal(done);
      }
      last = done;
      if (drawn) bar.update(done, payload(done, text));
    },
    finish(d) {
      if (finished) return;
      clearTimeout(timer);
      if (!drawn) {
        finished = true;
        return;
      }
      finished = true;
      bar.update(Math.max(last, 0), payload(last, d ?? text));
      bar.stop();
      if (active?.stream === stream) active = undefined;
    },
  };
}

function plainBar(log: Logger, task: string, total: number, unit: ProgressUnit, now: () => number, interval: number): ProgressBar {
  const startedAt = now();
  let lastLine = startedAt;
  let lines = 0;
  let size = Math.max(0, total);
  let last = 0;
  let text: string | undefined;
  let finished = false;
  const line = (done: number, final: boolean) => {
    const at = now();
    const f = figures(done, size, startedAt, at);
    lines++;
    lastLine = at;
    const eta = final ? 0 : f.eta;
    log.info(
      { progress: task, done, total: size, unit, percent: f.percent, rate: Math.round(f.rate * 10) / 10, eta_s: eta === undefined ? null : Math.round(eta), ...(text ? { detail: text } : {}) },
      `${task}: ${f.percent} % (${formatAmount(done, unit)} of ${formatAmount(size, unit)}, ${formatAmount(f.rate, unit, true)}/s, ${final ? `done in ${formatSeconds((at - startedAt) / 1000)}` : `ETA ${eta === undefined ? '?' : formatSeconds(eta)}`})`,
    );
  };
  return {
    update(done, d, t) {
      if (finished) return;
      if (d !== undefined) text = d;
      if (t !== undefined) size = t;
      if (done > size) size = done;
      last = done;
      if (now() - lastLine >= interval && done < size) line(done, false);
    },
    finish(d) {
      if (finished) return;
      finished = true;
      if (d !== undefined) text = d;
      // A bar that never logged took less than one interval: its command's own summary line is enough.
      if (lines > 0 || interval === 0) line(Math.max(last, size), true);
    },
  };
}

const UNIT_LABEL: Record<ProgressUnit, string> = { bytes: 'B', records: 'records', customers: 'customers', objects: 'objects', files: 'files', pages: 'pages' };

export function formatAmount(n: number, unit: ProgressUnit, fractional = false): string {
  if (unit === 'bytes') {
    const units = ['B', 'kB', 'MB', 'GB', 'TB'];
    let v = n;
    let i = 0;
    while (v >= 1000 && i < units.length - 1) {
      v /= 1000;
      i++;
    }
    return `${i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
  }
  const v = fractional && n < 10 ? Math.round(n * 10) / 10 : Math.round(n);
  return `${v.toLocaleString('en-US')} ${UNIT_LABEL[unit]}`;
}

export function formatSeconds(s: number): string {
  const t = Math.max(0, Math.round(s));
  if (t < 60) return `${t}s`;
  const m = Math.floor(t / 60);
  if (m < 60) return `${m}m${String(t % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Progress hooks for a publish cycle (`publishDirty`): a bar for rendering customers, then one for the drain. */
export function publishProgress(progress: Progress, label = ''): { onPlan: (done: number, total: number) => void; onDrain: (e: DrainEvent) => void } {
  let plan: ProgressBar | undefined;
  let drain: ProgressBar | undefined;
  const suffix = label ? ` ${label}` : '';
  return {
    onPlan(done, total) {
      plan ??= progress.start(`render${suffix}`, total, 'customers');
      plan.update(done);
    },
    onDrain(e) {
      drain ??= progress.start(`publish${suffix}`, e.total, 'objects');
      drain.update(e.done, undefined, e.total);
    },
  };
}

/** Progress hooks for one file through `processFile`: a bar over its bytes (records as detail), then one for its publishing. */
export function fileProgress(progress: Progress, label: string): { onProgress: (p: { bytes: number; size: number; records: number }) => void; onDrain: (e: DrainEvent) => void } {
  let read: ProgressBar | undefined;
  const publish = publishProgress(progress, label.replace(/^\S+\s/, ''));
  return {
    onProgress(p) {
      read ??= progress.start(label, p.size, 'bytes');
      read.update(p.bytes, `${p.records.toLocaleString('en-US')} records`);
    },
    onDrain: publish.onDrain,
  };
}
