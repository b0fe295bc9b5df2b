import type { Part } from './base.ts';

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

/** What the target holds: key (relative to the prefix) -> sha256 of the bytes, size and entity tag. */
export function Manifest<B extends Part>(Base: B) {
  return class Manifest extends Base {
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

    removeManifest(key: string): void {
      this.sql('DELETE FROM manifest WHERE key = ?').run(key);
    }

    /** Does the manifest have the key (the target holds an earlier version a cache may have)? */
    hasManifest(key: string): boolean {
      return this.sql('SELECT 1 FROM manifest WHERE key = ?').pluck().get(key) !== undefined;
    }

    manifestCount(): number {
      return this.sql('SELECT count(*) FROM manifest').pluck().get() as number;
    }

    /** Customers with published objects, all marked dirty and the manifest forgotten: the next publish writes everything again (a target lost). */
    forgetManifest(): number {
      return this.transaction(() => {
        this.db.exec('INSERT OR IGNORE INTO dirty (customer_no) SELECT DISTINCT customer_no FROM manifest');
        return this.sql('DELETE FROM manifest').run().changes;
      });
    }

    /** The customer a published key belongs to, if the manifest has it. */
    manifestCustomer(key: string): string | undefined {
      return this.sql<[string], string>('SELECT customer_no FROM manifest WHERE key = ?').pluck().get(key);
    }
  };
}
