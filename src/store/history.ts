import type { Part } from './base.ts';

export interface FileOutcome {
  name: string;
  feed: string | null;
  sha256: string;
  size: number;
  outcome: 'ingested' | 'rejected' | 'duplicate';
  records: number;
  moved_to: string | null;
  error: string | null;
}

/** The history of input files (`files`): what each was, its outcome and where it was moved. */
export function History<B extends Part>(Base: B) {
  return class History extends Base {
    readonly #stmts = {
      insertFile: this.db.prepare(`INSERT INTO files (name, feed, sha256, size, outcome, records, moved_to, error, finished_at)
        VALUES (@name, @feed, @sha256, @size, @outcome, @records, @moved_to, @error, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
      ingestedSha: this.db.prepare<[string], { seq: number; name: string; moved_to: string | null }>(
        "SELECT seq, name, moved_to FROM files WHERE sha256 = ? AND outcome = 'ingested' ORDER BY moved_to IS NULL DESC, seq DESC LIMIT 1",
      ),
    };

    /**
     * The earlier ingest of the same bytes, if any. `moved_to` null means it was applied but never
     * archived: the daemon stopped in between, and this is the same file coming back.
     */
    ingestedWithSha(sha256: string): { seq: number; name: string; moved_to: string | null } | undefined {
      return this.#stmts.ingestedSha.get(sha256);
    }

    /** Records the file and returns its row number; outcome rows of ingested files are written in their transaction. */
    recordFileRow(outcome: FileOutcome): number {
      return Number(this.#stmts.insertFile.run(outcome).lastInsertRowid);
    }

    setMovedTo(seq: number, movedTo: string): void {
      this.sql('UPDATE files SET moved_to = ? WHERE seq = ?').run(movedTo, seq);
    }
  };
}
