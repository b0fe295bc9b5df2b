import type { App } from '../app.ts';
import { startServer } from '../serve/server.ts';
import { listPageKey } from '../layout/keys.ts';
import { edgeCredentials, edgeSettings } from '../edge/settings.ts';
import { ConfigError } from '../errors.ts';
import { withApp, type GlobalOptions } from './context.ts';

/**
 * Refuses to start (ConfigError, exit 2) a server that could accept no credential at all: every
 * request would be refused, and after a restart without the environment file the shop's history
 * would break silently. Names the variables that are not set.
 */
export function requireCredentials(cfg: App['cfg']): void {
  const { credentials, missingEnv } = edgeCredentials(cfg);
  if (credentials.tokenHashes.length > 0 || credentials.hmacSecrets.length > 0) return;
  const where = `\`auth\` in ${cfg.file}`;
  if (missingEnv.length) {
    const vars = missingEnv.join(', ');
    throw new ConfigError(
      `no credential can be accepted, so every request would be refused: environment variable${missingEnv.length > 1 ? 's' : ''} ${vars} ${missingEnv.length > 1 ? 'are' : 'is'} not set (${where}); set ${missingEnv.length > 1 ? 'them' : 'it'} in the service's environment, or start \`run\` with --no-serve`,
      'auth',
    );
  }
  throw new ConfigError(`no credential can be accepted, so every request would be refused: auth.modes is [${cfg.auth.modes.join(', ')}] but ${cfg.auth.modes.includes('signed') ? 'auth.secrets' : 'auth.tokens'} names none (${where})`, 'auth');
}

export async function startServeFor(app: App, overrides: { host?: string; port?: number } = {}) {
  requireCredentials(app.cfg);
  const settings = edgeSettings(app.cfg);
  const { credentials, missingEnv, firstLiteral } = edgeCredentials(app.cfg);
  // Some credential is accepted (checked above); a rotation's other half may still be missing.
  for (const name of missingEnv) app.log.warn({ env: name }, 'environment variable is not set; that token or secret is not accepted');
  if (settings.signed && credentials.hmacSecrets.length === 0) app.log.warn('auth.modes has signed but no auth.secrets: signed requests are refused');
  if (settings.bearer && credentials.tokenHashes.length === 0) app.log.warn('auth.modes has bearer but no token is set: bearer requests are refused');
  const server = await startServer({
    host: overrides.host ?? app.cfg.serve.host,
    port: overrides.port ?? app.cfg.serve.port,
    edge: settings,
    credentials,
    target: app.target,
    log: app.log.child({ component: 'serve' }),
  });
  app.log.info({ url: server.url, prefix: app.cfg.prefix, target: app.target.description, modes: app.cfg.auth.modes }, 'serving the Pull API');
  return { ...server, firstLiteral };
}

/**
 * The "try it" line, printed to stderr outside the log. The token itself only when the config asks
 * (printCurl: the bundled sample's public demo token); a token from the environment as `$NAME`, which
 * the shell expands; otherwise (hashes only, signed mode) the `sign` command that makes the headers.
 */
export function curlHint(app: App, url: string, firstLiteral: string | undefined): string | undefined {
  const row = app.store.db
    .prepare<[], { customer_no: string }>("SELECT customer_no FROM docs WHERE kind = 'order' GROUP BY customer_no ORDER BY count(*) DESC, customer_no LIMIT 1")
    .get();
  if (!row) return undefined;
  const key = `/${app.cfg.prefix}/${listPageKey(row.customer_no, 'orders', 1)}`;
  const header = app.cfg.auth.header === 'authorization' ? 'Authorization' : app.cfg.auth.header;
  const bearer = app.cfg.auth.modes.includes('bearer');
  if (bearer && app.cfg.serve.printCurl && firstLiteral) return `curl -s -H '${header}: Bearer ${firstLiteral}' ${url}${key}`;
  const fromEnv = app.cfg.auth.tokens.find((t): t is { env: string } => 'env' in t && !!process.env[t.env]);
  if (bearer && fromEnv) return `curl -s -H "${header}: Bearer $${fromEnv.env}" ${url}${key}`;
  return `vendre-pull sign ${key} --url ${url}${app.cfg.file ? ` --config ${app.cfg.file}` : ''}`;
}

export async function serveCommand(g: GlobalOptions, opts: { host?: string; port?: number }): Promise<number> {
  return withApp(g, async (app) => {
    requireCredentials(app.cfg);
    const server = await startServeFor(app, opts);
    const hint = curlHint(app, server.url, server.firstLiteral);
    if (hint) process.stderr.write(`\nTry it:\n  ${hint}\n\n`);
    await waitForSignal();
    await server.close();
    return 0;
  }, { destination: 1 });
}

export function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
