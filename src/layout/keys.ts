/**
 * Object keys of the Pull API layout, relative to the configured prefix. The publisher, `serve` and
 * the edge share this module so a document is looked up exactly where it was written.
 *
 * Ids and customer numbers pass through one reversible, path-safe encoding: letters, digits, `_`,
 * `-` and `.` (not leading) stay as they are, every other UTF-8 byte becomes `~XX`. No input can
 * produce `/`, `..` or a leading dot, so no key leaves `customers/{c}/`.
 */

import { hex2, utf8Bytes, utf8Decode } from './utf8.ts';

/** Letters, digits, `_`, `-`, `.`: the characters a segment keeps as they are. */
function isSafe(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46;
}

// Both functions run inside the CloudFront Function too (see src/edge/): ES5 syntax and built-ins only.
export function encodeSegment(value: string): string {
  if (value.length === 0) throw new Error('cannot encode an empty id');
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (isSafe(c) && !(i === 0 && c === 46)) {
      out += value.charAt(i);
      continue;
    }
    // The UTF-8 bytes of one character: a surrogate pair is one, a lone surrogate becomes U+FFFD.
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < value.length && value.charCodeAt(i + 1) >= 0xdc00 && value.charCodeAt(i + 1) <= 0xdfff;
    const bytes = utf8Bytes(value.slice(i, pair ? i + 2 : i + 1));
    for (let k = 0; k < bytes.length; k++) out += '~' + hex2(bytes[k]!);
    if (pair) i++;
  }
  return out;
}

/** Inverse of encodeSegment; undefined for anything encodeSegment cannot have produced. */
export function decodeSegment(segment: string): string | undefined {
  if (!/^(?:[A-Za-z0-9_.-]|~[0-9A-F]{2})+$/.test(segment) || segment.charAt(0) === '.') return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < segment.length; ) {
    if (segment.charAt(i) === '~') {
      bytes.push(parseInt(segment.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      bytes.push(segment.charCodeAt(i));
      i++;
    }
  }
  const decoded = utf8Decode(bytes);
  // Only the canonical spelling is valid, so one document has exactly one key.
  return decoded !== undefined && encodeSegment(decoded) === segment ? decoded : undefined;
}

export type ListKind = 'orders' | 'invoices' | 'credit-invoices';

export function customerPrefix(customerNo: string): string {
  return `customers/${encodeSegment(customerNo)}/`;
}

export function listPageKey(customerNo: string, list: ListKind, page: number, year?: number): string {
  const years = year === undefined ? '' : `years/${year}/`;
  return `${customerPrefix(customerNo)}${list}/${years}pages/${page}.json`;
}

export function documentKey(customerNo: string, list: ListKind, id: string): string {
  return `${customerPrefix(customerNo)}${list}/${encodeSegment(id)}.json`;
}

/** The PDF of an order, invoice or credit invoice, beside its JSON. */
export function pdfKey(customerNo: string, list: ListKind, id: string): string {
  return `${customerPrefix(customerNo)}${list}/${encodeSegment(id)}.pdf`;
}

export function backordersKey(customerNo: string): string {
  return `${customerPrefix(customerNo)}backorders.json`;
}

/** A customer's current addresses: billing and every delivery address. */
export function addressesKey(customerNo: string): string {
  return `${customerPrefix(customerNo)}addresses.json`;
}

/** One article's stock, per warehouse. Outside `customers/`: stock is the same for every customer. */
export function stockKey(article: string): string {
  return `stock/${encodeSegment(article)}.json`;
}

/**
 * Index objects of the compute path (src/edge/compute/): what a filtered or offset list is computed
 * from. Outside the servable layout on purpose (parseKey does not know them), so the edge never
 * answers with one as it is.
 *
 * - `customers/{c}/index.json`: the customer's manifest (page size, years and counts per list);
 * - `customers/{c}/{orders|invoices}/index/{year}.json`: that year's list items, newest first.
 *   Credit invoices are the `type: credit` items of the invoice index.
 */
export function indexManifestKey(customerNo: string): string {
  return `${customerPrefix(customerNo)}index.json`;
}

export type IndexedList = 'orders' | 'invoices';

export function indexKey(customerNo: string, list: IndexedList, year: number): string {
  return `${customerPrefix(customerNo)}${list}/index/${year}.json`;
}

/**
 * The compute path's price objects, never served as they are (an article's rows name every
 * customer with a price of its own): `prices/{article}.json`, every price list's rows for one
 * article, and `customers/{c}/pricing.json`, the customer's price group.
 */
export function pricesKey(article: string): string {
  return `prices/${encodeSegment(article)}.json`;
}

export function pricingKey(customerNo: string): string {
  return `${customerPrefix(customerNo)}pricing.json`;
}

/** True for an index object's key (indexManifestKey, indexKey, pricesKey, pricingKey). */
export function isIndexKey(key: string): boolean {
  return /^(?:customers\/[^/]+\/(?:index\.json|pricing\.json|(?:orders|invoices)\/index\/\d{4}\.json)|prices\/[^/]+\.json)$/.test(key);
}

/** Parses a key back into its parts; undefined for anything outside the layout. */
export type ParsedKey =
  | { type: 'list'; customerNo: string; list: ListKind; page: number; year?: number }
  | { type: 'document'; customerNo: string; list: ListKind; id: string }
  | { type: 'pdf'; customerNo: string; list: ListKind; id: string }
  | { type: 'backorders'; customerNo: string }
  | { type: 'addresses'; customerNo: string }
  | { type: 'stock'; article: string };

export function parseKey(key: string): ParsedKey | undefined {
  // One regular expression for the three single objects: this runs in the 10 KB CloudFront Function.
  const b = /^(?:customers\/([^/]+)\/(backorders|addresses)|stock\/([^/]+))\.json$/.exec(key);
  if (b) {
    const v = decodeSegment(b[1] || b[3]!);
    return v === undefined ? undefined : b[3] ? { type: 'stock', article: v } : { type: b[2] as 'backorders', customerNo: v };
  }
  const m = /^customers\/([^/]+)\/(orders|invoices|credit-invoices)\/(?:(?:years\/(\d{4})\/)?pages\/([1-9]\d{0,5})\.json|([^/]+)\.(json|pdf))$/.exec(key);
  if (!m) return undefined;
  const customerNo = decodeSegment(m[1]!);
  if (customerNo === undefined) return undefined;
  const list = m[2] as ListKind;
  if (m[4] !== undefined) {
    return m[3] !== undefined ? { type: 'list', customerNo, list, page: Number(m[4]), year: Number(m[3]) } : { type: 'list', customerNo, list, page: Number(m[4]) };
  }
  const id = decodeSegment(m[5]!);
  if (id === undefined) return undefined;
  return { type: m[6] === 'pdf' ? 'pdf' : 'document', customerNo, list, id };
}

export function listOf(kind: 'order' | 'invoice' | 'credit'): ListKind {
  return kind === 'order' ? 'orders' : kind === 'invoice' ? 'invoices' : 'credit-invoices';
}
