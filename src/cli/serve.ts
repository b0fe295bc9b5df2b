import type { App } from '../app.ts';
import { listPageKey } from '../layout/keys.ts';
import { requireCredentials, startServeFor } from '../serve/start.ts';
import { withApp, type GlobalOptions } from './context.ts';

/**
 * The "try it" line, printed to stderr outside the log. The token itself only when the config asks
 * (printCurl: the bundled sample's public demo token); a token from the environment as `$NAME`, which
 * the shell expands; otherwise (hashes only, signed mode) the `sign` command that makes the headers.
 */
export function curlHint(app: App, url: string, firstLiteral: string | undefined): string | undefined {
  const customer = app.store.busiestOrderCustomer();
  if (customer === undefined) return undefined;
  const key = `/${app.cfg.prefix}/${listPageKey(customer, 'orders', 1)}`;
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
