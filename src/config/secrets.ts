import { readFileSync } from 'node:fs';
import type { Config } from './types.ts';
import { sha256Hex } from '../layout/node-crypto.ts';
import { ConfigError } from '../errors.ts';

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

/** What a PDF-link secret must look like: printable ASCII without spaces, 16 to 1000 characters. */
const PDF_LINK_SECRET = /^[!-~]{16,1000}$/;

/**
 * The PDF-link secrets (`pdfLinks.secrets`, newest first: the first signs), read from the
 * environment or their files. Empty when the config has no `pdfLinks`. Throws a ConfigError naming
 * the entry (never its value) when a variable is unset, a file unreadable or a secret malformed: a
 * document rendered without the signing secret would publish a link nobody can open.
 */
export function resolvePdfLinkSecrets(cfg: Partial<Pick<Config, 'pdfLinks'>>, env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  (cfg.pdfLinks?.secrets ?? []).forEach((s, i) => {
    const key = `pdfLinks.secrets.${i}`;
    let value: string | undefined;
    if ('env' in s) {
      value = env[s.env];
      if (!value) throw new ConfigError(`\`${key}\`: environment variable ${s.env} is not set`, key, undefined, 'config-secret');
    } else {
      try {
        value = readFileSync(s.file, 'utf8').replace(/\r?\n$/, '');
      } catch (err) {
        throw new ConfigError(`\`${key}\`: cannot read ${s.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, key, undefined, 'config-secret');
      }
    }
    if (!PDF_LINK_SECRET.test(value)) throw new ConfigError(`\`${key}\`: the secret must be 16 to 1000 printable ASCII characters without spaces`, key, undefined, 'config-secret');
    out.push(value);
  });
  return out;
}
