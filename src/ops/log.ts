import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { writeAroundBar } from './progress.ts';

export type { Logger };

export interface LogOptions {
  level?: string;
  /** Where lines go; stdout by default. Commands whose stdout is data (status --json) log to stderr. */
  destination?: 1 | 2;
  /** Pretty, coloured lines; defaults to whether the destination is a terminal. */
  pretty?: boolean;
}

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
  };
  if (opts.pretty ?? tty) {
    // Formatted in-process and written synchronously, clearing a progress bar's line first.
    const format = pretty.prettyFactory({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
    return pino(options, { write: (line: string) => writeAroundBar(fd, format(line)) });
  }
  return pino(options, pino.destination({ fd, sync: true }));
}
