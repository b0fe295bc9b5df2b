import { copyFile, mkdir, readdir, rename } from 'node:fs/promises';
import path from 'node:path';
import type { App } from '../app.ts';
import { Inbox } from '../inbox/watch.ts';
import { isIgnoredName, sha256File } from '../inbox/files.ts';
import { processFile } from '../pipeline.ts';
import { publishDirty } from '../publish/cycle.ts';
import { curlHint, startServeFor, waitForSignal } from './serve.ts';
import { withApp, type GlobalOptions } from './context.ts';

/**
 * `run`: the daemon. Health-checks the target, publishes what a previous run left dirty, serves the
 * target, and takes complete files from the drop folder one at a time until SIGINT/SIGTERM.
 */
export async function runCommand(g: GlobalOptions, opts: { seed?: string; serve: boolean }): Promise<number> {
  return withApp(g, async (app) => {
    const { cfg, log } = app;
    await app.target.check();
    for (const dir of Object.values(cfg.folders)) await mkdir(dir, { recursive: true });
    const leftover = await publishDirty(app.publishContext());
    if (leftover.customers) log.info({ ...leftover }, 'published what the previous run left dirty');
    if (opts.seed) await seedInbox(app, opts.seed);

    const server = opts.serve ? await startServeFor(app) : undefined;
    let hinted = false;
    const hint = () => {
      if (hinted || !server) return;
      const line = curlHint(app, server.url, server.firstLiteral);
      if (line) {
        hinted = true;
        process.stderr.write(`\nvendre-pull is running. Fetch a customer's order list:\n  ${line}\n\n`);
      }
    };
    hint();
    const inbox = new Inbox({
      dir: cfg.folders.drop,
      stableMs: cfg.inbox.stableMs,
      rescanMs: cfg.inbox.rescanMs,
      usePolling: cfg.inbox.usePolling,
      log,
      handle: async (file) => {
        await processFile(app, file, { move: true, publish: true });
        hint();
      },
    });
    await inbox.start();
    const signal = await waitForSignal();
    log.info({ signal }, 'stopping: finishing the file in hand');
    // A second signal while we finish leaves at once; the store transaction keeps the state consistent.
    const again = () => process.exit(130);
    process.once('SIGINT', again);
    process.once('SIGTERM', again);
    await inbox.stop();
    await server?.close();
    log.info('stopped');
    return 0;
  });
}

/**
 * Copies sample exports into the drop folder (for `npm start`), skipping any whose bytes were already
 * ingested, so a second start does not pile up duplicates. Copies land under a dot-name and are
 * renamed into place, the same way a careful ERP job would deliver them.
 */
async function seedInbox(app: App, dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((n) => !isIgnoredName(n)).sort();
  for (const name of names) {
    const src = path.join(dir, name);
    const { sha256 } = await sha256File(src);
    if (app.store.ingestedWithSha(sha256) !== undefined) continue;
    const tmp = path.join(app.cfg.folders.drop, `.${name}.seeding`);
    await copyFile(src, tmp);
    await rename(tmp, path.join(app.cfg.folders.drop, name));
    app.log.info({ file: name, from: dir }, 'seeded sample export into the drop folder');
  }
}
