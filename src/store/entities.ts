import type { Entity, EntityKind, SourceRef } from '../model.ts';
import type { Part, StoreBase } from './base.ts';

/**
 * The entities table (its migration in open.ts): records that are not documents, each published in
 * its owner's object. Customers (billing addresses) and delivery addresses are owned by the
 * customer and published in `customers/{c}/addresses.json`; stock rows (one per article and
 * warehouse) by the article's stock owner (model.ts) and published in `stock/{article}.json`.
 * `raw_id` is the record's mapped `id` (customer number, address code, article): a record skipped
 * under skip-record is known by it only, and a full snapshot keeps what it names.
 */
export const ENTITIES_SCHEMA = `
  CREATE TABLE IF NOT EXISTS entities (
    kind TEXT NOT NULL, id TEXT NOT NULL, owner TEXT NOT NULL, raw_id TEXT NOT NULL, body TEXT NOT NULL,
    src_file TEXT NOT NULL, src_line INTEGER NOT NULL, mark INTEGER,
    PRIMARY KEY (kind, id)
  ) WITHOUT ROWID;
  -- (owner, kind, id): an owner's rows come in id order. Queries by owner name it (INDEXED BY): left to
  -- itself SQLite takes the primary key for the ORDER BY and scans a whole kind per owner, which made
  -- publishing N articles quadratic (test/bench, 100,000 articles).
  CREATE INDEX IF NOT EXISTS entities_by_owner ON entities (owner, kind, id);
`;

export interface StoredEntity {
  owner: string;
  body: string;
  mark: number | null;
}

/** One entity as rendered: its body and where it came from. */
export interface EntityRow {
  id: string;
  body: Record<string, string>;
  source: { file: string; line: number };
}

interface DocumentsPart {
  allCustomers(): string[];
  forgetDocuments(): void;
}

export function Entities<B extends Part<StoreBase & DocumentsPart>>(Base: B) {
  return class Entities extends Base {
    getEntity(kind: EntityKind, id: string): StoredEntity | undefined {
      return this.sql<[string, string], StoredEntity>('SELECT owner, body, mark FROM entities WHERE kind = ? AND id = ?').get(kind, id);
    }

    upsertEntity(e: Entity, rawId: string, body: string, source: SourceRef, mark: number): void {
      this
        .sql(`INSERT INTO entities (kind, id, owner, raw_id, body, src_file, src_line, mark) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (kind, id) DO UPDATE SET owner = excluded.owner, raw_id = excluded.raw_id, body = excluded.body, src_file = excluded.src_file, src_line = excluded.src_line, mark = excluded.mark`)
        .run(e.kind, e.id, e.owner, rawId, body, source.file, source.line, mark);
    }

    /** The entity came again unchanged: only note that this attempt carried it. */
    touchEntity(kind: EntityKind, id: string, mark: number): void {
      this.sql('UPDATE entities SET mark = ? WHERE kind = ? AND id = ?').run(mark, kind, id);
    }

    deleteEntity(kind: EntityKind, id: string): void {
      this.sql('DELETE FROM entities WHERE kind = ? AND id = ?').run(kind, id);
    }

    countEntities(kind: EntityKind): number {
      return this.sql<[string]>('SELECT count(*) FROM entities WHERE kind = ?').pluck().get(kind) as number;
    }

    /** Entities of a kind the attempt `mark` did not carry (what a full snapshot deletes). */
    unmarkedEntities(kind: EntityKind, mark: number): Array<{ id: string; owner: string; raw_id: string }> {
      return this.sql<[string, number], { id: string; owner: string; raw_id: string }>('SELECT id, owner, raw_id FROM entities WHERE kind = ? AND mark IS NOT ? ORDER BY id').all(kind, mark);
    }

    /** An owner's entities of a kind, in id order (so rendering does not depend on arrival order). */
    entitiesOf(kind: EntityKind, owner: string): EntityRow[] {
      return this
        .sql<[string, string], { id: string; body: string; src_file: string; src_line: number }>('SELECT id, body, src_file, src_line FROM entities INDEXED BY entities_by_owner WHERE owner = ? AND kind = ? ORDER BY id')
        .all(owner, kind)
        .map((r) => ({ id: r.id, body: JSON.parse(r.body) as Record<string, string>, source: { file: r.src_file, line: r.src_line } }));
    }

    /** `rebuild` re-renders the owners of entities too (a customer known by its addresses alone, every article). */
    override allCustomers(): string[] {
      const owners = this.sql<[], { owner: string }>('SELECT DISTINCT owner FROM entities').all().map((r) => r.owner);
      if (owners.length === 0) return super.allCustomers();
      return [...new Set([...super.allCustomers(), ...owners])].sort();
    }

    /** `replay --fresh` replays the archive's customer and stock files too: their entities are canonical records. */
    override forgetDocuments(): void {
      super.forgetDocuments();
      this.db.exec('INSERT OR IGNORE INTO dirty (customer_no) SELECT DISTINCT owner FROM entities; DELETE FROM entities;');
    }

    /** Articles with stock, for status. */
    countStockArticles(): number {
      return this.sql("SELECT count(DISTINCT owner) FROM entities WHERE kind = 'stock'").pluck().get() as number;
    }
  };
}
