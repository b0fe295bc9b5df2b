import { parseKey } from '../render/keys.ts';
import { checkBearer } from './auth.ts';

export interface EdgeRequest {
  method: string;
  /** Raw path, percent-encoded as received (no query). */
  path: string;
  headers: Record<string, string | undefined>;
}

export interface EdgeConfig {
  prefix: string;
  /** Lower-case header name carrying `Bearer <token>`. */
  header: string;
  tokenHashes: readonly string[];
}

export type EdgeDecision =
  | { action: 'serve'; key: string }
  | { action: 'respond'; status: number; body: { error: string; message: string }; headers?: Record<string, string> };

const respond = (status: number, error: string, message: string, headers?: Record<string, string>): EdgeDecision =>
  ({ action: 'respond', status, body: { error, message }, ...(headers ? { headers } : {}) });

/**
 * Pure decision for one request: authorised or not, and which object key answers it. Auth comes
 * first, so an unauthenticated caller learns nothing about which customers or documents exist.
 */
export function decide(req: EdgeRequest, cfg: EdgeConfig): EdgeDecision {
  if (req.method !== 'GET' && req.method !== 'HEAD') return respond(405, 'method_not_allowed', 'only GET and HEAD', { allow: 'GET, HEAD' });
  const auth = checkBearer(req.headers[cfg.header], cfg.tokenHashes);
  if (auth === 'missing') return respond(401, 'unauthorized', `send ${cfg.header}: Bearer <token>`, { 'www-authenticate': 'Bearer' });
  if (auth === 'invalid') return respond(403, 'forbidden', 'the token is not valid');
  const base = `/${cfg.prefix}/`;
  if (!req.path.startsWith(base)) return respond(404, 'not_found', 'no such document');
  let key: string;
  try {
    key = decodeURIComponent(req.path.slice(base.length));
  } catch {
    return respond(400, 'bad_request', 'malformed path');
  }
  // Only keys of the published layout, spelled canonically, are served; anything else is a 404.
  if (!parseKey(key)) return respond(404, 'not_found', 'no such document');
  return { action: 'serve', key };
}
