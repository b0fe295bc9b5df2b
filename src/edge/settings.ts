import type { Config } from '../config/types.ts';
import { resolveHmacSecrets, resolvePdfLinkSecrets, resolveTokens } from '../config/secrets.ts';
import type { EdgeCredentials, EdgeSettings } from './decide.ts';

/** The edge's non-secret settings from the config (baked into the CloudFront Function's code). */
export function edgeSettings(cfg: Pick<Config, 'prefix' | 'auth'>): EdgeSettings {
  return {
    prefix: cfg.prefix,
    header: cfg.auth.header.toLowerCase(),
    bearer: cfg.auth.modes.includes('bearer'),
    signed: cfg.auth.modes.includes('signed'),
    windowSeconds: cfg.auth.windowSeconds,
  };
}

export interface ResolvedCredentials {
  credentials: EdgeCredentials;
  /** Environment variables named in the config but not set, as `auth.tokens.N` / `auth.secrets.N` → name. */
  missingEnv: string[];
  /** The first literal token, for the demo's ready curl line only. */
  firstLiteral: string | undefined;
}

/**
 * Token hashes and HMAC secrets of the modes in use, and the PDF-link secrets (whatever the modes: a
 * PDF link is for requests without credentials). A PDF-link secret that cannot be read throws.
 */
export function edgeCredentials(cfg: Pick<Config, 'auth'> & Partial<Pick<Config, 'pdfLinks'>>, env: NodeJS.ProcessEnv = process.env): ResolvedCredentials {
  const bearer = cfg.auth.modes.includes('bearer');
  const signed = cfg.auth.modes.includes('signed');
  const tokens = resolveTokens(cfg, env);
  const secrets = resolveHmacSecrets(cfg, env);
  return {
    credentials: { tokenHashes: bearer ? tokens.hashes : [], hmacSecrets: signed ? secrets.secrets : [], pdfSecrets: resolvePdfLinkSecrets(cfg, env) },
    missingEnv: [...(bearer ? tokens.missingEnv : []), ...(signed ? secrets.missingEnv : [])],
    firstLiteral: bearer ? tokens.firstLiteral : undefined,
  };
}
