import { ExitCodes } from '../errors.ts';
import { listArchive } from '../inbox/files.ts';
import { processFile } from '../pipeline.ts';
import { publishDirty } from '../publish/cycle.ts';
import { withApp, type GlobalOptions } from './context.ts';

/**
 * `replay`: applies every archived file again, in the order it was first processed, then publishes
 * once. `--fresh` first forgets all canonical records (not the manifest), so the result is exactly
 * what the archive says; the manifest still limits uploads to what differs. Safe to run twice.
 */
export async function replayCommand(g: GlobalOptions, opts: { fresh?: boolean; force?: boolean }): Promise<number> {
  return withApp(g, async (app) => {
    await app.target.check();
    const files = await listArchive(app.cfg.folders.archive, app.cfg.inbox.markers);
    if (opts.fresh) {
      app.store.transaction(() => {
        app.store.db.exec('INSERT OR IGNORE INTO dirty (customer_no) SELECT DISTINCT customer_no FROM docs UNION SELECT DISTINCT customer_no FROM manifest');
        app.store.db.exec('DELETE FROM lines; DELETE FROM docs;');
      });
    }
    app.log.info({ files: files.length, fresh: !!opts.fresh }, 'replaying archive');
    let rejected = 0;
    for (const f of files) {
      const r = await processFile(app, f.path, { move: false, reapply: true, force: opts.force, publish: false, record: false });
      if (r.outcome === 'rejected') rejected++;
    }
    const stats = await publishDirty(app.publishContext());
    app.log.info({ ...stats, rejected }, 'replay done');
    return rejected > 0 || stats.invalid > 0 ? ExitCodes.DATA : ExitCodes.OK;
  });
}

/** `rebuild`: re-renders every customer from the store and publishes what differs. */
export async function rebuildCommand(g: GlobalOptions): Promise<number> {
  return withApp(g, async (app) => {
    await app.target.check();
    const customers = app.store.allCustomers();
    app.log.info({ customers: customers.length }, 'rebuilding');
    const stats = await publishDirty(app.publishContext(), customers);
    app.log.info({ ...stats }, 'rebuild done');
    return stats.invalid > 0 ? ExitCodes.DATA : ExitCodes.OK;
  });
}
