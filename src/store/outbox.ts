import type { Part, StoreBase } from './base.ts';

export interface OutboxEntry {
  key: string;
  customer_no: string;
  op: 'put' | 'delete';
  phase: number;
  sha256: string | null;
  body: Buffer | null;
  /** Bytes in a file instead of `body` (PDFs: streamed, never loaded whole). */
  body_path: string | null;
  content_type: string | null;
  attempts: number;
}

/** Needs the manifest: a confirmed entry moves into it. */
type WithManifest = StoreBase & {
  setManifest(key: string, customerNo: string, sha256: string, size: number, etag?: string | null): void;
  removeManifest(key: string): void;
};

/**
 * Writes and deletes decided but not yet confirmed by the target, and the documents the last
 * publish cycle could not publish (`publish_errors`).
 */
export function Outbox<B extends Part<WithManifest>>(Base: B) {
  return class Outbox extends Base {
    readonly #stmts = {
      queue: this.db.prepare(`INSERT INTO outbox (key, customer_no, op, phase, sha256, body, body_path, content_type) VALUES (@key, @customer_no, @op, @phase, @sha256, @body, @body_path, @content_type)
        ON CONFLICT (key) DO UPDATE SET customer_no = excluded.customer_no, op = excluded.op, phase = excluded.phase, sha256 = excluded.sha256,
          body = excluded.body, body_path = excluded.body_path, content_type = excluded.content_type, attempts = 0, last_error = NULL`),
    };

    /** Queue a write; replaces whatever was queued for the key (the newest decision wins). */
    queuePut(key: string, customerNo: string, phase: 0 | 1, sha256: string, body: Buffer, contentType: string): void {
      this.#stmts.queue.run({ key, customer_no: customerNo, op: 'put', phase, sha256, body, body_path: null, content_type: contentType });
    }

    /** Queue a write whose bytes are in a file (a PDF). */
    queuePutFile(key: string, customerNo: string, phase: 0 | 1, sha256: string, file: string, contentType: string): void {
      this.#stmts.queue.run({ key, customer_no: customerNo, op: 'put', phase, sha256, body: null, body_path: file, content_type: contentType });
    }

    queueDelete(key: string, customerNo: string): void {
      this.#stmts.queue.run({ key, customer_no: customerNo, op: 'delete', phase: 2, sha256: null, body: null, body_path: null, content_type: null });
    }

    /** Pending entries of one customer: key -> sha256 (null for a delete). */
    queuedOf(customerNo: string): Map<string, string | null> {
      const rows = this.sql<[string], { key: string; sha256: string | null }>('SELECT key, sha256 FROM outbox WHERE customer_no = ?').all(customerNo);
      return new Map(rows.map((r) => [r.key, r.sha256]));
    }

    /** Keys with a pending outbox entry: their target state is about to change. */
    queuedKeys(): Set<string> {
      return new Set(this.sql<[], { key: string }>('SELECT key FROM outbox').all().map((r) => r.key));
    }

    /** The next entries to send, lowest phase first; only entries of that phase. */
    nextOutbox(limit: number): OutboxEntry[] {
      return this
        .sql<[number], OutboxEntry>('SELECT key, customer_no, op, phase, sha256, body, body_path, content_type, attempts FROM outbox WHERE phase = (SELECT min(phase) FROM outbox) ORDER BY key LIMIT ?')
        .all(limit);
    }

    outboxDepth(): number {
      return this.sql('SELECT count(*) FROM outbox').pluck().get() as number;
    }

    /**
     * The target confirmed these entries: the manifest takes them over, in one transaction. Returns
     * the keys that replaced or removed an object the manifest had (what a CDN may hold a copy of).
     */
    confirm(done: ReadonlyArray<{ entry: OutboxEntry; size: number; etag?: string }>): string[] {
      const changed: string[] = [];
      if (done.length === 0) return changed;
      this.transaction(() => {
        for (const { entry, size, etag } of done) {
          if (this.sql('SELECT 1 FROM manifest WHERE key = ?').pluck().get(entry.key) !== undefined) changed.push(entry.key);
          if (entry.op === 'put') this.setManifest(entry.key, entry.customer_no, entry.sha256!, size, etag ?? null);
          else this.removeManifest(entry.key);
          // Only if nothing newer was queued for the key meanwhile.
          this.sql('DELETE FROM outbox WHERE key = ? AND op = ? AND sha256 IS ?').run(entry.key, entry.op, entry.sha256);
        }
      });
      return changed;
    }

    failed(key: string, message: string): void {
      this.sql('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE key = ?').run(message, key);
    }

    /** Problems the outbox has now: entries that failed at least once, and the newest error (health). */
    outboxFailures(): { failing: number; lastError: string | undefined } {
      const row = this.sql<[], { failing: number; lastError: string | null }>('SELECT count(*) AS failing, max(last_error) AS lastError FROM outbox WHERE attempts > 0').get();
      return { failing: row?.failing ?? 0, lastError: row?.lastError ?? undefined };
    }

    setPublishError(key: string, customerNo: string, message: string, source: { file: string; line: number }): void {
      this
        .sql('INSERT INTO publish_errors (key, customer_no, message, src_file, src_line) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET message = excluded.message, src_file = excluded.src_file, src_line = excluded.src_line')
        .run(key, customerNo, message, source.file, source.line);
    }

    clearPublishErrors(customerNo: string): void {
      this.sql('DELETE FROM publish_errors WHERE customer_no = ?').run(customerNo);
    }
  };
}
