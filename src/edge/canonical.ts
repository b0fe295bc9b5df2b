/**
 * The string a signed request's HMAC covers (signed mode). One definition for the edge (which
 * checks it), `serve` (the same module) and `vendre-pull sign` (which makes it):
 *
 *     VP1-HMAC-SHA256 \n METHOD \n PATH \n QUERY \n TIMESTAMP
 *
 * - METHOD: as sent (`GET`, `HEAD`).
 * - PATH: the request path without the query, each `/`-separated segment percent-decoded and
 *   re-encoded with RFC 3986 (unreserved `A-Z a-z 0-9 - . _ ~` as they are, every other UTF-8 byte
 *   `%XX`, upper-case hex), so `/v1/orders/A%7e1` and `/v1/orders/A~1` sign the same.
 * - QUERY: every parameter, including unknown ones and repeats, decoded (`+` is a space) and
 *   re-encoded the same way, as `name=value`, sorted by name then value (byte order), joined by `&`;
 *   empty when there is no query.
 * - TIMESTAMP: the `X-Timestamp` header as sent: Unix time in seconds.
 *
 * `X-Signature` = lower-case hex HMAC-SHA256(secret, that string). A signature therefore names one
 * method, one path, one query and one moment; the edge accepts it within ±windowSeconds.
 * ES5 syntax and built-ins only: this runs in the CloudFront Function too.
 */
import { percentDecode, percentEncode, type QueryPair } from './query.ts';

export const SIGNING_SCHEME = 'VP1-HMAC-SHA256';

/** Undefined when a segment is malformed percent-encoding. */
export function canonicalPath(rawPath: string): string | undefined {
  const segments = rawPath.split('/');
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const decoded = percentDecode(segments[i]!, false);
    if (decoded === undefined) return undefined;
    out.push(percentEncode(decoded));
  }
  return out.join('/');
}

/** Undefined when a name or value is malformed percent-encoding. */
export function canonicalQuery(pairs: readonly QueryPair[]): string | undefined {
  const items: string[][] = [];
  for (let i = 0; i < pairs.length; i++) {
    const name = percentDecode(pairs[i]!.name, true);
    const value = percentDecode(pairs[i]!.value, true);
    if (name === undefined || value === undefined) return undefined;
    items.push([percentEncode(name), percentEncode(value)]);
  }
  items.sort(compareItems);
  const parts: string[] = [];
  for (let i = 0; i < items.length; i++) parts.push(items[i]![0] + '=' + items[i]![1]);
  return parts.join('&');
}

function compareItems(a: string[], b: string[]): number {
  if (a[0]! !== b[0]!) return a[0]! < b[0]! ? -1 : 1;
  if (a[1]! !== b[1]!) return a[1]! < b[1]! ? -1 : 1;
  return 0;
}

export function stringToSign(method: string, rawPath: string, pairs: readonly QueryPair[], timestamp: string): string | undefined {
  const path = canonicalPath(rawPath);
  const query = canonicalQuery(pairs);
  if (path === undefined || query === undefined) return undefined;
  return SIGNING_SCHEME + '\n' + method + '\n' + path + '\n' + query + '\n' + timestamp;
}
