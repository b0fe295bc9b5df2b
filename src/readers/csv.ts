/**
 * CSV reader: file -> DecodeStream -> csv-parse, one RawRecord per data row, streaming.
 *
 * Line numbers: csv-parse's `info.lines` is where a record ENDS, and it counts a CRLF inside a
 * quoted field as two lines (checked with csv-parse 7.0.3). So we count ourselves: a record starts
 * after all lines used by the header and the records before it, plus the empty lines csv-parse
 * skipped so far (`info.empty_lines`, cumulative); the lines a record uses are 1 + the line breaks
 * inside its values (values keep their line breaks verbatim: no trim, no cast).
 *
 * Records come from csv-parse as arrays (faster than `columns: true`, see DESIGN) and we build the
 * field maps ourselves, through setField so a column named `__proto__` stays a plain field.
 */
import { parse, CsvError, type Info, type Parser } from 'csv-parse';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { ConfigError, DataError, ErrorCodes } from '../errors.ts';
import { asReadError, countBytes, DecodeStream, LineCounter } from './decode.ts';
import { setField, type RawRecord, type ReadHooks, type ReaderLimits, type ReaderOptions } from './types.ts';

/** A record longer than this (characters) is an error: wrong delimiter/quote, or one giant line. */
export const CSV_MAX_RECORD_SIZE = 1024 * 1024;
/** More columns than this is an error: nobody maps 1,000 columns, a wrong delimiter might make them. */
export const CSV_MAX_COLUMNS = 1000;

/** Where the reader stands: lines used by the header and the records emitted so far. */
interface Position {
  file: string;
  used: number;
  records: number;
  names: string[] | undefined;
}

export async function* readCsv(file: string, opts: ReaderOptions & { name?: string }, limits: ReaderLimits = {}, hooks: ReadHooks = {}): AsyncGenerator<RawRecord> {
  const maxColumns = limits.maxColumns ?? CSV_MAX_COLUMNS;
  if (!opts.header && !opts.columns?.length) throw new ConfigError(`${file}: a CSV feed without a header row needs \`columns\``, 'columns', undefined, 'config-feed');
  // Errors name the file as ops see it in quarantine (its base name); read errors keep the full path.
  const pos: Position = { file: path.basename(file), used: 0, records: 0, names: undefined };
  if (!opts.header) pos.names = checkNames(opts.columns!, pos, 1, maxColumns);

  // Runs inside csv-parse, synchronously, once per record (see hookRecords): `pos` therefore stays
  // in step with the parser even when it has parsed ahead of our consumer, which the line of a
  // csv-parse error needs.
  const onRecord = (values: string[], info: Info): RawRecord | null => {
    const line = 1 + pos.used + info.empty_lines;
    pos.used += linesUsed(values);
    if (!pos.names) {
      if (!opts.columns?.length) checkDelimiter(values, opts, pos, line);
      pos.names = headerNames(values, opts.columns, pos, line, maxColumns);
      return null; // the header row is not a record
    }
    const fields: Record<string, string> = {};
    const n = Math.min(values.length, pos.names.length);
    for (let i = 0; i < n; i++) setField(fields, pos.names[i]!, values[i]!);
    // The row's extent is known, so the reader can go on: the caller decides (onError) what it costs.
    // Fields are filled by position as far as they go, so the caller can still tell which document it was.
    if (values.length !== pos.names.length) return { line, record: ++pos.records, fields, error: columnCountError(pos, line, values, opts.delimiter) };
    return { line, record: ++pos.records, fields };
  };

  const parser = createParser(opts, limits);
  hookRecords(parser, onRecord);
  const rows = pipeline(countBytes(createReadStream(file), hooks.onBytes), new DecodeStream(pos.file, opts.encoding), parser, () => {
    /* errors reach the loop below through the destroyed parser */
  });

  try {
    for await (const record of rows as AsyncIterable<RawRecord>) yield record;
  } catch (err) {
    throw err instanceof CsvError ? fromCsvError(err, pos, opts.delimiter, limits.maxRecordSize ?? CSV_MAX_RECORD_SIZE) : asReadError(err, file);
  }
}

