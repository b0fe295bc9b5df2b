import type { FeedConfig } from '../config/types.ts';

/** One line element of an XML record (feed.linePath), flattened like the record itself. */
export interface RawLine {
  /** 1-based physical line where the line element starts in the file. */
  line: number;
  fields: Record<string, string>;
}

/** One record as it stands in the file: raw text only, no knowledge of what a field means. */
export interface RawRecord {
  /** 1-based physical line where the record starts in the file. */
  line: number;
  /** 1-based record number (CSV data rows without the header; XML record elements). */
  record: number;
  /** CSV: column name -> raw text. XML: flattened path -> text (see xml.ts for the rules). */
  fields: Record<string, string>;
  /** XML only, when feed.linePath is set: each line element flattened, in document order. */
  lines?: RawLine[];
  /**
   * XML only: elements that occur more than once in the record and lead to a list-valued field
   * (tracking_id, carrier, order_no): path of the element (relative to the record) → each
   * occurrence flattened relative to itself, in document order. `fields` still has the first.
   */
  repeats?: Record<string, Array<Record<string, string>>>;
  /**
   * Set when this record is broken in a way the reader can step over (a CSV row with the wrong
   * number of columns): the caller rejects the file or skips the record, as the feed's onError says.
   */
  error?: import('../errors.ts').DataError;
}

export type ReaderOptions = Pick<FeedConfig, 'format' | 'encoding' | 'delimiter' | 'quote' | 'header' | 'columns' | 'recordPath' | 'linePath'> & {
  /** XML: source paths of list-valued fields; repeated elements on their way are read as lists (RawRecord.repeats). */
  listPaths?: string[];
};

/** The canonical fields that take every occurrence of a repeated XML element, not the first. */
export const LIST_FIELDS = ['tracking_id', 'carrier', 'order_no'] as const;

/** Source paths of the list-valued fields a feed maps. */
export function listPathsOf(feed: Pick<FeedConfig, 'map'>): string[] {
  return LIST_FIELDS.map((f) => feed.map[f]).filter((p): p is string => p !== undefined);
}

/** Optional observation of a read, for progress: never changes what is read. */
export interface ReadHooks {
  /** Bytes of the file read so far (called per chunk read from disk, before decoding). */
  onBytes?: (bytesRead: number) => void;
}

/**
 * Safety limits, so a broken export (wrong delimiter, unclosed quote, one 50 MB line) fails with a
 * clear error instead of eating memory. Defaults live next to each reader.
 */
export interface ReaderLimits {
  /** Largest single record, in characters (CSV: csv-parse's counter; XML: one record element's text). */
  maxRecordSize?: number;
  /** Most columns a CSV file may have. */
  maxColumns?: number;
}

/**
 * Sets `obj[key] = value` as an own property even for the key `__proto__`, which a plain assignment
 * would turn into a prototype change. Column and element names come from the file, so they are
 * untrusted; both readers build their field maps through this.
 */
export function setField(obj: Record<string, string>, key: string, value: string): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
