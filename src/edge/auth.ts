import { createHash } from 'node:crypto';

/**
 * Bearer-token check. Only sha256 hashes of valid tokens are held (several, for rotation), and the
 * comparison runs in constant time over the hash, so neither the token nor its length leaks through
 * timing. Written without node's timingSafeEqual because the same code must run as a CloudFront
 * Function, whose runtime has none.
 */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i % (b.length || 1));
  return diff === 0;
}

export type BearerResult = 'ok' | 'missing' | 'invalid';

export function checkBearer(header: string | undefined, validHashes: readonly string[]): BearerResult {
  if (header === undefined || header.trim() === '') return 'missing';
  const m = /^Bearer[ \t]+(\S+)\s*$/i.exec(header);
  if (!m) return 'invalid';
  const presented = sha256Hex(m[1]!);
  let ok = false;
  // Compare against every hash, no early exit: how many tokens exist does not leak either.
  for (const h of validHashes) if (constantTimeEqual(presented, h)) ok = true;
  return ok ? 'ok' : 'invalid';
}