function createParser(opts: ReaderOptions, limits: ReaderLimits): Parser {
  try {
    return parse({
      delimiter: opts.delimiter,
      // An empty quote setting means "no quoting"; the escape is the doubled quote ("" inside "...").
      quote: opts.quote || false,
      escape: opts.quote || null,
      bom: true,
      columns: false,
      // Column counts are checked per record in onRecord, so a bad row can be skipped (onError: skip-record).
      relax_column_count: true,
      skip_empty_lines: true,
      // Explicit, so a file mixing CRLF and LF rows still splits right (auto-detection takes the first one seen).
      record_delimiter: ['\r\n', '\n', '\r'],
      max_record_size: limits.maxRecordSize ?? CSV_MAX_RECORD_SIZE,
    });
  } catch (err) {
    // Invalid delimiter/quote settings: a config problem, not a data problem.
    throw new ConfigError(`invalid CSV settings: ${(err as Error).message}`, 'delimiter', undefined, 'config-feed');
  }
}

/**
 * Turns each record csv-parse pushes into a RawRecord, at the moment it is pushed, when
 * `parser.info` (a live object) still describes that record. This is what csv-parse's `on_record`
 * option does, but `on_record` (like `info: true`) copies the whole info object for every record:
 * measured, that was a quarter of the read time on a 1M-line file. An error ends the stream with
 * that error (throwing here would escape csv-parse's transform as an uncaught exception).
 */
function hookRecords(parser: Parser, onRecord: (values: string[], info: Info) => RawRecord | null): void {
  const push = parser.push.bind(parser);
  let failed = false;
  parser.push = (chunk: unknown): boolean => {
    if (chunk === null) return push(null);
    if (failed) return false; // csv-parse finishes its current buffer after destroy; ignore the rest
    try {
      const record = onRecord(chunk as string[], parser.info);
      return record ? push(record) : true;
    } catch (err) {
      failed = true;
      parser.destroy(err as Error);
      return false;
    }
  };
}

/** 1 + the line breaks inside the values of one record. */
function linesUsed(values: string[]): number {
  let n = 1;
  for (const v of values) {
    if (v.indexOf('\n') === -1 && v.indexOf('\r') === -1) continue;
    const c = new LineCounter();
    c.feed(v);
    n += c.line - 1;
  }
  return n;
}

const DELIMITERS = [',', ';', '\t', '|'];
const showDelimiter = (d: string) => (d === '\t' ? 'tab' : `\`${d}\``);

/**
 * A header that the feed's delimiter leaves in one piece (or a few) but another splits into many
 * columns: the export uses the other one. Said here, at the header, instead of a later "the header has
 * no column `Ordernr`" next to a header that visibly contains it.
 */
function checkDelimiter(header: string[], opts: ReaderOptions & { name?: string }, pos: Position, line: number): void {
  const n = header.length;
  const text = header.join(opts.delimiter);
  let best: { delimiter: string; columns: number } | undefined;
  for (const d of DELIMITERS) {
    if (d === opts.delimiter) continue;
    const columns = text.split(d).length;
    if (columns >= n + 2 && columns >= 2 * n && columns > (best?.columns ?? 0)) best = { delimiter: d, columns };
  }
  if (!best) return;
  const feed = opts.name ? `feed \`${opts.name}\`` : 'the feed';
  throw new DataError(ErrorCodes.CSV, `the file looks ${showDelimiter(best.delimiter)}-separated (its header splits into ${best.columns} columns) but ${feed} says ${showDelimiter(opts.delimiter)} (${n} column${n === 1 ? '' : 's'})`, {
    file: pos.file,
    line,
    value: text,
    rule: 'delimiter-mismatch',
    hint: `set \`delimiter: ${JSON.stringify(best.delimiter)}\` for this feed if the ERP exports that way`,
  });
}

