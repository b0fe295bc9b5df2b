import type { Logger } from 'pino';
import type { FileReport } from '../ingest/process.ts';

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
