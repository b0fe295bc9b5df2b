import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DocHeader, DocKind, DocLine, Package, SourceRef } from '../model.ts';
import { Packages, PACKAGES_SCHEMA } from './packages.ts';

export type Db = Database.Database;

/**
 * Schema migrations, applied in order; `user_version` records how many ran. Append, never edit:
 * state files in the field are at any earlier step.
 */
export const MIGRATIONS: ReadonlyArray<(db: Db) => void> = [
  // 1: the base schema.
  (db) => baseSchema(db),
  // 2: PDFs dropped beside the exports, and outbox entries whose bytes live in a file (large PDFs).
  // The base schema again first: state files of the earliest builds are at step 1 without an outbox.
  (db) => {
    baseSchema(db);
    db.exec(`
      CREATE TABLE IF NOT EXISTS pdfs (
        kind TEXT NOT NULL, id TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
        src_file TEXT NOT NULL, received_at TEXT NOT NULL,
        PRIMARY KEY (kind, id)
      ) WITHOUT ROWID;
      ALTER TABLE outbox ADD COLUMN body_path TEXT;
      -- Planning reads one customer's queued entries per dirty customer: without this, a scan of the outbox each time.
      CREATE INDEX IF NOT EXISTS outbox_by_customer ON outbox (customer_no);
    `);
  },
  // 3: the entity tag the target confirmed for each object, so `verify` can compare a listing without reading objects.
  (db) => db.exec('ALTER TABLE manifest ADD COLUMN etag TEXT;'),
  // 4: a digest of each document's line set, so a file that repeats unchanged lines does not re-render its customers.
  (db) => db.exec('CREATE TABLE IF NOT EXISTS line_sets (kind TEXT NOT NULL, doc_id TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (kind, doc_id)) WITHOUT ROWID;'),
  // 5: a document's lines in one row (a JSON array) instead of a row per line: a million-line export
  // wrote a million rows and rendering read them back one by one. `mark` names the apply attempt that
  // last carried a header or line set, so "seen in this file" lives in the store, not in a map that
  // grows with the export. An empty sha256 (line sets from before schema 4) never equals a digest.
  (db) => {
    db.exec(`
      ALTER TABLE docs ADD COLUMN mark INTEGER;
      ALTER TABLE line_sets ADD COLUMN mark INTEGER;
      ALTER TABLE line_sets ADD COLUMN lines TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE line_sets ADD COLUMN src_file TEXT;
      ALTER TABLE line_sets ADD COLUMN src_line INTEGER;
      INSERT INTO line_sets (kind, doc_id, sha256, lines, src_file, src_line)
        SELECT kind, doc_id, '', json_group_array(json(line) ORDER BY seq), min(src_file), min(src_line) FROM lines WHERE true GROUP BY kind, doc_id
        ON CONFLICT (kind, doc_id) DO UPDATE SET lines = excluded.lines, src_file = excluded.src_file, src_line = excluded.src_line;
      DELETE FROM line_sets WHERE lines = '[]';
      DROP TABLE lines;
      CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
      INSERT OR IGNORE INTO counters (name, value) VALUES ('mark', 0);
    `);
  },
  // 6: shipments of a packages feed (src/store/packages.ts), joined to orders when rendering.
  (db) => db.exec(PACKAGES_SCHEMA),
];

function baseSchema(db: Db): void {
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
}

