/**
 * One catalogue of coded errors. A code is stable (ops search logs for it); the message says what
 * is wrong with the value in hand; the context names file, line, field, value and rule where known.
 */

export interface DataErrorContext {
  file?: string;
  line?: number;
  column?: number;
  record?: number;
  field?: string;
  /** The offending value, shortened so a 50 MB line does not end up in a log. */
  value?: string;
  rule?: string;
  hint?: string;
  /** The customer the record belongs to, when known (for logs and reports; not part of the message). */
  customer?: string;
}

export const ErrorCodes = {
  CONFIG: 'VP_ERR_CONFIG',
  USAGE: 'VP_ERR_USAGE',
  READ: 'VP_ERR_READ',
  ENCODING: 'VP_ERR_ENCODING',
  CSV: 'VP_ERR_CSV',
  XML: 'VP_ERR_XML',
  FIELD: 'VP_ERR_FIELD',
  RECORD: 'VP_ERR_RECORD',
  DELETE_GUARD: 'VP_ERR_DELETE_GUARD',
  SCHEMA: 'VP_ERR_SCHEMA',
  PUBLISH: 'VP_ERR_PUBLISH',
  NO_FEED: 'VP_ERR_NO_FEED',
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

const MAX_VALUE = 80;

export function shorten(value: string, max = MAX_VALUE): string {
  const printable = value.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return printable.length > max ? `${printable.slice(0, max)}… (${value.length} chars)` : printable;
}

/** Base of every error the product raises on purpose. */
export class VendrePullError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Bad or unmappable input data: exit code 1, file goes to quarantine. */
export class DataError extends VendrePullError {
  readonly context: DataErrorContext;
  constructor(code: ErrorCode, message: string, context: DataErrorContext = {}, options?: { cause?: unknown }) {
    const ctx = { ...context };
    if (ctx.value !== undefined) ctx.value = shorten(ctx.value);
    super(code, DataError.compose(message, ctx), options);
    this.context = ctx;
  }

  /** "file.csv:12 field `date` value "2024-02-30": not a calendar date (rule date-format)". */
  private static compose(message: string, c: DataErrorContext): string {
    const where = c.file ? `${c.file}${c.line ? `:${c.line}` : ''}${c.column ? `:${c.column}` : ''}` : '';
    const parts = [where, c.record !== undefined && !c.line ? `record ${c.record}` : '', c.field ? `field \`${c.field}\`` : '', c.value !== undefined ? `value ${JSON.stringify(c.value)}` : '']
      .filter(Boolean)
      .join(' ');
    return `${parts ? `${parts}: ` : ''}${message}${c.rule ? ` (rule ${c.rule})` : ''}`;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...this.context };
  }
}

/** Wrong config file or environment: exit code 2. */
export class ConfigError extends VendrePullError {
  readonly key: string | undefined;
  readonly line: number | undefined;
  constructor(message: string, key?: string, line?: number) {
    super(ErrorCodes.CONFIG, message);
    this.key = key;
    this.line = line;
  }
}

/** Wrong command line: exit code 2. */
export class UsageError extends VendrePullError {
  constructor(message: string) {
    super(ErrorCodes.USAGE, message);
  }
}

/** Several data errors of one file, reported together so ops can fix them in one pass. */
export class FileRejected extends VendrePullError {
  readonly file: string;
  readonly errors: DataError[];
  constructor(file: string, errors: DataError[]) {
    const first = errors[0];
    super(first?.code ?? ErrorCodes.RECORD, `${file}: rejected, ${errors.length} error(s); first: ${first?.message ?? 'unknown'}`);
    this.file = file;
    this.errors = errors;
  }
}

export const ExitCodes = { OK: 0, DATA: 1, USAGE: 2 } as const;
