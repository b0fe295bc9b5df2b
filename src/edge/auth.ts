/**
 * The two ways a request proves it comes from Vendre (or another client the merchant trusts):
 *
 * - bearer: `Authorization: Bearer <token>` (header name configurable). Only sha256 hashes of valid
 *   tokens are held (several, for rotation); the presented token is hashed and compared with every
 *   hash in constant time, so neither the token nor how many exist leaks through timing.
 * - signed: `X-Timestamp` + `X-Signature` = HMAC-SHA256(secret, canonical string; see canonical.ts),
 *   accepted within ±windowSeconds of the edge's clock.
 * - a PDF link's `?sig=` (below): one PDF, for a request without either header.
 *
 * Pure and portable: crypto is injected, because the same code runs in `serve` (node:crypto) and as
 * a CloudFront Function (its `crypto` module, which has no timingSafeEqual). ES5 syntax only.
 */
import { stringToSign } from './canonical.ts';
import type { QueryPair } from './query.ts';
import { PDF_LINK_PARAM, pdfLinkSignature, type EdgeCrypto } from '../layout/pdf-link.ts';


/** Longest credential header looked at; anything longer is refused without hashing it. */
export const MAX_CREDENTIAL_LENGTH = 1024;

export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i % (b.length || 1));
  return diff === 0;
}

export type AuthResult = 'ok' | 'missing' | 'invalid';

/** The token of a well-formed `Bearer <token>` header, else undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header.length > MAX_CREDENTIAL_LENGTH) return undefined;
  const m = /^Bearer[ \t]+([!-~]+)[ \t]*$/i.exec(header);
  return m ? m[1] : undefined;
}

export function checkBearer(header: string | undefined, validHashes: readonly string[], crypto: EdgeCrypto): AuthResult {
  if (header === undefined || /^[ \t]*$/.test(header)) return 'missing';
  const token = bearerToken(header);
  if (token === undefined) return 'invalid';
  const presented = crypto.sha256Hex(token);
  let ok = false;
  // Every hash is compared, no early exit.
  for (let i = 0; i < validHashes.length; i++) if (constantTimeEqual(presented, validHashes[i]!)) ok = true;
  return ok ? 'ok' : 'invalid';
}

export interface SignedRequest {
  method: string;
  path: string;
  query: readonly QueryPair[];
  timestamp: string | undefined;
  signature: string | undefined;
  /** Milliseconds since the epoch. */
  now: number;
}

export function checkSignature(req: SignedRequest, secrets: readonly string[], windowSeconds: number, crypto: EdgeCrypto): AuthResult {
  if (req.timestamp === undefined && req.signature === undefined) return 'missing';
  if (req.timestamp === undefined || req.signature === undefined) return 'invalid';
  if (!/^[0-9]{1,12}$/.test(req.timestamp) || !/^[0-9a-fA-F]{64}$/.test(req.signature)) return 'invalid';
  if (Math.abs(req.now / 1000 - Number(req.timestamp)) > windowSeconds) return 'invalid';
  const text = stringToSign(req.method, req.path, req.query, req.timestamp);
  if (text === undefined) return 'invalid';
  const presented = req.signature.toLowerCase();
  let ok = false;
  for (let i = 0; i < secrets.length; i++) if (constantTimeEqual(crypto.hmacSha256Hex(secrets[i]!, text), presented)) ok = true;
  return ok ? 'ok' : 'invalid';
}

/** True when the query has exactly one `sig`, and one of the secrets made it for this path (each compared in constant time). */
export function checkPdfLink(path: string, query: readonly QueryPair[], secrets: readonly string[], crypto: EdgeCrypto): boolean {
  let sig: string | undefined;
  for (let i = 0; i < query.length; i++) {
    if (query[i]!.name !== PDF_LINK_PARAM) continue;
    if (sig !== undefined) return false;
    sig = query[i]!.value;
  }
  if (sig === undefined || !/^[0-9a-f]{32}$/.test(sig)) return false;
  let ok = false;
  for (let i = 0; i < secrets.length; i++) if (constantTimeEqual(pdfLinkSignature(secrets[i]!, path, crypto), sig)) ok = true;
  return ok;
}
