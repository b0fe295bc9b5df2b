import { loadConfigFor } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { createLogger, type Logger } from '../ops/log.ts';
import { createProgress, type Progress } from '../ops/progress.ts';
import { openApp, type App } from '../app.ts';

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

/** Opens config, log and app for one command and always closes the store again. */
export async function withApp<T>(g: GlobalOptions, fn: (app: App) => Promise<T>, destination: 1 | 2 = 1): Promise<T> {
  const cfg = loadFromOptions(g);
  const log = logger(g, destination);
  const app = openApp(cfg, log);
  try {
    return await fn(app);
  } finally {
    app.close();
  }
}
