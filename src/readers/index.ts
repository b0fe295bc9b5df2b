/**
 * Readers: a file in, its records out (raw text, no knowledge of what a field means).
 * `readRecords` picks the reader by the feed's format; both stream and bound their memory.
 */
import { ConfigError } from '../errors.ts';
import { readCsv } from './csv.ts';
import { readXml } from './xml.ts';
import type { RawRecord, ReadHooks, ReaderLimits, ReaderOptions } from './types.ts';

export { readCsv, CSV_MAX_COLUMNS, CSV_MAX_RECORD_SIZE } from './csv.ts';
export { readXml, XML_MAX_RECORD_SIZE } from './xml.ts';
export { DecodeStream, openDecoded } from './decode.ts';
export type { RawLine, RawRecord, ReadHooks, ReaderLimits, ReaderOptions } from './types.ts';

export function readRecords(file: string, opts: ReaderOptions, limits?: ReaderLimits, hooks?: ReadHooks): AsyncGenerator<RawRecord> {
  switch (opts.format) {
    case 'csv':
      return readCsv(file, opts, limits, hooks);
    case 'xml':
      return readXml(file, opts, limits, hooks);
    default:
      throw new ConfigError(`${file}: unknown format ${JSON.stringify((opts as { format: unknown }).format)}`, 'format', undefined, 'config-feed');
  }
}
