import type { DocHeader, DocKind, DocLine, SourceRef } from '../model.ts';
import type { Part } from './base.ts';

export interface StoredPdf {
  path: string;
  sha256: string;
  size: number;
}

export interface StoredDoc {
  kind: DocKind;
  id: string;
  customer_no: string;
  header: DocHeader;
  lines: DocLine[];
  source: SourceRef;
  /** The document's PDF, when one was dropped. */
  pdf?: StoredPdf;
}

/** A stored header row: its customer, the header's JSON and the apply attempt that last carried it. */
export interface DocRow {
  customer_no: string;
  header: string;
  mark: number | null;
}

/**
 * Canonical documents: headers (`docs`), their line sets, the apply marks, and the customers whose
 * objects must be re-rendered (`dirty`). The ingest transaction that writes them lives in ingest/apply.ts.
 */
export function Documents<B extends Part>(Base: B) {
  return class Documents extends Base {
    readonly #stmts = {
      getDoc: this.db.prepare<[DocKind, string], DocRow>('SELECT customer_no, header, mark FROM docs WHERE kind = ? AND id = ?'),
      upsertDoc: this.db.prepare(`INSERT INTO docs (kind, id, customer_no, date, header, src_file, src_line, mark) VALUES (@kind, @id, @customer_no, @date, @header, @src_file, @src_line, @mark)
        ON CONFLICT (kind, id) DO UPDATE SET customer_no = excluded.customer_no, date = excluded.date, header = excluded.header, src_file = excluded.src_file, src_line = excluded.src_line, mark = excluded.mark`),
      deleteDoc: this.db.prepare('DELETE FROM docs WHERE kind = ? AND id = ?'),
      lineSet: this.db.prepare<[DocKind, string], { sha256: string; mark: number | null }>('SELECT sha256, mark FROM line_sets WHERE kind = ? AND doc_id = ?'),
      writeLineSet: this.db.prepare(`INSERT INTO line_sets (kind, doc_id, sha256, mark, lines, src_file, src_line) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (kind, doc_id) DO UPDATE SET sha256 = excluded.sha256, mark = excluded.mark, lines = excluded.lines, src_file = excluded.src_file, src_line = excluded.src_line`),
      markLineSet: this.db.prepare('UPDATE line_sets SET mark = ? WHERE kind = ? AND doc_id = ?'),
      dropLines: this.db.prepare('DELETE FROM line_sets WHERE kind = ? AND doc_id = ?'),
      markDirty: this.db.prepare('INSERT OR IGNORE INTO dirty (customer_no) VALUES (?)'),
      docsOfCustomer: this.db.prepare<[string], { kind: DocKind; id: string; header: string; src_file: string; src_line: number; lines: string | null }>(
        'SELECT d.kind, d.id, d.header, d.src_file, d.src_line, l.lines FROM docs d LEFT JOIN line_sets l ON l.kind = d.kind AND l.doc_id = d.id WHERE d.customer_no = ?',
      ),
      pdfsOfCustomer: this.db.prepare<[string], { kind: DocKind; id: string; path: string; sha256: string; size: number }>(
        'SELECT p.kind, p.id, p.path, p.sha256, p.size FROM pdfs p JOIN docs d ON d.kind = p.kind AND d.id = p.id WHERE d.customer_no = ?',
      ),
    };

    /** Where a stored document came from: the file and line that last carried it (an error naming both lines of a conflict). */
    docSource(kind: DocKind, id: string): { file: string; line: number } | undefined {
      return this.sql<[DocKind, string], { file: string; line: number }>('SELECT src_file AS file, src_line AS line FROM docs WHERE kind = ? AND id = ?').get(kind, id);
    }

    getDoc(kind: DocKind, id: string): DocRow | undefined {
      return this.#stmts.getDoc.get(kind, id);
    }

    /** `mark`: the apply attempt writing it (see nextMark). */
    upsertDoc(kind: DocKind, header: DocHeader, headerJson: string, source: SourceRef, mark: number | null = null): void {
      this.#stmts.upsertDoc.run({ kind, id: header.id, customer_no: header.customer_no, date: header.date, header: headerJson, src_file: source.file, src_line: source.line, mark });
    }

    deleteDoc(kind: DocKind, id: string): void {
      this.#stmts.deleteDoc.run(kind, id);
    }

    /**
     * A new number for one apply attempt, written beside every header and line set it carries: "seen
     * in this file" is then a column, not a set held in memory. Inside the attempt's transaction, so a
     * rolled-back attempt leaves neither the number nor rows marked with it.
     */
    nextMark(): number {
      return this.sql("UPDATE counters SET value = value + 1 WHERE name = 'mark' RETURNING value").pluck().get() as number;
    }

    lineSet(kind: DocKind, docId: string): { sha256: string; mark: number | null } | undefined {
      return this.#stmts.lineSet.get(kind, docId);
    }

    /** The JSON text of each stored line of a document, in order. */
    lineJsons(kind: DocKind, docId: string): string[] {
      const text = this.sql<[DocKind, string], { lines: string }>('SELECT lines FROM line_sets WHERE kind = ? AND doc_id = ?').get(kind, docId)?.lines;
      return text ? (JSON.parse(text) as unknown[]).map((l) => JSON.stringify(l)) : [];
    }

    /** Replaces a document's lines: `jsons` are the lines' JSON texts, `sha256` their digest. */
    writeLineSet(kind: DocKind, docId: string, jsons: readonly string[], sha256: string, mark: number, source: { file: string; line: number }): void {
      this.#stmts.writeLineSet.run(kind, docId, sha256, mark, `[${jsons.join(',')}]`, source.file, source.line);
    }

    /** The line set came again unchanged: only note that this attempt carried it. */
    markLineSet(kind: DocKind, docId: string, mark: number): void {
      this.#stmts.markLineSet.run(mark, kind, docId);
    }

    /** Forget a document's lines and their digest (the document is gone). */
    dropLines(kind: DocKind, docId: string): void {
      this.#stmts.dropLines.run(kind, docId);
    }

    /** How many documents (headers) or line sets of these kinds the store holds. */
    countIds(kinds: readonly DocKind[], table: 'docs' | 'line_sets'): number {
      let n = 0;
      for (const k of kinds) n += this.sql(`SELECT count(*) FROM ${table} WHERE kind = ?`).pluck().get(k) as number;
      return n;
    }

    /** Headers or line sets of these kinds that the attempt `mark` did not carry (what a full snapshot deletes). */
    unmarked(kinds: readonly DocKind[], table: 'docs' | 'line_sets', mark: number): Array<{ kind: DocKind; id: string }> {
      const sql = table === 'docs' ? 'SELECT kind, id FROM docs WHERE kind = ? AND mark IS NOT ?' : 'SELECT kind, doc_id AS id FROM line_sets WHERE kind = ? AND mark IS NOT ?';
      return kinds.flatMap((k) => this.sql<[DocKind, number], { kind: DocKind; id: string }>(sql).all(k, mark));
    }

    /** Did the attempt `mark` write this document's header or lines? */
    markedBy(kind: DocKind, id: string, mark: number): boolean {
      return this.getDoc(kind, id)?.mark === mark || this.lineSet(kind, id)?.mark === mark;
    }

    markDirty(customerNo: string): void {
      this.#stmts.markDirty.run(customerNo);
    }

    dirtyCustomers(): string[] {
      return this.sql<[], { customer_no: string }>('SELECT customer_no FROM dirty ORDER BY customer_no').all().map((r) => r.customer_no);
    }

    clearDirty(customerNo: string): void {
      this.sql('DELETE FROM dirty WHERE customer_no = ?').run(customerNo);
    }

    dirtyCount(): number {
      return this.sql('SELECT count(*) FROM dirty').pluck().get() as number;
    }

    /** Every customer that has documents or published objects: what `rebuild` re-renders. */
    allCustomers(): string[] {
      return this
        .sql<[], { customer_no: string }>('SELECT customer_no FROM docs UNION SELECT customer_no FROM manifest ORDER BY 1')
        .all()
        .map((r) => r.customer_no);
    }

    /** Documents of one customer with their lines, for rendering. */
    customerDocs(customerNo: string): StoredDoc[] {
      const pdfs = new Map(this.#stmts.pdfsOfCustomer.all(customerNo).map((p) => [`${p.kind}\u0000${p.id}`, { path: p.path, sha256: p.sha256, size: p.size }]));
      return this.#stmts.docsOfCustomer.all(customerNo).map((d) => {
        const pdf = pdfs.size > 0 ? pdfs.get(`${d.kind}\u0000${d.id}`) : undefined;
        return {
          kind: d.kind,
          id: d.id,
          customer_no: customerNo,
          header: JSON.parse(d.header) as DocHeader,
          lines: d.lines ? (JSON.parse(d.lines) as DocLine[]) : [],
          source: { file: d.src_file, line: d.src_line, record: 0 },
          ...(pdf ? { pdf } : {}),
        };
      });
    }

    /**
     * `replay --fresh`: forget every canonical record (not the manifest), marking every customer that
     * had documents or objects dirty so the replayed archive re-renders them.
     */
    forgetDocuments(): void {
      this.db.exec('INSERT OR IGNORE INTO dirty (customer_no) SELECT DISTINCT customer_no FROM docs UNION SELECT DISTINCT customer_no FROM manifest');
      this.db.exec('DELETE FROM line_sets; DELETE FROM docs; DELETE FROM pdfs;');
    }
  };
}
