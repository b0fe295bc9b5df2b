import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DocHeader, DocKind, DocLine, SourceRef } from '../model.ts';

export type Db = Database.Database;

const SCHEMA_VERSION = 1;

/**
 * State lives in one SQLite file: canonical documents and lines, which customers need re-rendering,
 * the manifest of published objects and the history of input files. WAL keeps `status` readable
 * while the daemon writes.
 */
export function openStore(file: string): Store {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return new Store(db, file);
}

function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === SCHEMA_VERSION) return;
  if (version > SCHEMA_VERSION) throw new Error(`state file has schema version ${version}, this vendre-pull knows ${SCHEMA_VERSION}: upgrade vendre-pull`);
  db.exec(`
    CREATE TABLE IF NOT EXISTS docs (
      kind TEXT NOT NULL, id TEXT NOT NULL, customer_no TEXT NOT NULL, date TEXT NOT NULL,
      header TEXT NOT NULL, src_file TEXT NOT NULL, src_line INTEGER NOT NULL,
      PRIMARY KEY (kind, id)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS docs_by_customer ON docs (customer_no, kind);
    CREATE TABLE IF NOT EXISTS lines (
      kind TEXT NOT NULL, doc_id TEXT NOT NULL, seq INTEGER NOT NULL,
      line TEXT NOT NULL, src_file TEXT NOT NULL, src_line INTEGER NOT NULL,
      PRIMARY KEY (kind, doc_id, seq)
    ) WITHOUT ROWID;
    -- Customers whose objects must be re-rendered and published.
    CREATE TABLE IF NOT EXISTS dirty (customer_no TEXT PRIMARY KEY) WITHOUT ROWID;
    -- What the target holds: key (relative to the prefix) -> sha256 of the bytes.
    CREATE TABLE IF NOT EXISTS manifest (
      key TEXT PRIMARY KEY, customer_no TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS manifest_by_customer ON manifest (customer_no);
    CREATE TABLE IF NOT EXISTS files (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL, feed TEXT, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('ingested', 'rejected', 'duplicate')),
      records INTEGER NOT NULL DEFAULT 0, moved_to TEXT, error TEXT,
      finished_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS files_by_sha ON files (sha256, outcome);
    -- Writes and deletes decided but not yet confirmed by the target. Filled in the same transaction
    -- as the records that caused them; an entry leaves only when the target confirmed it.
    -- phase: 0 documents, 1 lists (after the documents they point to), 2 deletes (last).
    CREATE TABLE IF NOT EXISTS outbox (
      key TEXT PRIMARY KEY, customer_no TEXT NOT NULL, op TEXT NOT NULL CHECK (op IN ('put', 'delete')),
      phase INTEGER NOT NULL, sha256 TEXT, body BLOB, content_type TEXT,
      attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS outbox_by_phase ON outbox (phase, key);
    -- Problems of the last publish cycle (documents that failed their schema), for status.
    CREATE TABLE IF NOT EXISTS publish_errors (
      key TEXT PRIMARY KEY, customer_no TEXT NOT NULL, message TEXT NOT NULL, src_file TEXT, src_line INTEGER
    ) WITHOUT ROWID;
  `);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

export interface StoredDoc {
  kind: DocKind;
  id: string;
  customer_no: string;
  header: DocHeader;
  lines: DocLine[];
  source: SourceRef;
}

export interface OutboxEntry {
  key: string;
  customer_no: string;
  op: 'put' | 'delete';
  phase: number;
  sha256: string | null;
  body: Buffer | null;
  content_type: string | null;
  attempts: number;
}

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

/** Thin typed access to the tables; the ingest transaction lives in apply.ts. */
export class Store {
  readonly db: Db;
  readonly file: string;
  private readonly stmts;

