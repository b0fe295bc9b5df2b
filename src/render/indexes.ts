import { indexKey, indexManifestKey, type IndexedList } from '../layout/keys.ts';
import { SCHEMA_VERSION, type RenderedDocument } from './documents.ts';

/** An index object of the compute path (see src/layout/keys.ts): published, never served as it is. */
export interface RenderedIndex {
  key: string;
  body: Record<string, unknown>;
}

/** [year, number of items], newest year first. */
export type YearCounts = Array<[number, number]>;

export interface IndexManifest {
  schema_version: number;
  type: 'index';
  customer_no: string;
  per_page: number;
  orders: YearCounts;
  invoices: YearCounts;
  'credit-invoices': YearCounts;
}

export interface YearIndex {
  schema_version: number;
  type: 'year-index';
  customer_no: string;
  list: IndexedList;
  year: number;
  /** The item fields, in the order the list pages write them. */
  fields: string[];
  /** One row per item, newest first: values in `fields` order. */
  rows: unknown[][];
}

/**
 * Pure: the index objects of one customer, made from its rendered whole-history list pages, so an
 * item in an index is byte for byte the item on the published page. Rows rather than objects: the
 * field names once per year, not once per item (about half the bytes). Per year, so a new document
 * changes its year's index and the manifest only; the same documents always give the same bytes.
 */
export function renderIndexes(customerNo: string, documents: readonly RenderedDocument[]): RenderedIndex[] {
  let perPage = 0;
  const items: Record<IndexedList, Array<Record<string, unknown>>> = { orders: [], invoices: [] };
  let found = false;
  for (const d of documents) {
    const list: IndexedList | undefined = d.type === 'order-list' ? 'orders' : d.type === 'invoice-list' ? 'invoices' : undefined;
    // Whole-history pages only (year pages hold the same items again); they come in page order.
    if (list === undefined || d.body.year !== undefined) continue;
    found = true;
    perPage = d.body.per_page as number;
    items[list].push(...(d.body.items as Array<Record<string, unknown>>));
  }
  if (!found) return [];
  const out: RenderedIndex[] = [];
  const counts = (list: IndexedList, only?: (item: Record<string, unknown>) => boolean): YearCounts => {
    const byYear = new Map<number, number>();
    for (const item of items[list]) if (!only || only(item)) byYear.set(yearOf(item), (byYear.get(yearOf(item)) ?? 0) + 1);
    return [...byYear.entries()].sort((a, b) => b[0] - a[0]);
  };
  const manifest: IndexManifest = {
    schema_version: SCHEMA_VERSION,
    type: 'index',
    customer_no: customerNo,
    per_page: perPage,
    orders: counts('orders'),
    invoices: counts('invoices'),
    'credit-invoices': counts('invoices', (i) => i.type === 'credit'),
  };
  out.push({ key: indexManifestKey(customerNo), body: manifest as unknown as Record<string, unknown> });
  for (const list of ['orders', 'invoices'] as const) {
    for (const [year] of manifest[list]) {
      const ofYear = items[list].filter((i) => yearOf(i) === year);
      const fields = Object.keys(ofYear[0]!);
      const body: YearIndex = { schema_version: SCHEMA_VERSION, type: 'year-index', customer_no: customerNo, list, year, fields, rows: ofYear.map((i) => fields.map((f) => i[f])) };
      out.push({ key: indexKey(customerNo, list, year), body: body as unknown as Record<string, unknown> });
    }
  }
  return out;
}

function yearOf(item: Record<string, unknown>): number {
  return Number(String(item.date).slice(0, 4));
}
