import type { FeedKind } from '../model.ts';

export type Encoding = 'utf-8' | 'windows-1252' | 'iso-8859-1';

export const HEADER_FIELDS = [
  'id', 'customer_no', 'date', 'due_date', 'payment_status', 'reference', 'po_number', 'comment', 'currency',
  'total', 'shipping_cost', 'order_no',
  'customer.company', 'customer.reference', 'customer.address', 'customer.address2', 'customer.zipcode', 'customer.ziparea', 'customer.country',
  'delivery.reference', 'delivery.address', 'delivery.address2', 'delivery.zipcode', 'delivery.ziparea', 'delivery.country',
] as const;
export const LINE_FIELDS = ['line.no', 'line.model', 'line.name', 'line.quantity', 'line.price', 'line.discount', 'line.row_total', 'line.vat_rate'] as const;
export type HeaderField = (typeof HEADER_FIELDS)[number];
export type LineField = (typeof LINE_FIELDS)[number];
export type CanonicalField = HeaderField | LineField;

export interface FeedConfig {
  name: string;
  pattern: string;
  kind: FeedKind;
  format: 'csv' | 'xml';
  encoding: Encoding;
  delimiter: string;
  quote: string;
  header: boolean;
  columns?: string[];
  recordPath?: string;
  linePath?: string;
  dateFormat: string;
  numberFormat: 'comma' | 'dot';
  mode: 'delta' | 'full';
  onError: 'reject-file' | 'skip-record';
  complete: 'stable' | 'marker' | 'rename';
  maxDeleteShare?: number;
  currency?: string;
  delete?: { column: string; values: string[] };
  map: Partial<Record<CanonicalField, string>> & { id: string };
}

export type TokenSource = { value: string } | { env: string } | { sha256: string };

export interface Config {
  /** Absolute path of the file this came from (relative paths below are already resolved). */
  file: string;
  locale: string;
  currency: string;
  pageSize: number;
  prefix: string;
  state: string;
  target: string;
  customerNoPattern: string;
  folders: { drop: string; archive: string; quarantine: string };
  inbox: { stableMs: number; rescanMs: number; usePolling: boolean; markers: string[]; order: 'mtime' | 'name'; shutdownMs: number };
  ingest: { maxDeleteShare: number; maxErrors: number };
  serve: { host: string; port: number; printCurl: boolean };
  auth: { header: string; tokens: TokenSource[] };
  feeds: FeedConfig[];
}
