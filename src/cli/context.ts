import { existsSync, statSync } from 'node:fs';
import { loadConfigFor } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { ConfigError, logCode } from '../errors.ts';
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

export function logger(g: GlobalOptions, destination: 1 | 2 = 2): Logger {
  return createLogger({ level: g.logLevel, destination });
}

export interface AppOptions {
  /**
   * Where log lines go. One-shot commands (the default, 2) keep stdout for their report, so a pipe
   * gets the report and the terminal the logs; the daemons (`run`, `serve`) log to stdout.
   */
  destination?: 1 | 2;
  /**
   * What a command that changes nothing needs to exist before it opens anything, so a wrong path
   * is an error (exit 2) instead of a new, empty state file or folder reported as "0 documents".
   */
  requires?: ReadonlyArray<'state' | 'drop'>;
  /** No state file yet: work on an empty in-memory store instead of creating one (`validate`). */
  memoryIfNoState?: boolean;
  /** Writing commands (the daemon, ingest, replay, rebuild, verify --repair) hold the state's lock, named by this. */
  writer?: string;
  /** Take the target over even when its marker names another or a more advanced state (replay, verify --repair --force). */
  adopt?: boolean;
}

/** Refuses (ConfigError, exit 2) when a path the command only reads is missing, naming the key and the config file. */
export function requireExisting(cfg: Readonly<Config>, what: ReadonlyArray<'state' | 'drop'>): void {
  for (const w of what) {
    if (w === 'state' && !existsSync(cfg.state)) {
      throw new ConfigError(`state file ${cfg.state} does not exist (\`state\` in ${cfg.file}): nothing has been ingested with this config, or the path is wrong; \`run\` and \`ingest\` create it`, 'state', undefined, 'config-state-missing');
    }
    if (w === 'drop' && !isDirectory(cfg.folders.drop)) {
      throw new ConfigError(`drop folder ${cfg.folders.drop} does not exist (\`folders.drop\` in ${cfg.file}): check the path the ERP writes to; \`run\` creates it`, 'folders.drop', undefined, 'config-drop-missing');
    }
  }
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Opens config, log and app for one command and always closes the store again. A writing command
 * first takes the state's lock (a second one exits 2 naming the holder), then checks the state
 * against the marker beside the target, and records the marker again when it is done.
 */
export async function withApp<T>(g: GlobalOptions, fn: (app: App) => Promise<T>, opts: AppOptions = {}): Promise<T> {
  let cfg = loadFromOptions(g);
  // The state first, and checked when it is opened; the drop folder after (a damaged state is the bigger news).
  if (opts.requires?.includes('state')) requireExisting(cfg, ['state']);
  // Nothing stored yet means an empty store: the same answer, without leaving a state file behind.
  if (opts.memoryIfNoState && !opts.writer && !existsSync(cfg.state)) cfg = { ...cfg, state: ':memory:' };
  const log = logger(g, opts.destination ?? 2);
  const access = { writer: opts.writer, adopt: opts.adopt };
  let lock: StateLock | undefined;
  if (access.writer) lock = acquireStateLock(cfg.state, access.writer);
  let app: App;
  try {
    app = openApp(cfg, log, {}, { write: access.writer !== undefined });
    if (opts.requires?.includes('drop')) {
      try {
        requireExisting(cfg, ['drop']);
      } catch (err) {
        app.close();
        throw err;
      }
    }
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
    app.log.warn({ ...logCode('marker-write-failed'), err: (err as Error)?.message ?? String(err), target: app.target.description }, 'could not write the state marker beside the target; written after the next publish');
  }
}
