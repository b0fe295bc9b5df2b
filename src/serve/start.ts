import type { App } from '../app.ts';
import { edgeCredentials, edgeSettings } from '../edge/settings.ts';
import { ConfigError, logCode } from '../errors.ts';
import { startServer } from './server.ts';

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
      undefined,
      'config-no-credential',
    );
  }
  throw new ConfigError(`no credential can be accepted, so every request would be refused: auth.modes is [${cfg.auth.modes.join(', ')}] but ${cfg.auth.modes.includes('signed') ? 'auth.secrets' : 'auth.tokens'} names none (${where})`, 'auth', undefined, 'config-no-credential');
}

/** Starts the Pull API server for an app (`serve`, and `run --serve`); refuses auth that accepts nothing. */
export async function startServeFor(app: App, overrides: { host?: string; port?: number } = {}) {
  requireCredentials(app.cfg);
  const settings = edgeSettings(app.cfg);
  const { credentials, missingEnv, firstLiteral } = edgeCredentials(app.cfg);
  // Some credential is accepted (checked above); a rotation's other half may still be missing.
  for (const name of missingEnv) app.log.warn({ ...logCode('secret-env-unset'), env: name }, 'environment variable is not set; that token or secret is not accepted');
  if (settings.signed && credentials.hmacSecrets.length === 0) app.log.warn(logCode('auth-without-credential'), 'auth.modes has signed but no auth.secrets: signed requests are refused');
  if (settings.bearer && credentials.tokenHashes.length === 0) app.log.warn(logCode('auth-without-credential'), 'auth.modes has bearer but no token is set: bearer requests are refused');
  const server = await startServer({
    host: overrides.host ?? app.cfg.serve.host,
    port: overrides.port ?? app.cfg.serve.port,
    edge: settings,
    credentials,
    target: app.target,
    log: app.log.child({ component: 'serve' }),
    compute: { pageSize: app.cfg.pageSize, currency: app.cfg.currency, timeZone: app.cfg.timeZone },
  });
  app.log.info({ url: server.url, prefix: app.cfg.prefix, target: app.target.description, modes: app.cfg.auth.modes }, 'serving the Pull API');
  return { ...server, firstLiteral };
}
