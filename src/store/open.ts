import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from './base.ts';
import { PACKAGES_SCHEMA } from './packages.ts';
import { ENTITIES_SCHEMA } from './entities.ts';

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
  // 6: the state's identity (a random id), recorded in the marker beside the target: a state that was
  // replaced, emptied or lost commits is told apart from the one that published there.
  (db) => db.exec('CREATE TABLE IF NOT EXISTS state_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;'),
  // 7: shipments of a packages feed (packages.ts), joined to orders when rendering.
  (db) => db.exec(PACKAGES_SCHEMA),
  // 8: customers, delivery addresses and stock rows (entities.ts), published as addresses and stock objects.
  (db) => db.exec(ENTITIES_SCHEMA),
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
export function openDatabase(file: string): Db {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
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