  constructor(db: Db, file: string) {
    this.db = db;
    this.file = file;
    this.stmts = {
      getDoc: db.prepare<[DocKind, string], { customer_no: string; header: string }>('SELECT customer_no, header FROM docs WHERE kind = ? AND id = ?'),
      upsertDoc: db.prepare(`INSERT INTO docs (kind, id, customer_no, date, header, src_file, src_line) VALUES (@kind, @id, @customer_no, @date, @header, @src_file, @src_line)
        ON CONFLICT (kind, id) DO UPDATE SET customer_no = excluded.customer_no, date = excluded.date, header = excluded.header, src_file = excluded.src_file, src_line = excluded.src_line`),
      deleteDoc: db.prepare('DELETE FROM docs WHERE kind = ? AND id = ?'),
      deleteLines: db.prepare('DELETE FROM lines WHERE kind = ? AND doc_id = ?'),
      insertLine: db.prepare('INSERT INTO lines (kind, doc_id, seq, line, src_file, src_line) VALUES (?, ?, ?, ?, ?, ?)'),
      markDirty: db.prepare('INSERT OR IGNORE INTO dirty (customer_no) VALUES (?)'),
      docsOfCustomer: db.prepare<[string], { kind: DocKind; id: string; header: string; src_file: string; src_line: number }>(
        'SELECT kind, id, header, src_file, src_line FROM docs WHERE customer_no = ?',
      ),
      linesOfCustomer: db.prepare<[string], { kind: DocKind; doc_id: string; line: string }>(
        'SELECT l.kind, l.doc_id, l.line FROM lines l JOIN docs d ON d.kind = l.kind AND d.id = l.doc_id WHERE d.customer_no = ? ORDER BY l.kind, l.doc_id, l.seq',
      ),
      insertFile: db.prepare(`INSERT INTO files (name, feed, sha256, size, outcome, records, moved_to, error, finished_at)
        VALUES (@name, @feed, @sha256, @size, @outcome, @records, @moved_to, @error, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
      ingestedSha: db.prepare<[string], { seq: number; name: string; moved_to: string | null }>(
        "SELECT seq, name, moved_to FROM files WHERE sha256 = ? AND outcome = 'ingested' ORDER BY moved_to IS NULL DESC, seq DESC LIMIT 1",
      ),
      queue: db.prepare(`INSERT INTO outbox (key, customer_no, op, phase, sha256, body, content_type) VALUES (@key, @customer_no, @op, @phase, @sha256, @body, @content_type)
        ON CONFLICT (key) DO UPDATE SET customer_no = excluded.customer_no, op = excluded.op, phase = excluded.phase, sha256 = excluded.sha256,
          body = excluded.body, content_type = excluded.content_type, attempts = 0, last_error = NULL`),
      unqueue: db.prepare('DELETE FROM outbox WHERE key = ?'),
    };
  }

  close(): void {
    this.db.close();
  }

  getDoc(kind: DocKind, id: string): { customer_no: string; header: string } | undefined {
    return this.stmts.getDoc.get(kind, id);
  }

  upsertDoc(kind: DocKind, header: DocHeader, headerJson: string, source: SourceRef): void {
    this.stmts.upsertDoc.run({ kind, id: header.id, customer_no: header.customer_no, date: header.date, header: headerJson, src_file: source.file, src_line: source.line });
  }

  deleteDoc(kind: DocKind, id: string): void {
    this.stmts.deleteDoc.run(kind, id);
  }

  deleteLines(kind: DocKind, docId: string): void {
    this.stmts.deleteLines.run(kind, docId);
  }

  insertLine(kind: DocKind, docId: string, seq: number, line: DocLine, source: { file: string; line: number }): void {
    this.stmts.insertLine.run(kind, docId, seq, JSON.stringify(line), source.file, source.line);
  }

  markDirty(customerNo: string): void {
    this.stmts.markDirty.run(customerNo);
  }

  dirtyCustomers(): string[] {
    return this.db.prepare<[], { customer_no: string }>('SELECT customer_no FROM dirty ORDER BY customer_no').all().map((r) => r.customer_no);
  }

  clearDirty(customerNo: string): void {
    this.db.prepare('DELETE FROM dirty WHERE customer_no = ?').run(customerNo);
  }

  /** Every customer that has documents or published objects: what `rebuild` re-renders. */
  allCustomers(): string[] {
    return this.db
      .prepare<[], { customer_no: string }>('SELECT customer_no FROM docs UNION SELECT customer_no FROM manifest ORDER BY 1')
      .all()
      .map((r) => r.customer_no);
  }

  /** Documents of one customer with their lines, for rendering. */
  customerDocs(customerNo: string): StoredDoc[] {
    const lines = new Map<string, DocLine[]>();
    for (const l of this.stmts.linesOfCustomer.iterate(customerNo)) {
      const k = `${l.kind}\u0000${l.doc_id}`;
      let list = lines.get(k);
      if (!list) lines.set(k, (list = []));
      list.push(JSON.parse(l.line) as DocLine);
    }
    return this.stmts.docsOfCustomer.all(customerNo).map((d) => ({
      kind: d.kind,
      id: d.id,
      customer_no: customerNo,
      header: JSON.parse(d.header) as DocHeader,
      lines: lines.get(`${d.kind}\u0000${d.id}`) ?? [],
      source: { file: d.src_file, line: d.src_line, record: 0 },
    }));
  }

  /** Ids of one kind that have headers (header feeds) or lines (line feeds). */
  existingIds(kind: DocKind, table: 'docs' | 'lines'): string[] {
    const sql = table === 'docs' ? 'SELECT id FROM docs WHERE kind = ?' : 'SELECT DISTINCT doc_id AS id FROM lines WHERE kind = ?';
    return this.db.prepare<[DocKind], { id: string }>(sql).all(kind).map((r) => r.id);
  }

  manifestOf(customerNo: string): Map<string, string> {
    const rows = this.db.prepare<[string], { key: string; sha256: string }>('SELECT key, sha256 FROM manifest WHERE customer_no = ?').all(customerNo);
    return new Map(rows.map((r) => [r.key, r.sha256]));
  }

  setManifest(key: string, customerNo: string, sha256: string, size: number): void {
    this.db
      .prepare('INSERT INTO manifest (key, customer_no, sha256, size) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET customer_no = excluded.customer_no, sha256 = excluded.sha256, size = excluded.size')
      .run(key, customerNo, sha256, size);
  }

  removeManifest(key: string): void {
    this.db.prepare('DELETE FROM manifest WHERE key = ?').run(key);
  }

  setPublishError(key: string, customerNo: string, message: string, source: { file: string; line: number }): void {
    this.db
      .prepare('INSERT INTO publish_errors (key, customer_no, message, src_file, src_line) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET message = excluded.message, src_file = excluded.src_file, src_line = excluded.src_line')
      .run(key, customerNo, message, source.file, source.line);
  }

  clearPublishErrors(customerNo: string): void {
    this.db.prepare('DELETE FROM publish_errors WHERE customer_no = ?').run(customerNo);
  }

  /** Queue a write; replaces whatever was queued for the key (the newest decision wins). */
  queuePut(key: string, customerNo: string, phase: 0 | 1, sha256: string, body: Buffer, contentType: string): void {
    this.stmts.queue.run({ key, customer_no: customerNo, op: 'put', phase, sha256, body, content_type: contentType });
  }

  queueDelete(key: string, customerNo: string): void {
    this.stmts.queue.run({ key, customer_no: customerNo, op: 'delete', phase: 2, sha256: null, body: null, content_type: null });
  }

  unqueue(key: string): void {
    this.stmts.unqueue.run(key);
  }

  /** Pending entries of one customer: key -> sha256 (null for a delete). */
  queuedOf(customerNo: string): Map<string, string | null> {
    const rows = this.db.prepare<[string], { key: string; sha256: string | null }>('SELECT key, sha256 FROM outbox WHERE customer_no = ?').all(customerNo);
    return new Map(rows.map((r) => [r.key, r.sha256]));
  }

  /** The next entries to send, lowest phase first; only entries of that phase. */
  nextOutbox(limit: number): OutboxEntry[] {
    return this.db
      .prepare<[number], OutboxEntry>('SELECT key, customer_no, op, phase, sha256, body, content_type, attempts FROM outbox WHERE phase = (SELECT min(phase) FROM outbox) ORDER BY key LIMIT ?')
      .all(limit);
  }

  outboxDepth(): number {
    return this.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
  }

  /** The target confirmed the entry: the manifest takes it over, in one transaction. */
  confirm(entry: OutboxEntry, size: number): void {
    this.transaction(() => {
      if (entry.op === 'put') this.setManifest(entry.key, entry.customer_no, entry.sha256!, size);
      else this.removeManifest(entry.key);
      // Only if nothing newer was queued for the key meanwhile.
      this.db.prepare('DELETE FROM outbox WHERE key = ? AND op = ? AND sha256 IS ?').run(entry.key, entry.op, entry.sha256);
    });
  }

  failed(key: string, message: string): void {
    this.db.prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE key = ?').run(message, key);
  }

  /**
   * The earlier ingest of the same bytes, if any. `moved_to` null means it was applied but never
   * archived: the daemon stopped in between, and this is the same file coming back.
   */
  ingestedWithSha(sha256: string): { seq: number; name: string; moved_to: string | null } | undefined {
    return this.stmts.ingestedSha.get(sha256);
  }

  /** Records the file and returns its row number; outcome rows of ingested files are written in their transaction. */
  recordFileRow(outcome: FileOutcome): number {
    return Number(this.stmts.insertFile.run(outcome).lastInsertRowid);
  }

  setMovedTo(seq: number, movedTo: string): void {
    this.db.prepare('UPDATE files SET moved_to = ? WHERE seq = ?').run(movedTo, seq);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
