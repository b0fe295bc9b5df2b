import type { Config } from '../config/types.ts';
import { ConfigError } from '../errors.ts';
import { edgeCredentials } from './settings.ts';
import { KVS_HMAC_PREFIX, KVS_HMAC_SLOTS, KVS_PDF_PREFIX, KVS_TOKEN_PREFIX } from './cloudfront/kvs-keys.ts';

/** One KeyValueStore entry, in the shape of CloudFront's KVS import file (`{"data":[{key,value}]}`). */
export interface KvsEntry {
  key: string;
  value: string;
}

/**
 * The entries the viewer-request function reads, from the config's tokens and secrets: one
 * `token.<sha256>` per valid bearer token (value: the same sha256), `hmac.0..2` for the HMAC
 * secrets and `pdf.0..2` for the PDF-link secrets (`pdfLinks.secrets`, in config order). The values are secrets (or hashes of them): write them to a file only you can read, and
 * never log them. Every environment variable the config names must be set: a deploy artefact is
 * never silently missing a credential.
 */
export function kvsEntries(cfg: Pick<Config, 'auth'> & Partial<Pick<Config, 'pdfLinks'>>, env: NodeJS.ProcessEnv = process.env): KvsEntry[] {
  const { credentials, missingEnv } = edgeCredentials(cfg, env);
  if (missingEnv.length > 0) {
    throw new ConfigError(`edge: environment variable${missingEnv.length > 1 ? 's' : ''} ${missingEnv.join(', ')} named in auth.tokens/auth.secrets ${missingEnv.length > 1 ? 'are' : 'is'} not set`, 'auth', undefined, 'config-secret');
  }
  if (credentials.hmacSecrets.length > KVS_HMAC_SLOTS) throw new ConfigError(`edge: at most ${KVS_HMAC_SLOTS} auth.secrets fit the KeyValueStore slots`, 'auth.secrets', undefined, 'config-edge');
  const entries: KvsEntry[] = [];
  for (const hash of new Set(credentials.tokenHashes)) entries.push({ key: `${KVS_TOKEN_PREFIX}${hash}`, value: hash });
  credentials.hmacSecrets.forEach((secret, i) => entries.push({ key: `${KVS_HMAC_PREFIX}${i}`, value: secret }));
  (credentials.pdfSecrets ?? []).forEach((secret, i) => entries.push({ key: `${KVS_PDF_PREFIX}${i}`, value: secret }));
  for (const e of entries) {
    if (Buffer.byteLength(e.value) > 1024) throw new ConfigError(`edge: the value of KeyValueStore entry ${e.key} is over 1 KB`, 'auth', undefined, 'config-edge');
  }
  return entries;
}
