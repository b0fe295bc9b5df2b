/**
 * The edge decision, one pure function for `serve` and the CloudFront Function: for a request
 * (method, raw path, raw query, headers, now), either the object key that answers it or a status
 * with a JSON body. Order: method, then auth, then routing, so a caller without valid credentials
 * learns nothing about which customers or documents exist. (A PDF link's `sig` is the one proof
 * bound to an object, so it is checked against the routed key; see auth.ts.)
 *
 * Portable on purpose: no Node API, crypto and credentials injected, ES5 syntax only (no
 * destructuring, for-of, spread, classes, default parameters). src/edge/cloudfront/ bundles it.
 */
import { checkBearer, checkPdfLink, checkSignature, type AuthResult } from './auth.ts';
import type { EdgeCrypto } from '../layout/pdf-link.ts';
import type { QueryPair } from './query.ts';
import { route } from './route.ts';
import type { ComputeKind } from './route.ts';

export interface EdgeSettings {
  /** Key prefix without slashes (`v1`). */
  prefix: string;
  /** Lower-case name of the header carrying `Bearer <token>`. */
  header: string;
  /** Which proofs are accepted. */
  bearer: boolean;
  signed: boolean;
  /** Signed mode: accepted clock difference, in seconds. */
  windowSeconds: number;
}

export interface EdgeCredentials {
  /** sha256 hex digests of the valid bearer tokens. */
  tokenHashes: readonly string[];
  /** HMAC secrets for signed mode. */
  hmacSecrets: readonly string[];
  /** Secrets of PDF links (`?sig=`); none: no PDF link is accepted. */
  pdfSecrets?: readonly string[];
}

export interface EdgeRequest {
  method: string;
  /** The path as received, still percent-encoded, without the query. */
  path: string;
  /** Query parameters as received, still percent-encoded. */
  query: readonly QueryPair[];
  /** Lower-case header names; a header sent more than once is REPEATED (see headerValue). */
  headers: Record<string, string | undefined>;
  /** Milliseconds since the epoch. */
  now: number;
}

export interface ErrorBody {
  error: string;
  message: string;
}

export type EdgeDecision =
  | { action: 'serve'; key: string }
  /** A list call no published object answers: the compute path's (src/edge/compute/), with the known parameters only. */
  | { action: 'compute'; list: ComputeKind; query: QueryPair[] }
  | { action: 'respond'; status: number; body: ErrorBody; headers?: Record<string, string> };

export const SIGNATURE_HEADER = 'x-signature';
export const TIMESTAMP_HEADER = 'x-timestamp';

/**
 * The value decide() sees for a header sent more than once. Node joins repeats or keeps the first
 * (Authorization), CloudFront hands the first and the rest in `multiValue`: both glues pass this
 * instead, and as a credential it is malformed, so a repeated Authorization, X-Signature or
 * X-Timestamp is refused (403) whatever the values, even two equal ones.
 */
export const REPEATED = '\n';

export function headerValue(values: readonly string[]): string | undefined {
  return values.length > 1 ? REPEATED : values[0];
}

function respond(status: number, error: string, message: string, headers?: Record<string, string>): EdgeDecision {
  const d: EdgeDecision = { action: 'respond', status: status, body: { error: error, message: message } };
  if (headers) d.headers = headers;
  return d;
}

export function decide(req: EdgeRequest, settings: EdgeSettings, credentials: EdgeCredentials, crypto: EdgeCrypto): EdgeDecision {
  if (req.method !== 'GET' && req.method !== 'HEAD') return respond(405, 'method_not_allowed', 'only GET and HEAD', { allow: 'GET, HEAD' });
  const bearer: AuthResult = settings.bearer ? checkBearer(req.headers[settings.header], credentials.tokenHashes, crypto) : 'missing';
  const signed: AuthResult = settings.signed
    ? checkSignature(
        { method: req.method, path: req.path, query: req.query, timestamp: req.headers[TIMESTAMP_HEADER], signature: req.headers[SIGNATURE_HEADER], now: req.now },
        credentials.hmacSecrets,
        settings.windowSeconds,
        crypto,
      )
    : 'missing';
  if (bearer === 'missing' && signed === 'missing') {
    // No header credential: a PDF link's `sig` may still open that one PDF (never a JSON key). Routing
    // is pure, so the answer to anything else is the same 401 whatever exists.
    const p = route(req.path, req.query, settings.prefix);
    if ('key' in p && isPdf(p.key) && checkPdfLink('/' + settings.prefix + '/' + p.key, req.query, credentials.pdfSecrets || [], crypto)) return { action: 'serve', key: p.key };
    const how = settings.bearer ? 'send ' + settings.header + ': Bearer <token>' : 'send X-Timestamp and X-Signature';
    return respond(401, 'unauthorized', how, settings.bearer ? { 'www-authenticate': 'Bearer' } : undefined);
  }
  // Every credential presented must hold; one good and one bad is still refused.
  if (bearer === 'invalid' || signed === 'invalid') return respond(403, 'forbidden', 'the credentials are not valid');
  const r = route(req.path, req.query, settings.prefix);
  if ('key' in r) return { action: 'serve', key: r.key };
  if ('compute' in r) return { action: 'compute', list: r.compute, query: r.query };
  return respond(r.status, r.error, r.message);
}

/** Routed keys are in the layout already, so the extension tells. */
function isPdf(key: string): boolean {
  return key.slice(-4) === '.pdf';
}
