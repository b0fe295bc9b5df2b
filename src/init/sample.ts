/**
 * What every proposal is made from and of: the sampled export, what the schema supports, one
 * proposed setting, and the settings every feed starts with (name, pattern, kind, how to read the
 * file). Its own module so the document and register proposals (propose.ts, entities.ts) share it
 * without importing each other. Pure.
 */
import type { EncodingGuess } from './encoding.ts';
import type { DelimiterGuess } from './csv.ts';
import type { XmlGuess } from './xml.ts';
import { normalizeName } from './vocabulary.ts';

export interface SampleRecord {
  fields: Record<string, string>;
  lines?: Array<Record<string, string>>;
}

export interface Sample {
  fileName: string;
  format: 'csv' | 'xml';
  encoding: EncodingGuess;
  csv?: { delimiter: DelimiterGuess; header: { header: boolean; reason: string }; columns?: string[] };
  xml?: XmlGuess;
  /** Field names of the records, in order of first appearance (CSV: the header row). */
  fields: string[];
  /** Field names of the line elements (XML with a line element). */
  lineFields: string[];
  records: SampleRecord[];
}

/** What the config schema of this build knows, so a proposal never uses a key it would reject. */
export interface SchemaSupport {
  kinds: readonly string[];
  feedKeys: readonly string[];
  mapFields: readonly string[];
}

/** One proposed setting: its value and why. `sure` values are facts of the file, the rest are guesses. */
export interface Setting<T = unknown> {
  value: T;
  why: string;
  sure?: boolean;
}

export interface Proposal {
  settings: Array<[string, Setting]>;
  map: Array<[string, Setting<string>]>;
  /** Source fields left unmapped, with a note where there is something to say. */
  unmapped: Array<{ name: string; note?: string }>;
  notes: string[];
  /** Several record kinds in one file: one section each (then `map` is empty and `settings` holds the feed's common settings). */
  sections?: SectionProposal[];
  /** The values the date and number formats were read from (to read them again over several sections). */
  dateValues?: string[];
  numberValues?: string[];
}

export interface SectionProposal {
  settings: Array<[string, Setting]>;
  map: Array<[string, Setting<string>]>;
  unmapped: Array<{ name: string; note?: string }>;
}

/** FULL/DELTA (and the like) in a file name: a run writes each table as a full snapshot or a delta. */
export const RUN_KIND = /(?<=^|[-_. ])(full|delta|fullsync|full-sync|incr|incremental|diff|changes|snapshot|initial)(?=$|[-_. ])/i;

/**
 * Why `mode: delta`. A table written as FULL and DELTA files is one feed (one pattern), and a feed
 * has one mode: `full` would delete, on every DELTA file, the documents it does not carry.
 */
export function modeWhy(fileName: string, plain: string): string {
  const run = runKind(fileName);
  if (!run) return plain;
  return `the file name says ${run}: this table comes as FULL and DELTA files, which the pattern takes both; a feed has one mode, and \`full\` would delete on each DELTA file what it does not carry, so delta (documents gone from a FULL file stay until deleted)`;
}

/** Which run part a file name names (FULL, DELTA, …), if any. */
export function runKind(fileName: string): string | undefined {
  return RUN_KIND.exec(fileName.replace(/\.[^.]+$/, ''))?.[1];
}

/**
 * `ordrar_20251130.csv` → `ordrar_*.csv`: dates (with a time), and runs of 4+ digits, become `*`;
 * `SalesHeader_20251130_FULL.csv` and `SalesHeader_R0042_DELTA.csv` → `SalesHeader_*.csv`: a run id
 * (a token of 2+ digits, perhaps after a short prefix: `R0042`, `run42`) and the FULL/DELTA part become `*` too, so one pattern takes both files.
 */
export function patternFor(fileName: string): string {
  const ext = /\.[^.]+$/.exec(fileName)?.[0] ?? '';
  const stem = fileName.slice(0, fileName.length - ext.length);
  const starred = stem
    .replace(/\d{4}([-_.]?)\d{2}\1\d{2}(?:[T_ -]?\d{2}[-:.]?\d{2}(?:[-:.]?\d{2})?)?/g, '*')
    .replace(/\d{4,}/g, '*')
    .split(/([-_. ])/)
    .map((t, i, all) => (i % 2 === 1 ? t : i > 0 && (RUN_KIND.test(t) || /^[A-Za-z]{0,5}\d{2,}[A-Za-z]{0,2}$|^[A-Za-z]{0,5}\*[A-Za-z0-9]{0,3}$/.test(t)) && all.length > 1 ? '*' : t))
    .join('');
  return `${starred}${ext}`.replace(/\*(?:[-_. ]?\*)+/g, '*');
}

export function feedNameFor(fileName: string): string {
  // The file name up to its first variable part (date, run id, FULL/DELTA).
  const stem = patternFor(fileName).replace(/\.[^.]+$/, '').replace(/[-_. ]*\*.*$/, '') || fileName;
  const name = normalizeName(stem).replace(/ /g, '-').replace(/^-+|-+$/g, '');
  return /^[a-z0-9]/.test(name) ? name : `feed-${name || 'export'}`;
}

/** The settings every proposal starts with: name, pattern, kind, format and how to read the file. */
export function baseSettings(sample: Sample, support: SchemaSupport, kind: string, kindWhy: string): { settings: Array<[string, Setting]>; set: (key: string, value: unknown, why: string, sure?: boolean) => void } {
  const settings: Array<[string, Setting]> = [];
  const set = (key: string, value: unknown, why: string, sure = false) => {
    if (key === 'name' || key === 'pattern' || key === 'kind' || key === 'format' || support.feedKeys.includes(key)) settings.push([key, { value, why, sure }]);
  };
  set('name', feedNameFor(sample.fileName), 'from the file name');
  const pattern = patternFor(sample.fileName);
  const run = runKind(sample.fileName);
  set('pattern', pattern, pattern === sample.fileName ? 'the file name as is: widen it if the name changes per export' : run ? `the file name, its date/run id and ${run} part as *: one pattern for the table's FULL and DELTA files` : 'the file name, its date/number part as *');
  set('kind', kind, kindWhy);
  set('format', sample.format, sample.format === 'xml' ? 'starts with XML markup' : 'delimited text', true);
  set('encoding', sample.encoding.encoding, sample.encoding.reason, sample.encoding.bom);
  if (sample.csv) {
    set('delimiter', sample.csv.delimiter.delimiter, sample.csv.delimiter.reason);
    set('header', sample.csv.header.header, sample.csv.header.reason);
    if (!sample.csv.header.header && sample.csv.columns) set('columns', sample.csv.columns, 'no header row: name the columns (the map below uses these names)');
  }
  if (sample.xml) {
    set('recordPath', sample.xml.recordPath, sample.xml.recordReason);
    if (sample.xml.linePath && kind !== 'packages' && kind !== 'deletions') set('linePath', sample.xml.linePath, sample.xml.lineReason ?? '');
  }
  return { settings, set };
}
