import type { App } from '../app.ts';
import { listPageKey } from '../layout/keys.ts';
import { startServeFor } from '../serve/start.ts';
import { withApp, type GlobalOptions } from './context.ts';

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
