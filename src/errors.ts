/**
 * Coded errors. Each carries a rule of the catalogue (src/errors/catalogue.ts) and so its stable code
 * (`ref`, VP_E_…), its family (`code`, VP_ERR_…), a hint and an exit code; the message says what is
 * wrong with the value in hand; the context names file, line, field, value and rule where known.
 */
import { CATALOGUE, ErrorCodes, ExitCodes, type ConfigRule, type DataRule, type ErrorCode, type ExitCode, type Rule, type UsageRule } from './errors/catalogue.ts';


export interface DataErrorContext {
  file?: string;
  line?: number;
  column?: number;
  record?: number;
  field?: string;
  /** The offending value, shortened so a 50 MB line does not end up in a log. */
  value?: string;
  rule?: DataRule;
  hint?: string;
  /** The customer the record belongs to, when known (for logs and reports; not part of the message). */
  customer?: string;
}

export { CATALOGUE, ErrorCodes, ExitCodes, catalogueTable, entryOf } from './errors/catalogue.ts';
export type { CatalogueEntry, ConfigRule, DataRule, ErrorCode, ExitCode, HttpRule, Rule, UsageRule } from './errors/catalogue.ts';

const MAX_VALUE = 80;

export function shorten(value: string, max = MAX_VALUE): string {
  const printable = value.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return printable.length > max ? `${printable.slice(0, max)}… (${value.length} chars)` : printable;
}

/** Base of every error the product raises on purpose. */
export class VendrePullError extends Error {
  /** The family, VP_ERR_… (what errors carried before the catalogue; log searches still match it). */
  readonly code: ErrorCode;
  /** The catalogue rule this error breaks. */
  readonly rule: Rule;
  /** The rule's stable code, VP_E_…: what ops search for and the README lists. */
  readonly ref: string;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; rule?: Rule }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.rule = options?.rule ?? defaultRule(code);
    this.ref = CATALOGUE[this.rule].code;
    this.name = new.target.name;
  }

  /** What to do: the catalogue's advice for the rule (a DataError's own, more specific hint wins). */
  get hint(): string {
    return CATALOGUE[this.rule].hint;
  }

  /** The exit code of a command that stops on this error. */
  get exitCode(): ExitCode {
    return CATALOGUE[this.rule].exit;
  }
}

/** For a throw site that names no rule (the constructors keep their old signatures). */
function defaultRule(code: ErrorCode): Rule {
  if (code === ErrorCodes.CONFIG) return 'config';
  if (code === ErrorCodes.USAGE) return 'usage';
  if (code === ErrorCodes.UNEXPECTED || code === ErrorCodes.REFUSED) return 'unexpected';
  return 'data';
}

/** Bad or unmappable input data: exit code 1, file goes to quarantine. */
export class DataError extends VendrePullError {
  readonly context: DataErrorContext;
  constructor(code: ErrorCode, message: string, context: DataErrorContext = {}, options?: { cause?: unknown }) {
    const ctx = { ...context };
    if (ctx.value !== undefined) ctx.value = shorten(ctx.value);
    super(code, DataError.compose(message, ctx), { ...options, rule: ctx.rule ?? 'data' });
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

  override get hint(): string {
    return this.context.hint ?? super.hint;
  }

  /** As written into NAME.error.json and NAME.skipped.json: the codes, the message, the context and a hint. */
  toJSON(): Record<string, unknown> {
    return { code: this.code, ref: this.ref, message: this.message, ...this.context, hint: this.hint };
  }
}

/** Wrong config file or environment: exit code 2. */
export class ConfigError extends VendrePullError {
  readonly key: string | undefined;
  readonly line: number | undefined;
  constructor(message: string, key?: string, line?: number, rule: ConfigRule = 'config') {
    super(ErrorCodes.CONFIG, message, { rule });
    this.key = key;
    this.line = line;
  }
}

/** Wrong command line: exit code 2. */
export class UsageError extends VendrePullError {
  constructor(message: string, rule: UsageRule = 'usage') {
    super(ErrorCodes.USAGE, message, { rule });
  }
}

/** Several data errors of one file, reported together so ops can fix them in one pass. */
export class FileRejected extends VendrePullError {
  readonly file: string;
  readonly errors: DataError[];
  constructor(file: string, errors: DataError[]) {
    const first = errors[0];
    super(first?.code ?? ErrorCodes.RECORD, `${file}: rejected, ${errors.length} error(s); first: ${first?.message ?? 'unknown'}`, { rule: first?.rule ?? 'data' });
    this.file = file;
    this.errors = errors;
  }
}

/**
 * The fields a log line of a catalogued event carries, so ops can search for it: the family `code`,
 * the stable `ref` and the rule (`log.warn({ ...logCode('watch-failed'), err }, '…')`).
 */
export function logCode(rule: Rule): { code: ErrorCode; ref: string; rule: Rule } {
  const e = CATALOGUE[rule];
  return { code: (Array.isArray(e.family) ? e.family[0] : e.family) as ErrorCode, ref: e.code, rule };
}

/** The exit code for whatever a command ended with: the catalogue's for a coded error, 3 otherwise. */
export function exitCodeOf(err: unknown): ExitCode {
  return err instanceof VendrePullError ? err.exitCode : ExitCodes.UNEXPECTED;
}

/** The stable code for whatever a command ended with (VP_E_UNEXPECTED for an error not raised on purpose). */
export function refOf(err: unknown): string {
  return err instanceof VendrePullError ? err.ref : CATALOGUE.unexpected.code;
}
