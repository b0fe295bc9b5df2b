import type { Package, Shipment, SourceRef } from '../model.ts';
import type { Part, StoreBase } from './base.ts';
import type { StoredDoc } from './documents.ts';

/**
 * The packages table (migration 7 in open.ts). Shipments from a packages feed, keyed by their own id:
 * a shipment sent again (its tracking number filled in, another carrier) replaces its row. Joined to
 * orders by order number when rendering, so a shipment may arrive before or after its order.
 * `tracking` is a JSON array (empty: no package yet).
 */
export const PACKAGES_SCHEMA = `
  CREATE TABLE IF NOT EXISTS packages (
    id TEXT PRIMARY KEY, order_no TEXT NOT NULL, tracking TEXT NOT NULL, carrier TEXT,
    src_file TEXT NOT NULL, src_line INTEGER NOT NULL, mark INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS packages_by_order ON packages (order_no);
`;

export interface StoredShipment {
  order_no: string;
  /** JSON of the shipment as stored (to tell a re-sent, unchanged one). */
  json: string;
  mark: number | null;
}

interface DocumentsPart {
  customerDocs(customerNo: string): StoredDoc[];
  forgetDocuments(): void;
}

/** Shipments of packages feeds; comes after documents, whose orders it adds its packages to. */
export function Packages<B extends Part<StoreBase & DocumentsPart>>(Base: B) {
  return class Packages extends Base {
    getShipment(id: string): StoredShipment | undefined {
      const row = this.sql<[string], { order_no: string; tracking: string; carrier: string | null; mark: number | null }>('SELECT order_no, tracking, carrier, mark FROM packages WHERE id = ?').get(id);
      return row && { order_no: row.order_no, json: shipmentJson({ id, order_no: row.order_no, tracking_ids: JSON.parse(row.tracking) as string[], carrier: row.carrier ?? undefined }), mark: row.mark };
    }

    upsertShipment(s: Shipment, source: SourceRef, mark: number): void {
      this
        .sql(`INSERT INTO packages (id, order_no, tracking, carrier, src_file, src_line, mark) VALUES (?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (id) DO UPDATE SET order_no = excluded.order_no, tracking = excluded.tracking, carrier = excluded.carrier, src_file = excluded.src_file, src_line = excluded.src_line, mark = excluded.mark`)
        .run(s.id, s.order_no, JSON.stringify(s.tracking_ids), s.carrier ?? null, source.file, source.line, mark);
    }

    /** The shipment came again unchanged: only note that this attempt carried it. */
    touchShipment(id: string, mark: number): void {
      this.sql('UPDATE packages SET mark = ? WHERE id = ?').run(mark, id);
    }

    deleteShipment(id: string): void {
      this.sql('DELETE FROM packages WHERE id = ?').run(id);
    }

    countShipments(): number {
      return this.sql('SELECT count(*) FROM packages').pluck().get() as number;
    }

    /** Shipments the attempt `mark` did not carry (what a full packages snapshot deletes). */
    unmarkedShipments(mark: number): Array<{ id: string; order_no: string }> {
      return this.sql<[number], { id: string; order_no: string }>('SELECT id, order_no FROM packages WHERE mark IS NOT ?').all(mark);
    }

    /** Packages of a customer's orders: order number → its packages, shipments in id order. */
    packagesOfCustomer(customerNo: string): Map<string, Package[]> {
      const rows = this
        .sql<[string], { order_no: string; tracking: string; carrier: string | null }>(
          "SELECT p.order_no, p.tracking, p.carrier FROM packages p JOIN docs d ON d.kind = 'order' AND d.id = p.order_no WHERE d.customer_no = ? ORDER BY p.order_no, p.id",
        )
        .all(customerNo);
      const out = new Map<string, Package[]>();
      for (const r of rows) {
        const ids = JSON.parse(r.tracking) as string[];
        if (ids.length === 0) continue;
        let list = out.get(r.order_no);
        if (!list) out.set(r.order_no, (list = []));
        for (const tracking_id of ids) list.push(r.carrier === null ? { tracking_id } : { tracking_id, carrier: r.carrier });
      }
      return out;
    }

    /** Documents of one customer, orders with the packages their shipments carry. */
    override customerDocs(customerNo: string): StoredDoc[] {
      const docs = super.customerDocs(customerNo);
      const shipped = this.packagesOfCustomer(customerNo);
      if (shipped.size === 0) return docs;
      return docs.map((d) => {
        const packages = d.kind === 'order' ? shipped.get(d.id) : undefined;
        return packages ? { ...d, packages } : d;
      });
    }

    /** `replay --fresh` replays the archive's packages files too: their shipments are canonical records. */
    override forgetDocuments(): void {
      super.forgetDocuments();
      this.db.exec('DELETE FROM packages;');
    }
  };
}

export function shipmentJson(s: Shipment): string {
  return JSON.stringify({ id: s.id, order_no: s.order_no, tracking_ids: s.tracking_ids, carrier: s.carrier ?? null });
}
