import { resolveHmacSecrets } from '../config/secrets.ts';
import type { Config } from '../config/types.ts';
import { stringToSign } from '../edge/canonical.ts';
import { hmacSha256Hex } from '../layout/node-crypto.ts';
import { parseQueryString } from '../edge/query.ts';
import { UsageError } from '../errors.ts';
import { loadFromOptions, type GlobalOptions } from './context.ts';

export interface SignOptions {
  query?: string;
  method?: string;
  timestamp?: number;
  url?: string;
  mode?: 'signed' | 'bearer';
  showToken?: boolean;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * `vendre-pull sign PATH`: the headers for one request, as curl arguments (`-H '…'`), or a whole curl
 * command with `--url`. Signed mode: X-Timestamp and X-Signature for exactly this method, path and
 * query, valid ±auth.windowSeconds. Bearer mode: a token from the config is printed only with
 * --show-token; otherwise the header reads it from the environment variable the config names.
 */
export function signCommand(pathArg: string, g: GlobalOptions, opts: SignOptions): number {
  const cfg = loadFromOptions(g);
  const method = (opts.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') throw new UsageError(`--method: only GET and HEAD are served, not ${method}`, 'usage-option');
  const q = pathArg.indexOf('?');
  let path = q < 0 ? pathArg : pathArg.slice(0, q);
  const query = [q < 0 ? '' : pathArg.slice(q + 1), opts.query ?? ''].filter(Boolean).join('&');
  if (!path.startsWith('/')) path = `/${cfg.prefix}/${path}`;
  const mode = opts.mode ?? (cfg.auth.modes.includes('signed') ? 'signed' : 'bearer');
  if (!cfg.auth.modes.includes(mode)) throw new UsageError(`--mode ${mode}: auth.modes of the config is [${cfg.auth.modes.join(', ')}]`, 'usage-option');
  const headers = mode === 'signed' ? signedHeaders(cfg, method, path, query, opts.timestamp) : bearerHeader(cfg, opts.showToken === true);
  const args = headers.map((h) => (h.startsWith('"') ? `-H ${h}` : `-H ${quote(h)}`));
  if (method === 'HEAD') args.unshift('-I');
  const target = `${path}${query ? `?${query}` : ''}`;
  process.stdout.write(opts.url ? `curl -s ${args.join(' ')} ${quote(`${opts.url.replace(/\/$/, '')}${target}`)}\n` : `${args.join(' ')}\n`);
  return 0;
}

function signedHeaders(cfg: Readonly<Config>, method: string, path: string, query: string, timestamp: number | undefined): string[] {
  const secret = resolveHmacSecrets(cfg).secrets[0];
  if (secret === undefined) throw new UsageError('sign: no HMAC secret: set auth.secrets in the config (or the environment variable it names)', 'usage-credentials');
  const ts = String(timestamp ?? Math.floor(Date.now() / 1000));
  const text = stringToSign(method, path, parseQueryString(query), ts);
  if (text === undefined) throw new UsageError('sign: the path or query is not valid percent-encoding', 'usage-option');
  return [`X-Timestamp: ${ts}`, `X-Signature: ${hmacSha256Hex(secret, text)}`];
}

function bearerHeader(cfg: Readonly<Config>, show: boolean): string[] {
  const name = cfg.auth.header === 'authorization' ? 'Authorization' : cfg.auth.header;
  const literal = cfg.auth.tokens.find((t): t is { value: string } => 'value' in t);
  const fromEnv = cfg.auth.tokens.find((t): t is { env: string } => 'env' in t);
  if (show) {
    const token = literal?.value ?? (fromEnv ? process.env[fromEnv.env] : undefined) ?? process.env.VENDRE_PULL_TOKEN;
    if (!token) throw new UsageError('sign --show-token: the config holds no token (only hashes, or an unset environment variable)', 'usage-credentials');
    return [`${name}: Bearer ${token}`];
  }
  const env = fromEnv?.env ?? 'VENDRE_PULL_TOKEN';
  process.stderr.write(`the token is not printed: your shell reads it from $${env} (or pass --show-token)\n`);
  // Double quotes, so the shell expands the variable when the line is run.
  return [`"${name}: Bearer $${env}"`];
}
