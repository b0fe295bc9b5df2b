import type { App } from '../app.ts';
import { edgeCredentials, edgeSettings } from '../edge/settings.ts';
import { startServer } from './server.ts';

/** Starts the Pull API server for an app (`serve`, and `run --serve`), warning about auth that refuses everything. */
export async function startServeFor(app: App, overrides: { host?: string; port?: number } = {}) {
  const settings = edgeSettings(app.cfg);
  const { credentials, missingEnv, firstLiteral } = edgeCredentials(app.cfg);
  for (const name of missingEnv) app.log.warn({ env: name }, 'environment variable is not set; that token or secret is not accepted');
  if (credentials.tokenHashes.length === 0 && credentials.hmacSecrets.length === 0) app.log.warn('no auth token or secret configured: every request will be refused (401/403)');
  if (settings.signed && credentials.hmacSecrets.length === 0) app.log.warn('auth.modes has signed but no auth.secrets: signed requests are refused');
  const server = await startServer({
    host: overrides.host ?? app.cfg.serve.host,
    port: overrides.port ?? app.cfg.serve.port,
    edge: settings,
    credentials,
    target: app.target,
    log: app.log.child({ component: 'serve' }),
    compute: { pageSize: app.cfg.pageSize },
  });
  app.log.info({ url: server.url, prefix: app.cfg.prefix, target: app.target.description, modes: app.cfg.auth.modes }, 'serving the Pull API');
  return { ...server, firstLiteral };
}
