/**
 * Object keys of the Pull API layout, relative to the configured prefix. The publisher, `serve` and
 * the edge share this module so a document is looked up exactly where it was written.
 *
 * Ids and customer numbers pass through one reversible, path-safe encoding: letters, digits, `_`,
 * `-` and `.` (not leading) stay as they are, every other UTF-8 byte becomes `~XX`. No input can
 * produce `/`, `..` or a leading dot, so no key leaves `customers/{c}/`.
 */

const SAFE = /[A-Za-z0-9_.-]/;

export function encodeSegment(value: string): string {
  if (value.length === 0) throw new Error('cannot encode an empty id');
  let out = '';
  let i = 0;
  for (const ch of value) {
    if (SAFE.test(ch) && !(i === 0 && ch === '.')) {
      out += ch;
    } else {
      for (const byte of Buffer.from(ch, 'utf8')) out += `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
    i++;
  }
  return out;
}

/** Inverse of encodeSegment; undefined for anything encodeSegment cannot have produced. */
export function decodeSegment(segment: string): string | undefined {
  if (!/^(?:[A-Za-z0-9_.-]|~[0-9A-F]{2})+$/.test(segment) || segment.startsWith('.')) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < segment.length; ) {
    if (segment[i] === '~') {
      bytes.push(parseInt(segment.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      bytes.push(segment.charCodeAt(i));
      i++;
    }
  }
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
  // Only the canonical spelling is valid, so one document has exactly one key.
  return encodeSegment(decoded) === segment ? decoded : undefined;
}

export type ListKind = 'orders' | 'invoices';

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

/** Parses a key back into its parts; undefined for anything outside the layout. */
export type ParsedKey =
  | { type: 'list'; customerNo: string; list: ListKind; page: number; year?: number }
  | { type: 'document'; customerNo: string; list: ListKind; id: string };

export function parseKey(key: string): ParsedKey | undefined {
  const m = /^customers\/([^/]+)\/(orders|invoices)\/(?:(?:years\/(\d{4})\/)?pages\/([1-9]\d{0,5})\.json|([^/]+)\.json)$/.exec(key);
  if (!m) return undefined;
  const customerNo = decodeSegment(m[1]!);
  if (customerNo === undefined) return undefined;
  const list = m[2] as ListKind;
  if (m[4] !== undefined) {
    return m[3] !== undefined ? { type: 'list', customerNo, list, page: Number(m[4]), year: Number(m[3]) } : { type: 'list', customerNo, list, page: Number(m[4]) };
  }
  const id = decodeSegment(m[5]!);
  return id === undefined ? undefined : { type: 'document', customerNo, list, id };
}
