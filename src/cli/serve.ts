import type { App } from '../app.ts';
import { startServer } from '../serve/server.ts';
import { listPageKey } from '../layout/keys.ts';
import { edgeCredentials, edgeSettings } from '../edge/settings.ts';
import { withApp, type GlobalOptions } from './context.ts';

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
  });
  app.log.info({ url: server.url, prefix: app.cfg.prefix, target: app.target.description, modes: app.cfg.auth.modes }, 'serving the Pull API');
  return { ...server, firstLiteral };
}

/**
 * The demo's "try it" line. Printed to stderr, outside the log, and only when the config asks for it
 * (printCurl: the bundled sample's public demo token); otherwise the token is a placeholder.
 */
export function curlHint(app: App, url: string, firstLiteral: string | undefined): string | undefined {
  const customer = app.store.busiestOrderCustomer();
  if (customer === undefined) return undefined;
  const token = app.cfg.serve.printCurl && firstLiteral ? firstLiteral : '<token>';
  const header = app.cfg.auth.header === 'authorization' ? 'Authorization' : app.cfg.auth.header;
  return `curl -s -H '${header}: Bearer ${token}' ${url}/${app.cfg.prefix}/${listPageKey(customer, 'orders', 1)}`;
}

export async function serveCommand(g: GlobalOptions, opts: { host?: string; port?: number }): Promise<number> {
  return withApp(g, async (app) => {
    const server = await startServeFor(app, opts);
    const hint = curlHint(app, server.url, server.firstLiteral);
    if (hint) process.stderr.write(`\nTry it:\n  ${hint}\n\n`);
    await waitForSignal();
    await server.close();
    return 0;
  });
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
