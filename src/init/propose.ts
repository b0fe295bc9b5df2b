/**
 * From a sampled export (its detected dialect, its field names and some records) to a proposed feed:
 * kind, formats and a `map` of canonical fields to source columns, every value with the reason it was
 * chosen. Pure; `yaml.ts` prints it, `commands/init.ts` does the reading.
 */
import type { EncodingGuess } from './encoding.ts';
import type { DelimiterGuess } from './csv.ts';
import type { XmlGuess } from './xml.ts';
import { booleanValues, cancelledValues, creditValues, detectDateFormat, detectNumberFormat } from './values.ts';
import { candidates, documentClass, normalizeName, type DocClass } from './vocabulary.ts';

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
}

const DATE_FIELDS = new Set(['date', 'due_date', 'line.delivery_date']);
const NUMBER_FIELDS = new Set(['total', 'shipping_cost', 'line.quantity', 'line.price', 'line.discount', 'line.row_total', 'line.vat_rate', 'line.delivered', 'line.remaining']);
const AMOUNT_FIELDS = ['total', 'shipping_cost', 'line.quantity', 'line.price', 'line.row_total'];

/** Field order in the printed map: as the config documents them. */
const FIELD_ORDER = [
  'id', 'customer_no', 'date', 'due_date', 'payment_status', 'order_no', 'credited_invoice', 'reference', 'po_number', 'comment', 'currency', 'total', 'shipping_cost', 'tracking_id', 'carrier',
  'customer.company', 'customer.reference', 'customer.address', 'customer.address2', 'customer.zipcode', 'customer.ziparea', 'customer.country',
  'delivery.company', 'delivery.reference', 'delivery.address', 'delivery.address2', 'delivery.zipcode', 'delivery.ziparea', 'delivery.country',
  'line.no', 'line.model', 'line.name', 'line.quantity', 'line.price', 'line.discount', 'line.row_total', 'line.vat_rate', 'line.delivered', 'line.remaining', 'line.delivery_date', 'line.order_no',
];

/** `ordrar_20251130.csv` → `ordrar_*.csv`: dates (with a time), and runs of 4+ digits, become `*`. */
export function patternFor(fileName: string): string {
  return fileName
    .replace(/\d{4}([-_.]?)\d{2}\1\d{2}(?:[T_ -]?\d{2}[-:.]?\d{2}(?:[-:.]?\d{2})?)?/g, '*')
    .replace(/\d{4,}/g, '*')
    .replace(/\*(?:[-_.]?\*)+/g, '*');
}

const TYPE_COLUMN = /^(type|typ|radtyp|line type|linetype|row type|radtyp kod)$/;
const FREIGHT_NAME = /^(frakt|fraktavgift|fraktkostnad|freight|shipping|porto|leveranskostnad)\b/i;

/**
 * Charge lines: a line type column (Business Central's `Type`) whose lines named like freight are
 * not items gives a rule on type and number; BC's item charges (`Charge (Item)`) are freight or
 * handling nearly always, so a BC type column gets that rule too.
 */
function chargeRules(sample: Sample, map: Map<string, Setting<string>>, xmlLines: boolean): { rules: Array<{ when: Record<string, string> }>; why: string } | undefined {
  const name = map.get('line.name')?.value;
  const model = map.get('line.model')?.value;
  if (!map.has('line.quantity')) return undefined;
  const fieldsOf = xmlLines ? sample.lineFields : sample.fields;
  const type = fieldsOf.find((f) => TYPE_COLUMN.test(normalizeName(f)));
  if (!type) return undefined;
  const rows = xmlLines ? sample.records.flatMap((r) => r.lines ?? []) : sample.records.map((r) => r.fields);
  const types = new Set(rows.map((r) => (r[type] ?? '').trim()));
  const rules: Array<{ when: Record<string, string> }> = [];
  const seen = new Set<string>();
  for (const r of rows) {
    const t = (r[type] ?? '').trim();
    if (!name || !FREIGHT_NAME.test((r[name] ?? '').trim()) || /^item$|^artikel$/i.test(t)) continue;
    // An item charge is freight whatever its number; a G/L account line only for its account.
    const when: Record<string, string> = model && r[model]?.trim() && !/^charge \(item\)$/i.test(t) ? { [type]: t, [model]: r[model]!.trim() } : { [type]: t };
    const key = JSON.stringify(when);
    if (!seen.has(key)) {
      seen.add(key);
      rules.push({ when });
    }
  }
  const bc = [...types].some((t) => /^(item|g\/l account)$/i.test(t));
  if (bc && !seen.has(JSON.stringify({ [type]: 'Charge (Item)' }))) rules.push({ when: { [type]: 'Charge (Item)' } });
  if (!rules.length) return undefined;
  return { rules, why: `lines named like freight (${name ? `"${name}"` : 'name'}) of type ${[...new Set(rules.map((r) => r.when[type]))].join(', ')}: shipping_cost, not products${bc ? '; Business Central item charges (Charge (Item)) are usually freight: remove that rule if yours are not' : ''}` };
}

