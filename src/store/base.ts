import type Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * What every part of the store shares: the database handle, the prepared-statement cache and the
 * transactions. The parts (documents.ts, pdfs.ts, manifest.ts, outbox.ts, history.ts, queries.ts)
 * each add the methods of one concern on top; db.ts assembles them into `Store`.
 */
export class StoreBase {
  readonly db: Db;
  readonly file: string;
  /** Prepared statements by SQL text: better-sqlite3 does not cache them, and preparing showed in profiles. */
  private readonly cache = new Map<string, Database.Statement>();

  constructor(db: Db, file: string) {
    this.db = db;
    this.file = file;
  }

  protected sql<P extends unknown[] = unknown[], R = unknown>(text: string): Database.Statement<P, R> {
    let stmt = this.cache.get(text);
    if (!stmt) this.cache.set(text, (stmt = this.db.prepare(text)));
    return stmt as unknown as Database.Statement<P, R>;
  }

  close(): void {
    this.db.close();
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /**
   * An explicit write transaction, for an apply attempt that decides at its end whether to commit
   * (it may roll back to retry, or for a dry run): `BEGIN IMMEDIATE` takes the write lock up front.
   */
  begin(): void {
    this.db.exec('BEGIN IMMEDIATE');
  }

  commit(): void {
    this.db.exec('COMMIT');
  }

  rollback(): void {
    this.db.exec('ROLLBACK');
  }

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  /** Throws unless the state file is open and answers a query (the readiness check). */
  ping(): void {
    if (!this.db.open) throw new Error('closed');
    this.sql('SELECT 1').get();
  }

  /** Copies the open state file to `file` with SQLite's online backup (see backup.ts). */
  backup(file: string, progress: (info: { totalPages: number; remainingPages: number }) => number): Promise<unknown> {
    return this.db.backup(file, { progress });
  }
}

/** A class the parts extend: StoreBase, or StoreBase with the parts before it (`T` says which it needs). */
// `any[]`: TypeScript's mixin pattern requires exactly this constructor type.
export type Part<T = StoreBase> = new (...args: any[]) => T;
