/**
 * Names of the KeyValueStore entries the viewer-request function reads. The store holds the secrets,
 * the function's code holds none, so a rotation changes entries, never code.
 *
 * - `token.<sha256 hex of a bearer token>` → the same sha256 hex. One entry per valid token: the
 *   function hashes the presented token and looks up exactly that entry, then compares in constant
 *   time. Add an entry to accept a token, delete it to revoke.
 * - `hmac.0`, `hmac.1`, `hmac.2` → HMAC secrets for signed mode (slots; up to 3 valid at once).
 * - `pdf.0`, `pdf.1`, `pdf.2` → secrets of PDF links (`?sig=`), the same way.
 *
 * Limits of a KeyValueStore: key ≤ 512 bytes, value ≤ 1 KB, 5 MB per store.
 */
export const KVS_TOKEN_PREFIX = 'token.';
export const KVS_HMAC_PREFIX = 'hmac.';
export const KVS_PDF_PREFIX = 'pdf.';
/** Slots per kind of secret (HMAC, PDF link). */
export const KVS_HMAC_SLOTS = 3;
/** The distribution's origin id of the compute path (samples/aws/template.yaml). */
export const COMPUTE_ORIGIN_ID = 'compute';