export function feedNameFor(fileName: string): string {
  const stem = fileName.replace(/\.[^.]+$/, '').replace(/[-_. ]*\d{4,}.*$/, '') || fileName;
  const name = normalizeName(stem).replace(/ /g, '-').replace(/^-+|-+$/g, '');
  return /^[a-z0-9]/.test(name) ? name : `feed-${name || 'export'}`;
}

export function propose(sample: Sample, support: SchemaSupport): Proposal {
  const notes: string[] = [];
  const recordElement = sample.xml?.recordPath.split('/').pop();
  const doc = documentClass(sample.fileName, recordElement, sample.fields);
  const cls: DocClass = doc.cls;
  const valuesOf = (name: string, lines = false): string[] => {
    const out: string[] = [];
    for (const r of sample.records) {
      if (lines) for (const l of r.lines ?? []) out.push(l[name] ?? '');
      else out.push(r.fields[name] ?? '');
    }
    return out;
  };
  const nonEmpty = (vs: string[]) => vs.filter((v) => v.trim() !== '');

  // A header feed names the customer; a file without any customer column holds lines of documents.
  const xmlLines = sample.format === 'xml' && sample.lineFields.length > 0;
  const xml = sample.format === 'xml';
  const hasCustomer = sample.fields.some((f) => candidates(f, cls, 'header', { xml }).some((c) => c.field === 'customer_no'));
  const lineFeed = sample.format === 'csv' && !hasCustomer;
  const flat = sample.format === 'csv' && !lineFeed;

  // Score every (source field, canonical field) pair, then assign greedily: best score first, each
  // field and each source used once.
  type Pair = { source: string; scope: 'header' | 'line'; field: string; score: number; why: string; order: number };
  const pairs: Pair[] = [];
  sample.fields.forEach((f, i) => {
    for (const c of candidates(f, cls, lineFeed ? 'line' : 'header', { flat, lineFeed, xml })) pairs.push({ source: f, scope: 'header', ...c, order: i });
  });
  sample.lineFields.forEach((f, i) => {
    for (const c of candidates(f, cls, 'line', { xml })) pairs.push({ source: f, scope: 'line', ...c, order: 1000 + i });
  });
  const supported = new Set(support.mapFields);
  // Columns with no value in the whole sample lose to ones that have values.
  const filled = (p: Pair) => nonEmpty(valuesOf(p.source, p.scope === 'line' && xmlLines)).length > 0;
  pairs.sort((a, b) => b.score - a.score || Number(filled(b)) - Number(filled(a)) || a.order - b.order);
  const map = new Map<string, Setting<string>>();
  const used = new Set<string>();
  for (const p of pairs) {
    if (!supported.has(p.field) || map.has(p.field)) continue;
    // Line fields of an XML feed come from the line element, header fields from the record.
    if (xmlLines && (p.field.startsWith('line.') ? p.scope !== 'line' : p.scope !== 'header')) continue;
    const key = `${p.scope}\u0000${p.source}`;
    if (used.has(key)) continue;
    used.add(key);
    map.set(p.field, { value: p.source, why: p.why });
  }

  // A flat layout needs a quantity per row: without one, line-like columns (`Amount`) are header columns.
  if (flat && !map.has('line.quantity')) for (const f of [...map.keys()]) if (f.startsWith('line.')) map.delete(f);
  const lineMapped = [...map.keys()].some((f) => f.startsWith('line.'));
  const headerKind = cls === 'order' ? 'orders' : cls === 'invoice' ? 'invoices' : 'credit_invoices';
  let kind = lineFeed ? `${headerKind.replace(/s$/, '')}_lines` : headerKind;
  if (!support.kinds.includes(kind)) kind = lineFeed ? 'invoice_lines' : 'invoices';
  if (lineFeed) {
    for (const f of [...map.keys()]) if (f !== 'id' && !f.startsWith('line.')) map.delete(f);
  }

  const settings: Array<[string, Setting]> = [];
  const set = (key: string, value: unknown, why: string, sure = false) => {
    if (key === 'name' || key === 'pattern' || key === 'kind' || key === 'format' || support.feedKeys.includes(key)) settings.push([key, { value, why, sure }]);
  };
  set('name', feedNameFor(sample.fileName), 'from the file name');
  set('pattern', patternFor(sample.fileName), patternFor(sample.fileName) === sample.fileName ? 'the file name as is: widen it if the name changes per export' : 'the file name, its date/number part as *');
  const kindWhy = `${doc.reason}; ${lineFeed ? 'no customer column: lines of documents, joined on `id` to the header feed' : sample.format === 'xml' ? (xmlLines ? 'a document per record, its lines in line elements' : 'a document per record') : lineMapped ? 'a header per row with line columns: the flat layout (one row per line)' : 'a document per row'}`;
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
    if (sample.xml.linePath) set('linePath', sample.xml.linePath, sample.xml.lineReason ?? '');
  }

  const dateValues: string[] = [];
  const numberValues: string[] = [];
  for (const [field, s] of map) {
    const vs = nonEmpty(valuesOf(s.value, field.startsWith('line.') && xmlLines));
    if (DATE_FIELDS.has(field)) dateValues.push(...vs);
    if (NUMBER_FIELDS.has(field)) numberValues.push(...vs);
  }
  const date = detectDateFormat(dateValues);
  set('dateFormat', date.value, date.reason);
  const swedish = sample.fields.some((f) => /[åäö]|nr$|antal|belopp|summa|pris|datum/i.test(f));
  const number = detectNumberFormat(numberValues, swedish ? 'comma' : 'dot');
  set('numberFormat', number.value, number.reason);
  set('mode', 'delta', 'upserts what a file carries; use `full` if every export is a complete snapshot of its documents');

  // Markers in status-like columns that are not mapped to anything else.
  const mappedSources = new Set([...map.values()].map((s) => s.value));
  const statusLike = sample.fields.filter((f) => !mappedSources.has(f) || /status|typ|type/i.test(f));
  if (cls === 'order' && !lineFeed) {
    for (const f of statusLike) {
      const cancelled = cancelledValues(valuesOf(f));
      if (cancelled.length) {
        set('delete', { column: f, values: cancelled }, `"${f}" holds ${cancelled.map((v) => `"${v}"`).join(', ')}: such a row deletes its order`);
        break;
      }
    }
  }
  if (cls === 'invoice' && !lineFeed) {
    for (const f of statusLike) {
      const credit = creditValues(valuesOf(f));
      if (credit.length) {
        set('credit', { column: f, values: credit }, `"${f}" holds ${credit.map((v) => `"${v}"`).join(', ')}: such a record is a credit invoice`);
        break;
      }
    }
  }
  if (cls === 'credit') {
    const amounts = AMOUNT_FIELDS.flatMap((f) => (map.has(f) ? nonEmpty(valuesOf(map.get(f)!.value, f.startsWith('line.') && xmlLines)) : []));
    if (amounts.length && amounts.every((v) => !/^\s*[-−]|[-−]\s*$/.test(v))) {
      set('creditSign', 'positive', `every amount in the sample is positive (${amounts.length} values): credit invoices are published negative`);
    }
  }
  const charges = chargeRules(sample, map, xmlLines);
  if (charges) set('charges', charges.rules, charges.why);

  const status = map.get('payment_status');
  if (status) {
    const yesNo = booleanValues(valuesOf(status.value));
    if (yesNo) set('values', { payment_status: { [yesNo.yes]: 'Betald', [yesNo.no]: 'Obetald' } }, `"${status.value}" holds ${yesNo.yes}/${yesNo.no}: published as text (edit the words for your shop's language)`);
  }

  const currency = map.get('currency');
  if (!currency && !lineFeed) notes.push("no currency column: documents get the config's `currency` (or set `currency:` on this feed)");
  else if (currency) {
    const empty = valuesOf(currency.value).filter((v) => v.trim() === '').length;
    if (empty) notes.push(`"${currency.value}" is empty in ${empty} of ${sample.records.length} sampled records: those get the config's \`currency\` (or set \`currency:\` on this feed)`);
  }
  for (const required of lineFeed ? ['id', 'line.quantity'] : ['id', 'customer_no', 'date']) {
    if (!map.has(required)) notes.push(`no column was recognised as \`${required}\`: add it to the map by hand (the feed is not valid without it)`);
  }

  const orderedMap = FIELD_ORDER.filter((f) => map.has(f)).map((f) => [f, map.get(f)!] as [string, Setting<string>]);
  const usedSources = new Set(orderedMap.map(([f, s]) => `${f.startsWith('line.') && xmlLines ? 'line' : 'header'}\u0000${s.value}`));
  const markerColumns = new Set(settings.filter(([k]) => k === 'delete' || k === 'credit').map(([, s]) => (s.value as { column: string }).column));
  const unmapped = [
    ...sample.fields.filter((f) => !usedSources.has(`header\u0000${f}`)).map((name) => ({ name, note: markerColumns.has(name) ? 'used as a marker above' : undefined })),
    ...sample.lineFields.filter((f) => !usedSources.has(`line\u0000${f}`)).map((name) => ({ name: `(line) ${name}`, note: undefined })),
  ];
  return { settings, map: orderedMap, unmapped, notes };
}