const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * State lives in one SQLite file: canonical documents and lines, which customers need re-rendering,
 * the manifest of published objects, the outbox and the history of input files. WAL keeps `status`
 * readable while the daemon writes.
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
  if (version > SCHEMA_VERSION) throw new Error(`state file has schema version ${version}, this vendre-pull knows ${SCHEMA_VERSION}: upgrade vendre-pull`);
  for (let v = version; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      MIGRATIONS[v]!(db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

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
  /** Orders: packages from a packages feed's shipments. */
  packages?: Package[];
}

/** One published object as the manifest records it. */
export interface ManifestEntry {
  key: string;
  customer_no: string;
  /** sha256 of the uncompressed bytes. */
  sha256: string;
  size: number;
  /** Entity tag the target confirmed on the last write (null before schema 3 or for targets without one). */
  etag: string | null;
}

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
  /** Shipments of packages feeds. */
  readonly packages: Packages;
  private readonly stmts;
  /** Prepared statements by SQL text: better-sqlite3 does not cache them, and preparing showed in profiles. */
  private readonly cache = new Map<string, Database.Statement>();

  constructor(db: Db, file: string) {
    this.db = db;
    this.file = file;
    this.packages = new Packages(db);
    this.stmts = {
      getDoc: db.prepare<[DocKind, string], { customer_no: string; header: string; mark: number | null }>('SELECT customer_no, header, mark FROM docs WHERE kind = ? AND id = ?'),
      upsertDoc: db.prepare(`INSERT INTO docs (kind, id, customer_no, date, header, src_file, src_line, mark) VALUES (@kind, @id, @customer_no, @date, @header, @src_file, @src_line, @mark)
        ON CONFLICT (kind, id) DO UPDATE SET customer_no = excluded.customer_no, date = excluded.date, header = excluded.header, src_file = excluded.src_file, src_line = excluded.src_line, mark = excluded.mark`),
      deleteDoc: db.prepare('DELETE FROM docs WHERE kind = ? AND id = ?'),
      lineSet: db.prepare<[DocKind, string], { sha256: string; mark: number | null }>('SELECT sha256, mark FROM line_sets WHERE kind = ? AND doc_id = ?'),
      writeLineSet: db.prepare(`INSERT INTO line_sets (kind, doc_id, sha256, mark, lines, src_file, src_line) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (kind, doc_id) DO UPDATE SET sha256 = excluded.sha256, mark = excluded.mark, lines = excluded.lines, src_file = excluded.src_file, src_line = excluded.src_line`),
      markLineSet: db.prepare('UPDATE line_sets SET mark = ? WHERE kind = ? AND doc_id = ?'),
      dropLines: db.prepare('DELETE FROM line_sets WHERE kind = ? AND doc_id = ?'),
      markDirty: db.prepare('INSERT OR IGNORE INTO dirty (customer_no) VALUES (?)'),
      docsOfCustomer: db.prepare<[string], { kind: DocKind; id: string; header: string; src_file: string; src_line: number; lines: string | null }>(
        'SELECT d.kind, d.id, d.header, d.src_file, d.src_line, l.lines FROM docs d LEFT JOIN line_sets l ON l.kind = d.kind AND l.doc_id = d.id WHERE d.customer_no = ?',
      ),
      insertFile: db.prepare(`INSERT INTO files (name, feed, sha256, size, outcome, records, moved_to, error, finished_at)
        VALUES (@name, @feed, @sha256, @size, @outcome, @records, @moved_to, @error, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
      ingestedSha: db.prepare<[string], { seq: number; name: string; moved_to: string | null }>(
        "SELECT seq, name, moved_to FROM files WHERE sha256 = ? AND outcome = 'ingested' ORDER BY moved_to IS NULL DESC, seq DESC LIMIT 1",
      ),
      queue: db.prepare(`INSERT INTO outbox (key, customer_no, op, phase, sha256, body, body_path, content_type) VALUES (@key, @customer_no, @op, @phase, @sha256, @body, @body_path, @content_type)
        ON CONFLICT (key) DO UPDATE SET customer_no = excluded.customer_no, op = excluded.op, phase = excluded.phase, sha256 = excluded.sha256,
          body = excluded.body, body_path = excluded.body_path, content_type = excluded.content_type, attempts = 0, last_error = NULL`),
      pdfsOfCustomer: db.prepare<[string], { kind: DocKind; id: string; path: string; sha256: string; size: number }>(
        'SELECT p.kind, p.id, p.path, p.sha256, p.size FROM pdfs p JOIN docs d ON d.kind = p.kind AND d.id = p.id WHERE d.customer_no = ?',
      ),
    };
  }

  private sql<P extends unknown[] = unknown[], R = unknown>(text: string): Database.Statement<P, R> {
    let stmt = this.cache.get(text);
    if (!stmt) this.cache.set(text, (stmt = this.db.prepare(text)));
    return stmt as unknown as Database.Statement<P, R>;
  }

  close(): void {
    this.db.close();
  }

  getDoc(kind: DocKind, id: string): { customer_no: string; header: string; mark: number | null } | undefined {
    return this.stmts.getDoc.get(kind, id);
  }

  /** `mark`: the apply attempt writing it (see nextMark). */
  upsertDoc(kind: DocKind, header: DocHeader, headerJson: string, source: SourceRef, mark: number | null = null): void {
    this.stmts.upsertDoc.run({ kind, id: header.id, customer_no: header.customer_no, date: header.date, header: headerJson, src_file: source.file, src_line: source.line, mark });
  }

  deleteDoc(kind: DocKind, id: string): void {
    this.stmts.deleteDoc.run(kind, id);
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
    return this.stmts.lineSet.get(kind, docId);
  }

  /** The JSON text of each stored line of a document, in order. */
  lineJsons(kind: DocKind, docId: string): string[] {
    const text = this.sql<[DocKind, string], { lines: string }>('SELECT lines FROM line_sets WHERE kind = ? AND doc_id = ?').get(kind, docId)?.lines;
    return text ? (JSON.parse(text) as unknown[]).map((l) => JSON.stringify(l)) : [];
  }

  /** Replaces a document's lines: `jsons` are the lines' JSON texts, `sha256` their digest. */
  writeLineSet(kind: DocKind, docId: string, jsons: readonly string[], sha256: string, mark: number, source: { file: string; line: number }): void {
    this.stmts.writeLineSet.run(kind, docId, sha256, mark, `[${jsons.join(',')}]`, source.file, source.line);
  }

  /** The line set came again unchanged: only note that this attempt carried it. */
  markLineSet(kind: DocKind, docId: string, mark: number): void {
    this.stmts.markLineSet.run(mark, kind, docId);
  }

  /** Forget a document's lines and their digest (the document is gone). */
  dropLines(kind: DocKind, docId: string): void {
    this.stmts.dropLines.run(kind, docId);
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
    this.stmts.markDirty.run(customerNo);
  }

  dirtyCustomers(): string[] {
    return this.sql<[], { customer_no: string }>('SELECT customer_no FROM dirty ORDER BY customer_no').all().map((r) => r.customer_no);
  }

  clearDirty(customerNo: string): void {
    this.sql('DELETE FROM dirty WHERE customer_no = ?').run(customerNo);
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
    const pdfs = new Map(this.stmts.pdfsOfCustomer.all(customerNo).map((p) => [`${p.kind}\u0000${p.id}`, { path: p.path, sha256: p.sha256, size: p.size }]));
    const shipped = this.packages.ofCustomer(customerNo);
    return this.stmts.docsOfCustomer.all(customerNo).map((d) => {
      const pdf = pdfs.size > 0 ? pdfs.get(`${d.kind}\u0000${d.id}`) : undefined;
      const packages = d.kind === 'order' && shipped.size > 0 ? shipped.get(d.id) : undefined;
      return {
        kind: d.kind,
        id: d.id,
        customer_no: customerNo,
        header: JSON.parse(d.header) as DocHeader,
        lines: d.lines ? (JSON.parse(d.lines) as DocLine[]) : [],
        source: { file: d.src_file, line: d.src_line, record: 0 },
        ...(pdf ? { pdf } : {}),
        ...(packages ? { packages } : {}),
      };
    });
  }

  /** Records a dropped PDF (its bytes kept at `path`); returns the owning customer if the document exists. */
  upsertPdf(kind: DocKind, id: string, pdf: StoredPdf, srcFile: string): string | undefined {
    this
      .sql(`INSERT INTO pdfs (kind, id, path, sha256, size, src_file, received_at) VALUES (?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        ON CONFLICT (kind, id) DO UPDATE SET path = excluded.path, sha256 = excluded.sha256, size = excluded.size, src_file = excluded.src_file, received_at = excluded.received_at`)
      .run(kind, id, pdf.path, pdf.sha256, pdf.size, srcFile);
    return this.getDoc(kind, id)?.customer_no;
  }

  /** PDFs whose document has not arrived (yet). */
  ownerlessPdfs(): Array<{ kind: DocKind; id: string; src_file: string; received_at: string }> {
    return this
      .sql<[], { kind: DocKind; id: string; src_file: string; received_at: string }>(
        'SELECT p.kind, p.id, p.src_file, p.received_at FROM pdfs p LEFT JOIN docs d ON d.kind = p.kind AND d.id = p.id WHERE d.id IS NULL ORDER BY p.received_at',
      )
      .all();
  }

  manifestOf(customerNo: string): Map<string, string> {
    const rows = this.sql<[string], { key: string; sha256: string }>('SELECT key, sha256 FROM manifest WHERE customer_no = ?').all(customerNo);
    return new Map(rows.map((r) => [r.key, r.sha256]));
  }

  setManifest(key: string, customerNo: string, sha256: string, size: number, etag: string | null = null): void {
    this
      .sql('INSERT INTO manifest (key, customer_no, sha256, size, etag) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET customer_no = excluded.customer_no, sha256 = excluded.sha256, size = excluded.size, etag = excluded.etag')
      .run(key, customerNo, sha256, size, etag);
  }

  /** Every published object with what the target confirmed for it (for `verify`). */
  manifestEntries(): IterableIterator<ManifestEntry> {
    return this.sql<[], ManifestEntry>('SELECT key, customer_no, sha256, size, etag FROM manifest ORDER BY key').iterate();
  }

  setManifestEtag(key: string, etag: string): void {
    this.sql('UPDATE manifest SET etag = ? WHERE key = ?').run(etag, key);
  }

  /** Keys with a pending outbox entry: their target state is about to change. */
  queuedKeys(): Set<string> {
    return new Set(this.sql<[], { key: string }>('SELECT key FROM outbox').all().map((r) => r.key));
  }

  removeManifest(key: string): void {
    this.sql('DELETE FROM manifest WHERE key = ?').run(key);
  }

  setPublishError(key: string, customerNo: string, message: string, source: { file: string; line: number }): void {
    this
      .sql('INSERT INTO publish_errors (key, customer_no, message, src_file, src_line) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET message = excluded.message, src_file = excluded.src_file, src_line = excluded.src_line')
      .run(key, customerNo, message, source.file, source.line);
  }

  clearPublishErrors(customerNo: string): void {
    this.sql('DELETE FROM publish_errors WHERE customer_no = ?').run(customerNo);
  }

  /** Queue a write; replaces whatever was queued for the key (the newest decision wins). */
  queuePut(key: string, customerNo: string, phase: 0 | 1, sha256: string, body: Buffer, contentType: string): void {
    this.stmts.queue.run({ key, customer_no: customerNo, op: 'put', phase, sha256, body, body_path: null, content_type: contentType });
  }

  /** Queue a write whose bytes are in a file (a PDF). */
  queuePutFile(key: string, customerNo: string, phase: 0 | 1, sha256: string, file: string, contentType: string): void {
    this.stmts.queue.run({ key, customer_no: customerNo, op: 'put', phase, sha256, body: null, body_path: file, content_type: contentType });
  }

  queueDelete(key: string, customerNo: string): void {
    this.stmts.queue.run({ key, customer_no: customerNo, op: 'delete', phase: 2, sha256: null, body: null, body_path: null, content_type: null });
  }

  /** Pending entries of one customer: key -> sha256 (null for a delete). */
  queuedOf(customerNo: string): Map<string, string | null> {
    const rows = this.sql<[string], { key: string; sha256: string | null }>('SELECT key, sha256 FROM outbox WHERE customer_no = ?').all(customerNo);
    return new Map(rows.map((r) => [r.key, r.sha256]));
  }

  /** The next entries to send, lowest phase first; only entries of that phase. */
  nextOutbox(limit: number): OutboxEntry[] {
    return this
      .sql<[number], OutboxEntry>('SELECT key, customer_no, op, phase, sha256, body, body_path, content_type, attempts FROM outbox WHERE phase = (SELECT min(phase) FROM outbox) ORDER BY key LIMIT ?')
      .all(limit);
  }

  /** Does the manifest have the key (the target holds an earlier version a cache may have)? */
  hasManifest(key: string): boolean {
    return this.sql('SELECT 1 FROM manifest WHERE key = ?').pluck().get(key) !== undefined;
  }

  dirtyCount(): number {
    return this.sql('SELECT count(*) FROM dirty').pluck().get() as number;
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
    this.sql('UPDATE files SET moved_to = ? WHERE seq = ?').run(movedTo, seq);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
