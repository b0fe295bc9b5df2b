/**
 * Canonical records: what mapping produces from any export dialect and what the store keeps.
 * Money and quantities are exact decimal strings ("1234.50", "-3", "0.125"), never floats.
 */

/** `credit`: a credit invoice (kreditfaktura). */
export type DocKind = 'order' | 'invoice' | 'credit';
export type FeedKind =
  | 'orders' | 'order_lines' | 'invoices' | 'invoice_lines' | 'credit_invoices' | 'credit_invoice_lines' | 'packages' | 'deletions'
  | 'customers' | 'delivery_addresses' | 'stock' | 'prices';
/** What a record of a feed is about: a document, a shipment (package) joined to its order, or an entity (customer, delivery address, stock row). */
export type RecordKind = DocKind | 'package' | 'entity';

/**
 * Records that are not documents and are published as their own objects (src/render/extended.ts):
 * a customer's billing address, its delivery addresses, an article's stock in one warehouse.
 */
export type EntityKind = 'customer' | 'delivery' | 'stock' | 'price';

export interface Entity {
  kind: EntityKind;
  /** Unique within the kind: the customer number; JSON of [customer, code]; JSON of [article, warehouse]. */
  id: string;
  /** Whose object it is published in: the customer number (customer, delivery) or the article (stock). */
  owner: string;
  /** What is stored and rendered (absent when the record deletes the entity). */
  body?: Record<string, string>;
}

/** The entity kind a feed writes, if it writes entities. */
export function entityKindOf(feed: FeedKind): EntityKind | undefined {
  return feed === 'customers' ? 'customer' : feed === 'delivery_addresses' ? 'delivery' : feed === 'stock' ? 'stock' : feed === 'prices' ? 'price' : undefined;
}

/**
 * Stock is published per article, not per customer; the publisher still groups objects by an owner
 * (dirty marks, manifest, outbox). An article's owner starts with a control character, which no
 * customer number can hold (src/mapping/ids.ts), so the two never meet.
 */
export const STOCK_OWNER_PREFIX = '\u001fstock:';

export function stockOwner(article: string): string {
  return STOCK_OWNER_PREFIX + article;
}

/** The article a stock owner stands for; undefined for a customer number. */
export function articleOfOwner(owner: string): string | undefined {
  return owner.startsWith(STOCK_OWNER_PREFIX) ? owner.slice(STOCK_OWNER_PREFIX.length) : undefined;
}

/** An article's prices are published per article too (every price list's rows for it), owned like stock. */
export const PRICE_OWNER_PREFIX = '\u001fprice:';

export function priceOwner(article: string): string {
  return PRICE_OWNER_PREFIX + article;
}

export function articleOfPriceOwner(owner: string): string | undefined {
  return owner.startsWith(PRICE_OWNER_PREFIX) ? owner.slice(PRICE_OWNER_PREFIX.length) : undefined;
}

/** Where a record came from, so every error and every published document can point back to it. */
export interface SourceRef {
  file: string;
  /** 1-based physical line where the record starts (CSV row, XML record element). */
  line: number;
  /** 1-based record number inside the file (data rows, not counting the header). */
  record: number;
}

export interface Address {
  company?: string;
  no?: string;
  reference?: string;
  address?: string;
  address2?: string;
  zipcode?: string;
  ziparea?: string;
  /** Plain text in the configured language. */
  country?: string;
  /** ISO 3166-1 alpha-3. */
  country_iso?: string;
}

export interface DocHeader {
  id: string;
  customer_no: string;
  /** YYYY-MM-DD */
  date: string;
  due_date?: string;
  payment_status?: string;
  reference?: string;
  po_number?: string;
  comment?: string;
  currency: string;
  /** Total including VAT as given by the ERP; computed from lines when the export has none. */
  total?: string;
  shipping_cost?: string;
  customer: Address;
  delivery: Address;
  /** Orders an invoice belongs to. */
  order_nos?: string[];
  /** Shipment tracking ids, with the carrier code or name they belong to. */
  tracking_ids?: string[];
  carrier?: string;
  /** Packages each with its own carrier (repeated package elements of one record); wins over tracking_ids. */
  packages?: Package[];
  /** The document's status as the ERP writes it (Released, Levererad, …). */
  status?: string;
  /** Credit invoices: the number of the invoice it credits. */
  credited_invoice?: string;
}

export interface Package {
  tracking_id: string;
  carrier?: string;
}

/** A shipment from a packages feed: keyed by its own id, joined to its order by order number. */
export interface Shipment {
  id: string;
  order_no: string;
  /** Empty: shipped without a tracking number yet (no package shown). */
  tracking_ids: string[];
  carrier?: string;
}

export interface DocLine {
  /** Row number from the export, when it has one; otherwise arrival order. */
  no?: string;
  model?: string;
  name?: string;
  quantity: string;
  /** Unit price excluding VAT. */
  price?: string;
  /** Discount in percent of quantity × price. */
  discount?: string;
  /** Row total excluding VAT; computed from quantity, price and discount when absent. */
  row_total?: string;
  /** VAT rate in percent, e.g. "25". */
  vat_rate?: string;
  /** Backorders: delivered so far, or what remains (restnoterat), and when the rest is expected. */
  delivered?: string;
  remaining?: string;
  delivery_date?: string;
  /** The order this line belongs to (collective invoices name their orders on the lines). */
  order_no?: string;
  /** A charge line (freight as a sales line): counted as shipping, not a product nor a backorder. */
  charge?: 'shipping';
}

/** One mapped source record: a document header, a line, or both (flat layout). */
export interface MappedRecord {
  kind: RecordKind;
  /** The document number (for a line: the document it belongs to). */
  id: string;
  header?: DocHeader;
  lines: DocLine[];
  /** The feed's deletion marker matched: remove the document. */
  deleted: boolean;
  /** A deletions feed's record that names no document we keep (`delete: ignore`). */
  ignored?: true;
  /** kind `package`: the shipment (absent when the record deletes it). */
  shipment?: Shipment;
  /** kind `entity`: the entity (its body absent when the record deletes it). */
  entity?: Entity;
  source: SourceRef;
}

/** The document kind a feed writes (packages join orders; a deletions feed names the kind per record). */
export function docKindOf(feed: FeedKind): DocKind {
  if (feed === 'orders' || feed === 'order_lines' || feed === 'packages' || feed === 'deletions' || entityKindOf(feed) !== undefined) return 'order';
  return feed === 'invoices' || feed === 'invoice_lines' ? 'invoice' : 'credit';
}

export function feedCarriesHeaders(feed: FeedKind): boolean {
  return feed === 'orders' || feed === 'invoices' || feed === 'credit_invoices';
}
