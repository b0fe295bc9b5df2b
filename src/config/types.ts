import type { FeedKind } from '../model.ts';

export type Encoding = 'utf-8' | 'windows-1252' | 'iso-8859-1';

export const HEADER_FIELDS = [
  'id', 'customer_no', 'date', 'due_date', 'payment_status', 'reference', 'po_number', 'comment', 'currency',
  'total', 'shipping_cost', 'order_no', 'tracking_id', 'carrier',
  'customer.company', 'customer.reference', 'customer.address', 'customer.address2', 'customer.zipcode', 'customer.ziparea', 'customer.country',
  'delivery.reference', 'delivery.address', 'delivery.address2', 'delivery.zipcode', 'delivery.ziparea', 'delivery.country',
] as const;
export const LINE_FIELDS = [
  'line.no', 'line.model', 'line.name', 'line.quantity', 'line.price', 'line.discount', 'line.row_total', 'line.vat_rate',
  'line.delivered', 'line.remaining', 'line.delivery_date',
] as const;
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
  credit?: { column: string; values: string[] };
  creditSign: 'negative' | 'positive';
  values?: Partial<Record<CanonicalField, Record<string, string>>>;
  map: Partial<Record<CanonicalField, string>> & { id: string };
}

export type TokenSource = { value: string } | { env: string } | { sha256: string };
export type SecretSource = { value: string } | { env: string };
/** A secret that never sits in the config file: an environment variable, or a file (absolute after loading) holding it. */
export type ExternalSecretSource = { env: string } | { file: string };

export interface Config {
  /** Absolute path of the file this came from (relative paths below are already resolved). */
  file: string;
  locale: string;
  currency: string;
  pageSize: number;
  shippingVatRate: string;
  prefix: string;
  state: string;
  /** A local directory (absolute after loading) or `s3://BUCKET[/PREFIX]`: see targetOf(). */
  target: string;
  publish: PublishConfig;
  s3: S3Config;
  customerNoPattern: string;
  folders: { drop: string; archive: string; quarantine: string };
  inbox: { stableMs: number; rescanMs: number; usePolling: boolean; markers: string[]; order: 'mtime' | 'name'; shutdownMs: number };
  ingest: { maxDeleteShare: number; maxErrors: number };
  serve: { host: string; port: number; printCurl: boolean };
  auth: {
    header: string;
    /** Accepted proofs: `bearer` (a token in `header`), `signed` (X-Timestamp + X-Signature HMAC). */
    modes: Array<'bearer' | 'signed'>;
    tokens: TokenSource[];
    /** HMAC secrets for signed mode. */
    secrets: SecretSource[];
    /** Signed mode: accepted clock difference in seconds. */
    windowSeconds: number;
  };
  /** The daemon's admin port: health, metrics, admin pages (issue 8). */
  admin: { enabled: boolean; host: string; port: number; tokens?: TokenSource[] };
  feeds: FeedConfig[];
  publicBaseUrl?: string;
  pdfs: PdfConfig[];
  /** Capability links for PDFs (`pdf_link?sig=…`); see src/edge/auth.ts. Absent: links carry no sig. */
  pdfLinks?: PdfLinksConfig;
  carriers: Record<string, CarrierConfig>;
}

export interface PublishConfig {
  concurrency: number;
  cacheControl: { document: string; list: string };
}

export interface S3Config {
  region?: string;
  endpoint?: string;
  forcePathStyle: boolean;
  checksums: 'default' | 'when-required';
  gzip: boolean;
  maxAttempts: number;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** PDFs of at least this size (MiB) go up as a multipart upload, streamed from disk. */
  multipartThresholdMiB: number;
  /** Part size (MiB) of a multipart upload; S3's minimum is 5. */
  partSizeMiB: number;
  invalidation: { enabled: boolean; distributionId?: string; maxPathsPerCustomer: number };
}

/** Where `target` points. */
export type TargetLocation = { kind: 'local'; dir: string } | { kind: 's3'; bucket: string; prefix: string };

/** Parses `target`; undefined bucket rules are for the config loader to report. */
export function targetOf(target: string): TargetLocation {
  const m = /^s3:\/\/([^/]*)\/?(.*)$/i.exec(target);
  if (!m) return { kind: 'local', dir: target };
  return { kind: 's3', bucket: m[1]!, prefix: m[2]!.replace(/\/+$/, '') };
}

/** What is wrong with an S3 bucket name and key prefix, if anything (DNS-compatible bucket names only). */
export function s3LocationProblem(bucket: string, prefix: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) {
    return `bucket name "${bucket}" is not valid: 3-63 characters, lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit`;
  }
  if (prefix && !/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/.test(prefix)) {
    return `key prefix "${prefix}" is not valid: path segments of letters, digits and !_.*'()- separated by single slashes`;
  }
  return undefined;
}

export interface PdfConfig {
  pattern: string;
  kind: 'order' | 'invoice' | 'credit';
}

export interface PdfLinksConfig {
  /** HMAC secrets, newest first: the first signs every pdf_link, all of them are accepted (rotation). */
  secrets: ExternalSecretSource[];
}

export interface CarrierConfig {
  name?: string;
  url: string;
  aliases?: string[];
}
