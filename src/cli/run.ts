import { copyFile, mkdir, readdir, rename, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { App } from '../app.ts';
import { Inbox } from '../inbox/watch.ts';
import { sha256File } from '../inbox/files.ts';
import { feedFor, isIgnoredName, pdfFor } from '../inbox/names.ts';
import { processFile } from '../ingest/process.ts';
import { publishDirty } from '../publish/cycle.ts';
import { drainOutbox } from '../publish/drain.ts';
import { ApplyAborted } from '../ingest/apply.ts';
import { startAdminFor } from '../admin/start.ts';
import { requireCredentials, startServeFor } from '../serve/start.ts';
import { curlHint, waitForSignal } from './serve.ts';
import { ConfigError } from '../errors.ts';
import { withApp, type GlobalOptions } from './context.ts';

/** An unknown IANA zone would fail on the first admin page; said at start instead. */
function checkTimeZone(tz: string, file: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new ConfigError(`\`admin.timeZone\` in ${file}: "${tz}" is not a time zone this Node.js knows (IANA names such as Europe/Stockholm)`, 'admin.timeZone', undefined, 'config-invalid');
  }
}

/**
 * `run`: the daemon. Health-checks the target, finishes what a previous run left (dirty customers,
 * the outbox), serves the target, and takes complete files from the drop folder one at a time.
 * SIGINT/SIGTERM: stop taking files, roll back the file in hand (it is taken again next start),
 * publish what is queued within inbox.shutdownMs, exit 0. A second signal exits at once; the
 * store's transactions keep that safe too.
 */
export async function runCommand(g: GlobalOptions, opts: { seed?: string; serve: boolean }): Promise<number> {
  return withApp(g, async (app) => {
    const { cfg, log } = app;
    // Before anything is taken or published: a server that refuses every request is a config error.
    if (opts.serve) requireCredentials(cfg);
    if (cfg.admin.timeZone) checkTimeZone(cfg.admin.timeZone, cfg.file);
    await app.target.check();
    for (const dir of Object.values(cfg.folders)) await mkdir(dir, { recursive: true });
    const stopApply = new AbortController();
    const stopDrain = new AbortController();
    // Health, metrics and the admin pages: up first, so /healthz answers during a long first publish.
    const admin = await startAdminFor(app, { stopping: () => stopApply.signal.aborted });
    const { metrics } = admin;
    const leftover = await publishDirty({ ...app.publishContext(), signal: stopDrain.signal, onDrain: metrics.onDrain });
    if (leftover.customers || leftover.written || leftover.deleted) log.info({ ...leftover }, 'published what the previous run left');
    if (opts.seed) await seedInbox(app, opts.seed);

    const server = opts.serve ? await startServeFor(app) : undefined;
    let hinted = false;
    const hint = () => {
      if (hinted || !server) return;
      const line = curlHint(app, server.url, server.firstLiteral);
      if (line) {
        hinted = true;
        process.stderr.write(`\nvendre-pull is running. Fetch a customer's order list:\n  ${line}\n${admin.url ? `Admin pages, health and metrics: ${admin.url}/\n` : ''}\n`);
      }
    };
    hint();
    const inbox = new Inbox({
      dir: cfg.folders.drop,
      stableMs: cfg.inbox.stableMs,
      rescanMs: cfg.inbox.rescanMs,
      usePolling: cfg.inbox.usePolling,
      markers: cfg.inbox.markers,
      order: cfg.inbox.order,
      completion: (name) => feedFor(name, cfg.feeds)?.complete ?? 'stable',
      log,
      handle: async (file) => {
        try {
          metrics.fileDone(await processFile(app, file, { move: true, publish: true, signal: stopApply.signal, drainSignal: stopDrain.signal, onDrain: metrics.onDrain }));
        } catch (err) {
          if (!(err instanceof ApplyAborted)) throw err;
          log.info({ file: path.basename(file) }, 'stopping: file rolled back; it is taken again at the next start');
          return;
        }
        hint();
      },
    });
    await inbox.start();
    const signal = await waitForSignal();
    log.info({ signal, shutdownMs: cfg.inbox.shutdownMs }, 'stopping');
    const again = () => {
      log.warn('second signal: exiting now; queued publishing resumes at the next start');
      process.exit(130);
    };
    process.once('SIGINT', again);
    process.once('SIGTERM', again);
    stopApply.abort();
    const deadline = setTimeout(() => stopDrain.abort(), cfg.inbox.shutdownMs);
    await inbox.stop();
    const rest = await drainOutbox(app.store, app.target, log, { signal: stopDrain.signal, onEntry: metrics.onDrain });
    clearTimeout(deadline);
    await server?.close();
    await admin.close();
    const dirty = app.store.dirtyCount();
    log.info({ outbox: rest.remaining, customers: dirty }, rest.remaining || dirty ? 'stopped; what is not published yet (outbox entries, dirty customers) is published first at the next start' : 'stopped');
    return 0;
  }, { destination: 1 });
}

/**
 * Copies sample exports into the drop folder (for `npm start`), skipping any whose bytes were already
 * ingested, so a second start does not pile up duplicates. Copies land under a dot-name and are
 * renamed into place, the same way a careful ERP job would deliver them. Exports go first and PDFs
 * after them, a minute younger (the inbox takes the oldest file first), so each PDF finds its
 * document already stored instead of waiting for it.
 */
async function seedInbox(app: App, dir: string): Promise<void> {
  const all = (await readdir(dir)).filter((n) => !isIgnoredName(n, app.cfg.inbox.markers)).sort();
  const isPdf = (n: string) => pdfFor(n, app.cfg.pdfs) !== undefined;
  const names = [...all.filter((n) => !isPdf(n)), ...all.filter(isPdf)];
  const now = Date.now() / 1000;
  for (const name of names) {
    const src = path.join(dir, name);
    const { sha256 } = await sha256File(src);
    if (app.store.ingestedWithSha(sha256) !== undefined) continue;
    const tmp = path.join(app.cfg.folders.drop, `.${name}.seeding`);
    await copyFile(src, tmp);
    const at = isPdf(name) ? now : now - 60;
    await utimes(tmp, at, at);
    await rename(tmp, path.join(app.cfg.folders.drop, name));
    app.log.info({ file: name, from: dir }, 'seeded sample export into the drop folder');
  }
}
