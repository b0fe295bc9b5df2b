import { copyFile, mkdir, readdir, rename, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { App } from '../app.ts';
import { Inbox } from '../inbox/watch.ts';
import { looksCutOff } from '../inbox/complete.ts';
import { sha256File } from '../inbox/files.ts';
import { feedFor, isIgnoredName, pdfFor } from '../inbox/names.ts';
import { processFile } from '../ingest/process.ts';
import { processRun } from '../ingest/run.ts';
import { hasMarker, missingFeeds, runFor } from '../inbox/runs.ts';
import { publishDirty } from '../publish/cycle.ts';
import { drainOutbox } from '../publish/drain.ts';
import { ApplyAborted } from '../ingest/apply.ts';
import { startAdminFor } from '../admin/start.ts';
import { requireCredentials, startServeFor } from '../serve/start.ts';
import { curlHint } from './serve.ts';
import { ConfigError } from '../errors.ts';
import { loadFromOptions, recordMarker, withApp, type GlobalOptions } from './context.ts';
import type { Logger } from '../ops/log.ts';
import type { DrainEvent } from '../publish/drain.ts';
import { checkMarker } from '../publish/marker.ts';
import { StateError } from '../store/check.ts';
import { PublishHealth } from '../ops/health.ts';
import { repeated } from '../publish/repeated.ts';

/**
 * Signals of the daemon, installed before anything else runs, so a stop during start-up (the lock,
 * the state check, publishing what a previous run left) is as graceful as one while watching.
 * SIGINT/SIGTERM: the first one stops (abort the file in hand, give publishing shutdownMs), a second
 * one exits at once. SIGHUP is ignored with a log line: logs go to stdout (nothing to reopen) and
 * the config is read at start only (restart to reload), so a hang-up must not kill the daemon.
 */
class Stopper {
  readonly apply = new AbortController();
  readonly drain = new AbortController();
  signal: NodeJS.Signals | undefined;
  private log: Logger | undefined;
  private shutdownMs: number | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private readonly waiters: Array<() => void> = [];
  private readonly onStop = (sig: NodeJS.Signals) => this.stop(sig);
  private readonly onHup = () => this.log?.info({ signal: 'SIGHUP' }, 'SIGHUP ignored: logs go to stdout (nothing to reopen) and the config is read at start (restart to reload it)');

  constructor() {
    process.on('SIGINT', this.onStop);
    process.on('SIGTERM', this.onStop);
    process.on('SIGHUP', this.onHup);
  }

  get requested(): boolean {
    return this.signal !== undefined;
  }

  /** Once the config and log are known: a signal that came earlier is logged now. */
  attach(log: Logger, shutdownMs: number): void {
    this.log = log;
    this.shutdownMs = shutdownMs;
    if (this.signal) this.announce();
  }

  /** Resolves on the first SIGINT/SIGTERM (at once if one came already). */
  wait(): Promise<void> {
    return this.signal ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  private stop(sig: NodeJS.Signals): void {
    if (this.signal) {
      (this.log?.warn.bind(this.log) ?? ((m: string) => process.stderr.write(`${m}\n`)))('second signal: exiting now; queued publishing resumes at the next start');
      process.exit(130);
    }
    this.signal = sig;
    this.apply.abort();
    if (this.log) this.announce();
    for (const w of this.waiters.splice(0)) w();
  }

  private announce(): void {
    this.log!.info({ signal: this.signal, shutdownMs: this.shutdownMs }, 'stopping');
    // Publishing gets shutdownMs from the signal on; what is left stays queued for the next start.
    this.deadline ??= setTimeout(() => this.drain.abort(), this.shutdownMs);
    this.deadline.unref();
  }

  dispose(): void {
    clearTimeout(this.deadline);
    // Once stopping, the handlers stay to the end of the process (they hold no event loop open): a
    // second signal while the servers and the watcher close still exits 130, not killed by the signal.
    if (this.signal) return;
    process.off('SIGINT', this.onStop);
    process.off('SIGTERM', this.onStop);
    process.off('SIGHUP', this.onHup);
  }
}

/** An unknown IANA zone would fail on the first admin page; said at start instead. */
function checkTimeZone(tz: string, file: string, key: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new ConfigError(`\`${key}\` in ${file}: "${tz}" is not a time zone this Node.js knows (IANA names such as Europe/Stockholm)`, key, undefined, 'config-invalid');
  }
}

/**
 * `run`: the daemon. Health-checks the target, finishes what a previous run left (dirty customers,
 * the outbox), serves the target, and takes complete files from the drop folder one at a time.
 * SIGINT/SIGTERM in any phase: stop taking files, roll back the file in hand (it is taken again next
 * start), publish what is queued within inbox.shutdownMs, exit 0. A second signal exits at once; the
 * store's transactions keep that safe too.
 */
export async function runCommand(g: GlobalOptions, opts: { seed?: string; serve: boolean }): Promise<number> {
  // Before the lock, the state or any folder: a server that refuses every request, or a time zone
  // the admin pages cannot show, is a config error (exit 2), not a daemon that runs broken.
  const cfg = loadFromOptions(g);
  if (opts.serve) requireCredentials(cfg);
  if (cfg.admin.timeZone) checkTimeZone(cfg.admin.timeZone, cfg.file, 'admin.timeZone');
  checkTimeZone(cfg.timeZone, cfg.file, 'timeZone');
  const stop = new Stopper();
  try {
    return await withApp(g, (app) => daemon(app, opts, stop), { destination: 1, writer: 'run' });
  } finally {
    stop.dispose();
  }
}

async function daemon(app: App, opts: { seed?: string; serve: boolean }, stop: Stopper): Promise<number> {
  const { cfg, log } = app;
  stop.attach(log, cfg.inbox.shutdownMs);
  const stopped = (inbox?: Inbox) => {
    const dirty = app.store.dirtyCount();
    const rest = app.store.outboxDepth();
    log.info({ outbox: rest, customers: dirty }, rest || dirty ? 'stopped; what is not published yet (outbox entries, dirty customers) is published first at the next start' : 'stopped');
    void inbox;
    return 0;
  };
  if (stop.requested) return stopped();
  for (const dir of Object.values(cfg.folders)) await mkdir(dir, { recursive: true });
  const health = new PublishHealth();
  // Health, metrics and the admin pages: up first, so /healthz answers during a long first publish.
  const admin = await startAdminFor(app, { stopping: () => stop.requested });
  const { metrics } = admin;
  const server = opts.serve && !stop.requested ? await startServeFor(app) : undefined;
  const closeAll = async () => {
    await server?.close();
    await admin.close();
  };
  try {
    const leftover = await publishDirty({ ...app.publishContext(), signal: stop.drain.signal, onDrain: metrics.onDrain });
    if (leftover.customers || leftover.written || leftover.deleted) log.info({ ...leftover }, 'published what the previous run left');
    if (!stop.requested && opts.seed) await seedInbox(app, opts.seed);
    if (stop.requested) return stopped();

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
      writingGraceMs: cfg.inbox.writingGraceMs,
      completion: (name) => feedFor(name, cfg.feeds)?.complete ?? 'stable',
      log,
      // A target emptied or deleted behind the daemon is found here and written again from the manifest.
      idle: () => watchTarget(app, stop, metrics.onDrain),
      retryAfterMs: () => health.retryAfterMs(),
      cutOff: (file) => {
        const feed = feedFor(path.basename(file), cfg.feeds);
        return feed ? looksCutOff(file, feed) : Promise.resolve(false);
      },
      handle: async (file, taken) => {
        await watchTarget(app, stop, metrics.onDrain);
        let report;
        try {
          report = await processFile(app, file, { move: true, publish: true, taken, signal: stop.apply.signal, drainSignal: stop.drain.signal, onDrain: metrics.onDrain });
        } catch (err) {
          if (!(err instanceof ApplyAborted)) throw err;
          log.info({ file: path.basename(file) }, 'stopping: file rolled back; it is taken again at the next start');
          return;
        }
        metrics.fileDone(report);
        health.after(report, log);
        if (report.outcome !== 'rejected' && !report.pending) await recordMarker(app);
        hint();
      },
      runOf: (name) => {
        const match = cfg.runs.length > 0 ? runFor(name, cfg) : undefined;
        return (
          match && {
            key: match.key,
            name: match.run.name,
            id: match.id,
            waitMs: match.run.waitMs,
            marker: match.marker,
            optional: match.optional,
            missing: (names) => [...missingFeeds(match, names, cfg.feeds), ...(hasMarker(match, names, cfg) ? [] : [match.run.marker!.replace('{run}', match.id)])],
          }
        );
      },
      handleRun: async (files, _run, waitedMs) => {
        await watchTarget(app, stop, metrics.onDrain);
        const match = runFor(path.basename(files[0]!.file), cfg)!;
        let report;
        try {
          report = await processRun(app, files.map((f) => f.file), match, { move: true, publish: true, requireComplete: true, requireMarker: true, waitedMs, taken: files.map((f) => f.taken), signal: stop.apply.signal, drainSignal: stop.drain.signal, onDrain: metrics.onDrain });
        } catch (err) {
          if (!(err instanceof ApplyAborted)) throw err;
          log.info({ files: files.map((f) => path.basename(f.file)) }, 'stopping: run rolled back; it is taken again at the next start');
          return;
        }
        for (const r of report.files) metrics.fileDone(r);
        health.after({ ...report.files[0]!, outcome: report.outcome, pending: report.pending }, log);
        if (report.outcome !== 'rejected' && !report.pending) await recordMarker(app);
        hint();
      },
    });
    await inbox.start();
    await stop.wait();
    await inbox.stop();
    const rest = await drainOutbox(app.store, app.target, log, { signal: stop.drain.signal, onEntry: metrics.onDrain });
    if (rest.written || rest.deleted) await recordMarker(app);
    return stopped(inbox);
  } finally {
    await closeAll();
  }
}

/** The marker beside the target is gone and the target empty: forget the manifest and publish everything again. */
async function watchTarget(app: App, stop: Stopper, onDrain: (e: DrainEvent) => void): Promise<void> {
  let found;
  try {
    found = await checkMarker(app.store, app.target, app.log);
  } catch (err) {
    if (err instanceof StateError) throw err;
    const message = (err as Error)?.message ?? String(err);
    repeated.warn(app.log, `marker:${(err as { code?: string }).code ?? message}`, { err: message, target: app.target.description }, 'cannot check the target (its state marker or first object); checked again later');
    return;
  }
  if (found === 'republish') {
    await app.target.check();
    const s = await publishDirty({ ...app.publishContext(), signal: stop.drain.signal, onDrain });
    app.log.info({ written: s.written, remaining: s.remaining }, 'target written again from the manifest');
  }
  if (found !== 'ok') await recordMarker(app);
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
