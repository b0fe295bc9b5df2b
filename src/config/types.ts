import type { FeedKind } from '../model.ts';
import type { FeedConfig as SchemaFeedConfig, FeedMap, SchemaConfig } from './schema-types.ts';

export const HEADER_FIELDS = [
  'id', 'customer_no', 'date', 'due_date', 'payment_status', 'reference', 'po_number', 'comment', 'currency',
  'total', 'shipping_cost', 'order_no', 'tracking_id', 'carrier', 'status', 'credited_invoice',
  'customer.company', 'customer.reference', 'customer.address', 'customer.address2', 'customer.zipcode', 'customer.ziparea', 'customer.country',
  'delivery.company', 'delivery.reference', 'delivery.address', 'delivery.address2', 'delivery.zipcode', 'delivery.ziparea', 'delivery.country',
] as const;
export const LINE_FIELDS = [
  'line.no', 'line.model', 'line.name', 'line.quantity', 'line.price', 'line.discount', 'line.row_total', 'line.vat_rate',
  'line.delivered', 'line.remaining', 'line.delivery_date', 'line.order_no',
] as const;
/** Fields of the entity kinds (customers, delivery_addresses, stock, prices) beside the header fields they share (id, customer_no, addresses). */
export const ENTITY_FIELDS = [
  'default_delivery', 'warehouse', 'stock.on_hand', 'stock.available', 'stock.incoming_date', 'stock.incoming_quantity',
  'price_group', 'price.type', 'price.code', 'price.amount', 'price.min_quantity', 'price.valid_from', 'price.valid_to',
] as const;
export type HeaderField = (typeof HEADER_FIELDS)[number];
export type LineField = (typeof LINE_FIELDS)[number];
export type EntityField = (typeof ENTITY_FIELDS)[number];
export type CanonicalField = HeaderField | LineField | EntityField;

// The config's shape is schemas/config.schema.json; schema-types.ts is generated from it (npm run config:types),
// with every property that has a default required, since ajv's useDefaults fills it in before anyone reads it.
export type {
  FeedMap, ColumnValues, PdfConfig, PdfLinksConfig, CarrierConfig, PublishConfig, S3Config, InvalidationConfig,
  FoldersConfig, InboxConfig, RunConfig, IngestConfig, ServeConfig, AdminConfig, AuthConfig, TokenSource, SecretSource, ExternalSecretSource,
} from './schema-types.ts';

/** Source column (or XML path) → the value, or one of the values, it must hold (trimmed, case-insensitive). */
export type When = Record<string, string | string[]>;

/**
 * A feed as loaded. The schema lets a feed give `sections` instead of `kind` and `map`; the loader
 * expands each section into a complete feed (the feed's settings, the section's kind, paths, map and
 * rules) and gives the feed the first section's kind and map, so both are always there.
 */
export type FeedConfig = Omit<SchemaFeedConfig, 'kind' | 'map' | 'sections'> & {
  kind: NonNullable<SchemaFeedConfig['kind']>;
  map: FeedMap;
  sections?: Section[];
  /** A section's records: those whose columns match (CSV mixing kinds by a type column). */
  when?: When;
};
/** One record section of a feed, as loaded: a complete feed. */
export type Section = FeedConfig;
/** A section as the config file writes it. */
export type SchemaSection = NonNullable<SchemaFeedConfig['sections']>[number];

export type Encoding = FeedConfig['encoding'];

/** The sections a file of this feed is applied as: its expanded `sections`, or the feed itself. */
export function sectionsOf(feed: FeedConfig): Section[] {
  return feed.sections ?? [feed];
}

/** A loaded config: what the schema describes, plus what the loader adds. */
export interface Config extends Omit<SchemaConfig, 'feeds'> {
  /** Absolute path of the file this came from (relative paths in it are already resolved: state, target, folders, pdfLinks files). */
  file: string;
  feeds: FeedConfig[];
}

// The field lists above are runtime values the mapping walks; the schema's `map` must name exactly these fields.
// tsc fails here when one side gains a field or a feed kind the other lacks.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type SchemaMatchesCode = [Assert<Same<keyof FeedMap, CanonicalField>>, Assert<Same<FeedConfig['kind'], FeedKind>>];

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

/** The canonical fields each entity kind reads (a customers feed reads the billing address as `customer.*`, a delivery_addresses feed as `delivery.*`). */
export function entityFieldAllowed(kind: FeedConfig['kind'], field: string): boolean {
  if (field === 'id') return true;
  if (kind === 'customers') return field.startsWith('customer.') || field === 'default_delivery' || field === 'price_group';
  if (kind === 'delivery_addresses') return field.startsWith('delivery.') || field === 'customer_no';
  if (kind === 'stock') return field.startsWith('stock.') || field === 'warehouse';
  if (kind === 'prices') return field.startsWith('price.') || field === 'currency';
  return false;
}
