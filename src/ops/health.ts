import type { Logger } from 'pino';
import type { FileReport } from '../ingest/process.ts';

/**
 * The same failure over and over (a target that is full or gone) is logged once, then as a count:
 * "repeated N times" at doubling intervals (1 s, 2 s, 4 s … up to 5 min), and once more when it
 * stops. Keyed by what failed and the message, so a new kind of failure is logged at once.
 */
export class RepeatedLog {
  private readonly seen = new Map<string, { count: number; reported: number; next: number; gap: number }>();
  constructor(private readonly now: () => number = Date.now, private readonly maxGapMs = 300_000) {}

  warn(log: Logger, key: string, fields: Record<string, unknown>, msg: string): void {
    const t = this.now();
    const s = this.seen.get(key);
    if (!s) {
      this.seen.set(key, { count: 1, reported: 1, next: t + 1000, gap: 1000 });
      log.warn(fields, msg);
      return;
    }
    s.count++;
    if (t >= s.next) {
      log.warn({ ...fields, repeated: s.count - s.reported, total: s.count }, `${msg} (repeated ${s.count - s.reported} times since the last report)`);
      s.reported = s.count;
      s.gap = Math.min(s.gap * 2, this.maxGapMs);
      s.next = t + s.gap;
    }
  }

  /** The failure is over: say how often it happened since the last line, and forget it. */
  clear(log: Logger, key: string, msg: string): void {
    const s = this.seen.get(key);
    if (!s) return;
    this.seen.delete(key);
    if (s.count > s.reported) log.info({ repeated: s.count - s.reported, total: s.count }, msg);
  }

  /** Forgets every key starting with `prefix` (a drain that went through). */
  clearPrefix(log: Logger, prefix: string, msg: string): void {
    for (const key of [...this.seen.keys()]) if (key.startsWith(prefix)) this.clear(log, key, msg);
  }
}

/** One per process: the drain and the daemon's retry share it. */
export const repeated = new RepeatedLog();

/**
 * The daemon's publishing health: after a file that could not be published (the outbox failing),
 * the next attempt waits, doubling from 1 s to 60 s, instead of retrying as fast as files come.
 */
export class PublishHealth {
  private failures = 0;
  private lastAt = 0;
  constructor(private readonly now: () => number = Date.now) {}

  after(report: FileReport, log: Logger): void {
    if (report.pending) {
      this.failures++;
      this.lastAt = this.now();
    } else if (report.outcome !== 'rejected') {
      if (this.failures > 0) log.info({ attempts: this.failures }, 'publishing works again');
      this.failures = 0;
    }
  }

  /** How long the inbox waits before it takes the next file (0: at once). */
  retryAfterMs(): number {
    if (this.failures === 0) return 0;
    const backoff = Math.min(60_000, 1000 * 2 ** Math.min(this.failures - 1, 6));
    return Math.max(0, this.lastAt + backoff - this.now());
  }
}
