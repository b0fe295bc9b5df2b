import type { App } from '../app.ts';
import { resolveTokens } from '../config/secrets.ts';
import { createMetrics, type Metrics } from '../ops/metrics.ts';
import { isLoopback, startAdmin } from './server.ts';
import { logCode } from '../errors.ts';

export interface AdminHandle {
  metrics: Metrics;
  /** Undefined when `admin.enabled` is false. */
  url: string | undefined;
  close(): Promise<void>;
}

/**
 * The daemon's metrics and, unless `admin.enabled` is false, its admin port (health, metrics, pages).
 * Fails fast (ConfigError) when the port is taken, or when it is bound beyond loopback without tokens.
 */
export async function startAdminFor(app: App, opts: { stopping: () => boolean }): Promise<AdminHandle> {
  const { cfg, log } = app;
  const metrics = createMetrics({ store: app.store, feeds: cfg.feeds, quarantineDir: cfg.folders.quarantine, markers: cfg.inbox.markers });
  if (!cfg.admin.enabled) return { metrics, url: undefined, close: async () => undefined };
  const tokens = resolveTokens({ auth: { ...cfg.auth, tokens: cfg.admin.tokens ?? cfg.auth.tokens } });
  const protectedPort = !isLoopback(cfg.admin.host);
  if (protectedPort) for (const name of tokens.missingEnv) log.warn({ ...logCode('secret-env-unset'), env: name }, 'admin token environment variable is not set; that token is not accepted');
  const server = await startAdmin({ app, host: cfg.admin.host, port: cfg.admin.port, tokenHashes: protectedPort ? tokens.hashes : [], metrics, log: log.child({ component: 'admin' }), stopping: opts.stopping });
  // It never keeps the process alive on its own: if the daemon fails after this, the process ends.
  server.server.unref();
  log.info({ url: server.url, auth: protectedPort ? 'token' : 'loopback' }, 'admin port: /healthz, /metrics and the admin pages');
  return { metrics, url: server.url, close: () => server.close() };
}
