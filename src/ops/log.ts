import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { writeAroundBar } from './progress.ts';

export type { Logger };

export interface LogOptions {
  level?: string;
  /** Where lines go; stdout by default. Commands whose stdout is data (status --json) log to stderr. */
  destination?: 1 | 2;
  /** Pretty lines; defaults to whether the destination is a terminal. */
  pretty?: boolean;
  /** Environment for NO_COLOR / FORCE_COLOR (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Colour in pretty lines: FORCE_COLOR (other than `0`/`false`) turns it on, NO_COLOR
 * (https://no-color.org, any non-empty value) turns it off, otherwise on, since pretty lines only go
 * to a terminal unless a caller asks.
 */
export function useColor(env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return !env.NO_COLOR;
}

/**
 * A key bound to a child logger (`log.child({ file })`) and passed again in a call would appear twice
 * in the JSON line, which JSON parsers resolve differently; the bound value stays, the repeat goes.
 */
const dropBoundKeys: NonNullable<pino.LoggerOptions['hooks']>['logMethod'] = function (this: pino.Logger, args, method) {
  const first = args[0] as unknown;
  if (first && typeof first === 'object' && !(first instanceof Error)) {
    const bound = this.bindings();
    const keys = Object.keys(first).filter((k) => k in bound);
    if (keys.length) {
      const copy = { ...(first as Record<string, unknown>) };
      for (const k of keys) delete copy[k];
      args[0] = copy;
    }
  }
  return method.apply(this, args as Parameters<typeof method>);
};

/**
 * Keys whose values never reach a log line, whatever a caller passes: tokens, secrets, passwords,
 * credentials and auth headers, at the top level and one or two levels down (`err.config.secret`).
 */
const SECRET_KEYS = ['token', 'tokens', 'secret', 'secrets', 'password', 'passwd', 'authorization', 'cookie', 'credentials', 'secretAccessKey', 'sessionToken', 'accessKeyId', 'apiKey', 'x-signature'];
export const REDACT_PATHS = [
  ...SECRET_KEYS.flatMap((k) => {
    const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`;
    const dot = key.startsWith('[') ? '' : '.';
    return [key, `*${dot}${key}`, `*.*${dot}${key}`];
  }),
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
];

/**
 * pino JSON lines, pretty on a TTY. Whatever a caller passes, fields that could carry a secret are
 * censored before a line is written.
 */
export function createLogger(opts: LogOptions = {}): Logger {
  const fd = opts.destination ?? 1;
  const tty = fd === 1 ? process.stdout.isTTY : process.stderr.isTTY;
  const options: pino.LoggerOptions = {
    level: opts.level ?? process.env.VENDRE_PULL_LOG_LEVEL ?? 'info',
    base: undefined,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    hooks: { logMethod: dropBoundKeys },
  };
  if (opts.pretty ?? tty) {
    // Formatted in-process and written synchronously, clearing a progress bar's line first.
    const format = pretty.prettyFactory({ colorize: useColor(opts.env), translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
    return pino(options, { write: (line: string) => writeAroundBar(fd, format(line)) });
  }
  return pino(options, pino.destination({ fd, sync: true }));
}
