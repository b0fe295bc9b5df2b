import { loadConfigFor } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { createLogger, type Logger } from '../ops/log.ts';
import { createProgress, type Progress } from '../ops/progress.ts';
import { openApp, type App } from '../app.ts';
import { acquireStateLock, type StateLock } from '../store/lock.ts';
import { checkMarker, writeMarker } from '../publish/marker.ts';

export interface GlobalOptions {
  config?: string;
  logLevel?: string;
  /** `--no-progress` sets false: no progress bar, no progress lines. */
  progress?: boolean;
}

/** Progress for long commands: a bar on a terminal, periodic log lines otherwise (src/ops/progress.ts). */
export function progressFor(g: GlobalOptions, log: Logger): Progress {
  return createProgress({ log, enabled: g.progress !== false });
}

export function loadFromOptions(g: GlobalOptions): Readonly<Config> {
  return loadConfigFor(g.config);
}

export function logger(g: GlobalOptions, destination: 1 | 2 = 1): Logger {
  return createLogger({ level: g.logLevel, destination });
}

/** How a command uses the state. */
export interface StateAccess {
  /** Writing commands (the daemon, ingest, replay, rebuild, verify --repair) hold the state's lock, named by this. */
  writer?: string;
  /** Take the target over even when its marker names another or a more advanced state (replay, verify --repair --force). */
  adopt?: boolean;
}

/**
 * Opens config, log and app for one command and always closes the store again. A writing command
 * first takes the state's lock (a second one exits 2 naming the holder), then checks the state
 * against the marker beside the target, and records the marker again when it is done.
 */
export async function withApp<T>(g: GlobalOptions, fn: (app: App) => Promise<T>, destination: 1 | 2 = 1, access: StateAccess = {}): Promise<T> {
  const cfg = loadFromOptions(g);
  const log = logger(g, destination);
  let lock: StateLock | undefined;
  if (access.writer) lock = acquireStateLock(cfg.state, access.writer);
  let app: App;
  try {
    app = openApp(cfg, log, {}, { write: access.writer !== undefined });
  } catch (err) {
    lock?.release();
    throw err;
  }
  try {
    if (access.writer) {
      await app.target.check();
      await checkMarker(app.store, app.target, log, { adopt: access.adopt });
    }
    const result = await fn(app);
    if (access.writer) await recordMarker(app);
    return result;
  } finally {
    app.close();
    lock?.release();
  }
}

/** The marker beside the target after a publish; a target that cannot take it now gets it next time. */
export async function recordMarker(app: App): Promise<void> {
  try {
    await writeMarker(app.store, app.target);
  } catch (err) {
    app.log.warn({ err: (err as Error)?.message ?? String(err), target: app.target.description }, 'could not write the state marker beside the target; written after the next publish');
  }
}
