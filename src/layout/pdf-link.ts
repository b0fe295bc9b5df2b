/** The crypto both runtimes offer (node:crypto in `serve` and the daemon, the CloudFront Function's `crypto` module at the edge). */
export interface EdgeCrypto {
  sha256Hex(value: string): string;
  hmacSha256Hex(secret: string, value: string): string;
}

/**
 * PDF links (capabilities): a shopper's browser opens `pdf_link` without Vendre's Authorization
 * header, so the link itself carries the proof, `?sig=` + the first 128 bits (32 lower-case hex
 * digits) of HMAC-SHA256(secret, "VP1-PDF\n" + path), path being `/{prefix}/{key}` of the PDF. No
 * expiry (documents must not depend on the clock): a link is valid until its secret is removed.
 */
export const PDF_LINK_PARAM = 'sig';

export function pdfLinkSignature(secret: string, path: string, crypto: EdgeCrypto): string {
  return crypto.hmacSha256Hex(secret, 'VP1-PDF\n' + path).slice(0, 32);
}

