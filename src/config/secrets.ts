import type { Config } from './types.ts';
import { sha256Hex } from '../edge/node-crypto.ts';

export interface ResolvedTokens {
  hashes: string[];
  /** Environment variables that were named but are not set (logged, never fatal on their own). */
  missingEnv: string[];
  /** The first literal token of the file, for the demo's ready curl line only. */
  firstLiteral: string | undefined;
}

/** Token hashes from the config: literals and environment variables are hashed at once and not kept. */
export function resolveTokens(cfg: Pick<Config, 'auth'>, env: NodeJS.ProcessEnv = process.env): ResolvedTokens {
  const out: ResolvedTokens = { hashes: [], missingEnv: [], firstLiteral: undefined };
  for (const t of cfg.auth.tokens) {
    if ('sha256' in t) out.hashes.push(t.sha256);
    else if ('value' in t) {
      out.hashes.push(sha256Hex(t.value));
      out.firstLiteral ??= t.value;
    } else {
      const v = env[t.env];
      if (v) out.hashes.push(sha256Hex(v));
      else out.missingEnv.push(t.env);
    }
  }
  if (env.VENDRE_PULL_TOKEN && !cfg.auth.tokens.some((t) => 'env' in t && t.env === 'VENDRE_PULL_TOKEN')) {
    out.hashes.push(sha256Hex(env.VENDRE_PULL_TOKEN));
  }
  return out;
}

export interface ResolvedSecrets {
  /** HMAC secrets for signed mode, in config order. */
  secrets: string[];
  missingEnv: string[];
}

/** HMAC secrets (signed mode) from literals and environment variables. They are secrets: never log them. */
export function resolveHmacSecrets(cfg: Pick<Config, 'auth'>, env: NodeJS.ProcessEnv = process.env): ResolvedSecrets {
  const out: ResolvedSecrets = { secrets: [], missingEnv: [] };
  for (const s of cfg.auth.secrets) {
    if ('value' in s) out.secrets.push(s.value);
    else if (env[s.env]) out.secrets.push(env[s.env]!);
    else out.missingEnv.push(s.env);
  }
  return out;
}
