import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export interface LogOptions {
  level?: string;
  /** Where lines go; stdout by default. Commands whose stdout is data (status --json) log to stderr. */
  destination?: 1 | 2;
  /** Pretty, coloured lines; defaults to whether the destination is a terminal. */
  pretty?: boolean;
}

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
    redact: {
      paths: ['token', 'tokens', 'secret', 'authorization', 'headers.authorization', 'req.headers.authorization', '*.token', '*.secret'],
      censor: '[redacted]',
    },
  };
  if (opts.pretty ?? tty) {
    return pino(options, pretty({ destination: fd, colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true }));
  }
  return pino(options, pino.destination({ fd, sync: true }));
}
