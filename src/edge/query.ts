/**
 * Query strings and path components as the edge sees them. Everything here runs in the CloudFront
 * Function too: ES5 syntax and built-ins only (no destructuring, for-of, spread, classes).
 */
import { hex2, utf8Bytes, utf8Decode } from '../layout/utf8.ts';

/** One query parameter, spelled as the client sent it (still percent-encoded). */
export interface QueryPair {
  name: string;
  value: string;
}

/** `a=1&b=&c` → pairs, in order, not decoded. Empty parts (`&&`) are dropped. */
export function parseQueryString(raw: string): QueryPair[] {
  const out: QueryPair[] = [];
  if (raw === '') return out;
  const parts = raw.split('&');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '') continue;
    const eq = part.indexOf('=');
    out.push(eq < 0 ? { name: part, value: '' } : { name: part.slice(0, eq), value: part.slice(eq + 1) });
  }
  return out;
}

type CfQuery = Record<string, { value: string; multiValue?: Array<{ value: string }> }>;

/**
 * A CloudFront Functions `querystring` object (`{ name: { value, multiValue? } }`) → pairs. Own
 * properties only; and a parameter named `__proto__` is read back whichever way the runtime built
 * the object (an own property, or, built as a literal, the object's prototype), so it is a pair
 * like any other and serve and the function see the same query.
 */
export function pairsFromCloudFront(qs: CfQuery): QueryPair[] {
  const out: QueryPair[] = [];
  const names = Object.keys(qs);
  for (let i = 0; i < names.length; i++) addPairs(out, names[i]!, qs[names[i]!]!);
  const proto = Object.getPrototypeOf(qs);
  if (proto && proto !== Object.prototype) addPairs(out, '__proto__', proto);
  return out;
}

function addPairs(out: QueryPair[], name: string, entry: CfQuery[string]): void {
  const values = entry.multiValue || [entry];
  for (let i = 0; i < values.length; i++) out.push({ name: name, value: values[i]!.value });
}

/**
 * Strict percent-decoding to UTF-8 text. In a query `+` is a space (form encoding); in a path it is
 * a `+`. Undefined for a stray `%`, bad hex or bytes that are not valid UTF-8.
 */
export function percentDecode(raw: string, plusIsSpace: boolean): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charAt(i);
    if (ch === '%') {
      const h = raw.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(h)) return undefined;
      bytes.push(parseInt(h, 16));
      i += 2;
    } else if (ch === '+' && plusIsSpace) {
      bytes.push(32);
    } else {
      const b = utf8Bytes(ch);
      for (let k = 0; k < b.length; k++) bytes.push(b[k]!);
    }
  }
  return utf8Decode(bytes);
}

/** RFC 3986 encoding: `A-Z a-z 0-9 - . _ ~` stay, every other UTF-8 byte becomes `%XX` (upper-case hex). */
export function percentEncode(value: string): string {
  let out = '';
  const bytes = utf8Bytes(value);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const unreserved = (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 45 || b === 46 || b === 95 || b === 126;
    out += unreserved ? String.fromCharCode(b) : '%' + hex2(b);
  }
  return out;
}