/** Column names from the header row: trimmed, unique; `columns` from config, if given, rename them. */
function headerNames(header: string[], configured: string[] | undefined, pos: Position, line: number, maxColumns: number): string[] {
  if (configured?.length) {
    if (configured.length !== header.length) {
      throw new DataError(ErrorCodes.CSV, `header row has ${header.length} columns but \`columns\` in the config names ${configured.length}`, {
        file: pos.file,
        line,
        rule: 'column-count',
      });
    }
    return checkNames(configured, pos, line, maxColumns);
  }
  return checkNames(header.map((h) => h.trim()), pos, line, maxColumns);
}

/** Too many columns or one name twice: the file (or config) cannot be mapped unambiguously. */
function checkNames(names: string[], pos: Position, line: number, maxColumns: number): string[] {
  if (names.length > maxColumns) {
    throw new DataError(ErrorCodes.CSV, `${names.length} columns, more than the limit of ${maxColumns}`, {
      file: pos.file,
      line,
      rule: 'max-columns',
      hint: 'is `delimiter` right for this feed?',
    });
  }
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    const first = seen.get(name);
    if (first !== undefined) {
      throw new DataError(ErrorCodes.CSV, `column name appears twice (columns ${first + 1} and ${i + 1})`, {
        file: pos.file,
        line,
        column: i + 1,
        field: name,
        rule: 'header-duplicate',
      });
    }
    seen.set(name, i);
  });
  return names;
}

function columnCountError(pos: Position, line: number, values: string[], delimiter: string): DataError {
  return new DataError(ErrorCodes.CSV, `expected ${pos.names?.length ?? '?'} columns, got ${values.length}`, {
    file: pos.file,
    line,
    record: pos.records,
    value: values.join(delimiter),
    rule: 'column-count',
    hint: 'a delimiter inside an unquoted value, or a missing/extra delimiter on this line',
  });
}

/** csv-parse errors -> DataError(CSV) naming the line where the offending record starts. */
function fromCsvError(err: CsvError, pos: Position, delimiter: string, maxRecordSize: number): DataError {
  // The record in error starts after everything emitted, plus the empty lines skipped before it.
  const line = 1 + pos.used + (typeof err.empty_lines === 'number' ? err.empty_lines : 0);
  const index = typeof err.index === 'number' ? err.index : undefined;
  const where = { file: pos.file, line, ...(index !== undefined ? { column: index + 1 } : {}), ...(pos.names && index !== undefined && pos.names[index] !== undefined ? { field: pos.names[index] } : {}) };
  switch (err.code) {
    case 'CSV_RECORD_INCONSISTENT_COLUMNS':
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const values = Array.isArray(err.record) ? (err.record as string[]) : [];
      return columnCountError(pos, line, values, delimiter);
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return new DataError(ErrorCodes.CSV, 'a quoted value opened in the record starting here is never closed', {
        ...where,
        rule: 'csv-quote',
        hint: 'a stray quote character inside a value? quote it by doubling ("") or check `quote` for this feed',
      });
    // csv-parse's own messages name its line count, which can differ from ours: not repeated here.
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
      return new DataError(ErrorCodes.CSV, `${err.code === 'INVALID_OPENING_QUOTE' ? 'a quote in the middle of an unquoted value' : 'a closing quote followed by something else than a delimiter'}, in the record starting here`, {
        ...where,
        rule: 'csv-quote',
        hint: 'a quote inside a value must be doubled ("") and the whole value quoted',
      });
    case 'CSV_MAX_RECORD_SIZE':
      return new DataError(ErrorCodes.CSV, `record is longer than the limit of ${maxRecordSize} characters`, {
        ...where,
        rule: 'max-record-size',
        hint: 'one enormous line or an unclosed quote swallowing the file; check `delimiter` and `quote` for this feed',
      });
    default:
      return new DataError(ErrorCodes.CSV, `csv-parse: ${err.message}`, { ...where, rule: 'csv' }, { cause: err });
  }
}
