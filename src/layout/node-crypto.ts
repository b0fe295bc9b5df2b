import { createHash, createHmac } from 'node:crypto';
import { pdfLinkSignature, type EdgeCrypto } from './pdf-link.ts';

/** node:crypto behind the edge's crypto interface (the CloudFront Function uses its own `crypto` module). */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function hmacSha256Hex(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value, 'utf8').digest('hex');
}

export const nodeEdgeCrypto: EdgeCrypto = { sha256Hex, hmacSha256Hex };

/** Signs PDF-link paths (`/{prefix}/{key}`) with one secret, for the renderer; the secret stays in the closure. */
export function pdfLinkSigner(secret: string): (path: string) => string {
  return (path) => pdfLinkSignature(secret, path, nodeEdgeCrypto);
}
