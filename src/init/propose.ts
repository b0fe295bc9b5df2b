/**
 * From a sampled export (its detected dialect, its field names and some records) to a proposed feed:
 * kind, formats and a `map` of canonical fields to source columns, every value with the reason it was
 * chosen. Pure; `yaml.ts` prints it, `commands/init.ts` does the reading.
 */
import { baseSettings, modeWhy, patternFor, runKind, RUN_KIND, type Proposal, type Sample, type SampleRecord, type SchemaSupport, type SectionProposal, type Setting } from './sample.ts';
import { booleanValues, cancelledValues, creditCounterpart, creditValues, detectDateFormat, detectNumberFormat, paymentValues } from './values.ts';
import { entityKind, proposeEntities } from './entities.ts';
import { candidates, documentClass, matches, normalizeName, type DocClass } from './vocabulary.ts';

// Shared with the register proposals; re-exported for the command and the tests.
export { baseSettings, feedNameFor, modeWhy, patternFor, runKind, RUN_KIND, type Proposal, type Sample, type SampleRecord, type SchemaSupport, type SectionProposal, type Setting } from './sample.ts';

/** Keys a section of a multi-record feed carries itself; the rest are the feed's. */
const SECTION_KEYS = new Set(['kind', 'recordPath', 'linePath', 'when', 'currency', 'delete', 'credit', 'creditSign', 'values', 'charges', 'deletes']);

const DATE_FIELDS = new Set(['date', 'due_date', 'line.delivery_date']);
const NUMBER_FIELDS = new Set(['total', 'shipping_cost', 'line.quantity', 'line.price', 'line.discount', 'line.row_total', 'line.vat_rate', 'line.delivered', 'line.remaining']);
/** Amounts of a document's header, and of its lines: told apart by how they repeat within a document. */
const HEADER_AMOUNTS = new Set(['total', 'shipping_cost']);
const LINE_AMOUNTS = new Set(['line.row_total', 'line.price']);
const AMOUNT_FIELDS = ['total', 'shipping_cost', 'line.quantity', 'line.price', 'line.row_total'];

/** Field order in the printed map: as the config documents them. */
const FIELD_ORDER = [
  'id', 'customer_no', 'date', 'due_date', 'payment_status', 'status', 'order_no', 'credited_invoice', 'reference', 'po_number', 'comment', 'currency', 'total', 'shipping_cost', 'tracking_id', 'carrier',
  'customer.company', 'customer.reference', 'customer.address', 'customer.address2', 'customer.zipcode', 'customer.ziparea', 'customer.country',
  'delivery.company', 'delivery.reference', 'delivery.address', 'delivery.address2', 'delivery.zipcode', 'delivery.ziparea', 'delivery.country',
  'line.no', 'line.model', 'line.name', 'line.quantity', 'line.price', 'line.discount', 'line.row_total', 'line.vat_rate', 'line.delivered', 'line.remaining', 'line.delivery_date', 'line.order_no',
];


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


/** The first source field matching one of the names (by its last path step in XML), one with values preferred. */
function findField(sample: Sample, names: readonly string[], except: ReadonlySet<string> = new Set()): string | undefined {
  const hits = sample.fields.filter((f) => !except.has(f) && (matches(f, names) || (sample.format === 'xml' && matches(f.replace(/^.*\//, ''), names))));
  return hits.find((f) => sample.records.some((r) => (r.fields[f] ?? '').trim() !== '')) ?? hits[0];
}

const SHIPMENT_ID = ['No.', 'No', 'Nr', 'Shipment No.', 'ShipmentNo', 'Shipment Id', 'ShipmentId', 'Leveransnr', 'Leveransnummer', 'Leverans-id', 'Utleveransnr', 'Följesedelsnr', 'Följesedelnr', 'Följesedel', 'Packing Slip No.', 'PackingSlipNo', 'Delivery No.', 'DeliveryNo', 'Delivery Note No.', 'Id'];
const ORDER_REF = ['Order No.', 'OrderNo', 'Ordernr', 'Ordernummer', 'Order Number', 'Order Id', 'OrderId', 'Sales Order No.', 'Kundordernr', 'Kundorder', 'Order', 'OrderRef'];
const TRACKING = ['Package Tracking No.', 'Tracking No.', 'Tracking Number', 'TrackingNumber', 'TrackingNo', 'Tracking Id', 'TrackingId', 'Kollinr', 'Kolli-id', 'Kolliid', 'Kollinummer', 'Sändningsnr', 'Sändningsnummer', 'Spårningsnummer', 'Spårnr', 'Spårningsnr', 'SSCC', 'Streckkod', 'Barcode', 'Shipment Tracking', 'Consignment No.'];
const CARRIER = ['Shipping Agent Code', 'Shipping Agent', 'Transportör', 'Transportor', 'Speditör', 'Speditor', 'Fraktbolag', 'Fraktförare', 'Carrier', 'Carrier Code', 'CarrierCode', 'Leveranssätt', 'Shipping Method', 'Transportsätt'];

/** A shipment file (BC Sales Shipment Header, a Swedish leverans/kolli file): a packages feed. */
function proposePackages(sample: Sample, support: SchemaSupport, why: string): Proposal {
  const notes: string[] = [];
  const map = new Map<string, Setting<string>>();
  // XML paths such as `Packages/Package/@id`: the vocabulary knows them by their element.
  const byVocabulary = (field: string, except: Array<string | undefined>) =>
    sample.format === 'xml' ? sample.fields.find((f) => !except.includes(f) && candidates(f, 'order', 'header', { xml: true }).some((c) => c.field === field && c.score >= 85)) : undefined;
  const orderNo = findField(sample, ORDER_REF);
  const tracking = findField(sample, TRACKING, new Set(orderNo ? [orderNo] : [])) ?? byVocabulary('tracking_id', [orderNo]);
  const carrier = findField(sample, CARRIER, new Set([orderNo, tracking].filter((x): x is string => !!x))) ?? byVocabulary('carrier', [orderNo, tracking]);
  let id = findField(sample, SHIPMENT_ID, new Set([orderNo, tracking, carrier].filter((x): x is string => !!x)));
  // One row per kolli under a shipment number: keyed by that number, each row would replace the one
  // before it. The kolli number is then the id.
  if (id && tracking && sample.format === 'csv') {
    const seen = new Map<string, string>();
    const repeats = sample.records.some((r) => {
      const key = (r.fields[id!] ?? '').trim();
      const t = (r.fields[tracking] ?? '').trim();
      const before = seen.get(key);
      seen.set(key, t);
      return before !== undefined && before !== t && t !== '' && before !== '';
    });
    if (repeats) {
      notes.push(`"${id}" repeats with different "${tracking}" values: one row per package, so each package is a shipment of its own, keyed by "${tracking}"`);
      id = undefined;
    }
  }
  if (id) map.set('id', { value: id, why: `"${id}": the shipment's own number (a shipment sent again with it replaces the earlier row)` });
  else if (tracking) {
    map.set('id', { value: tracking, why: `no shipment number: each package is its own shipment, keyed by "${tracking}"` });
    notes.push(`"${tracking}" is the shipment's id too: a record without one is a bad record (rule required), not "no package yet"`);
  }
  if (orderNo) map.set('order_no', { value: orderNo, why: `"${orderNo}": the order the shipment belongs to (joined by order number, in either order of arrival)` });
  if (tracking) map.set('tracking_id', { value: tracking, why: `"${tracking}": the tracking number (empty: no package yet)` });
  if (carrier) map.set('carrier', { value: carrier, why: `"${carrier}": the carrier, for the tracking link` });
  const { settings, set } = baseSettings(sample, support, 'packages', `${why}; one shipment per record, joined to its order by order number`);
  set('mode', 'delta', modeWhy(sample.fileName, 'upserts the shipments a file carries; `full` would remove shipments absent from the file'));
  for (const required of ['order_no', 'tracking_id']) if (!map.has(required)) notes.push(`no column was recognised as \`${required}\`: add it to the map by hand (a packages feed needs it)`);
  const used = new Set([...map.values()].map((s) => s.value));
  return { settings, map: [...map.entries()], unmapped: sample.fields.filter((f) => !used.has(f)).map((name) => ({ name })), notes };
}

const DELETION_ID = ['No.', 'No', 'Nr', 'Document No.', 'DocumentNo', 'Dokumentnr', 'Doc No.', 'Id', 'Number', 'Nummer', 'Key', 'Nyckel', 'Ordernr', 'Fakturanr', 'Order No.', 'Invoice No.', 'Document Id'];
const TABLE = ['Table', 'Tabell', 'Table Name', 'TableName', 'Tabellnamn', 'Table No.', 'Table ID', 'TableNo', 'Tabellnr'];
const DOC_TYPE = ['Document Type', 'DocumentType', 'Dokumenttyp', 'Doc Type', 'Type', 'Typ', 'Kind', 'Record Type', 'RecordType', 'Posttyp', 'Objekttyp', 'Object Type'];
/** Business Central's sales tables by name and number, and what deleting one of their records deletes. */
const BC_TABLES: Array<{ names: [string, string]; delete: 'order' | 'invoice' | 'credit' | 'package' }> = [
  { names: ['Sales Header', '36'], delete: 'order' },
  { names: ['Sales Invoice Header', '112'], delete: 'invoice' },
  { names: ['Sales Cr.Memo Header', '114'], delete: 'credit' },
  { names: ['Sales Shipment Header', '110'], delete: 'package' },
];

const compactName = (s: string) => normalizeName(s).replace(/ /g, '');

/** What a record type value names: an order, an invoice, a credit, a shipment, or something else. */
export function deletionTarget(value: string): 'order' | 'invoice' | 'credit' | 'package' | 'ignore' {
  const v = compactName(value);
  if (/kredit|credit|crmemo/.test(v)) return 'credit';
  if (/faktur|invoice/.test(v)) return 'invoice';
  if (/shipment|shpt|leverans|kolli|package|sandning|forsandelse/.test(v)) return 'package';
  if (/^(o|ordrar|salesorder|kundorder)$|^order/.test(v)) return 'order';
  return 'ignore';
}

export type DeleteRule = { when: Record<string, string>; delete: string };

/** Rules for a deletions feed from its table/type columns and the values the sample holds. */
export function deletionRules(sample: Sample, typeHint?: string): { rules: DeleteRule[]; why: string; columns: string[] } {
  const table = findField(sample, TABLE);
  const type = findField(sample, DOC_TYPE, new Set(table ? [table] : [])) ?? typeHint;
  const values = (f: string) => [...new Set(sample.records.map((r) => (r.fields[f] ?? '').trim()).filter(Boolean))];
  const isBc = (v: string) => BC_TABLES.some((t) => t.names.some((n) => n.toLowerCase() === v.toLowerCase()));
  const rules: DeleteRule[] = [];
  if (table) {
    const seen = values(table);
    if (seen.length === 0 || seen.some(isBc)) {
      const numbers = seen.length > 0 && seen.every((v) => /^\d+$/.test(v));
      for (const t of BC_TABLES) {
        const name = numbers ? t.names[1] : t.names[0];
        // Sales Header holds quotes and blanket orders too: only its orders are published.
        if (t.delete === 'order' && type) {
          rules.push({ when: { [table]: name, [type]: 'Order' }, delete: 'order' });
          rules.push({ when: { [table]: name }, delete: 'ignore' });
        } else rules.push({ when: { [table]: name }, delete: t.delete });
      }
      for (const v of seen) if (!isBc(v)) rules.push({ when: { [table]: v }, delete: 'ignore' });
      return { rules, columns: [table, ...(type ? [type] : [])], why: `Business Central's sales tables in "${table}"${type ? ` (of Sales Header only "${type}" Order is published)` : ''}: order, invoice, credit memo and shipment deletions; other tables ignored` };
    }
    for (const v of seen) rules.push({ when: { [table]: v }, delete: deletionTarget(v) });
    return { rules, columns: [table], why: `"${table}" holds ${seen.map((v) => `"${v}"`).join(', ')}: what each deletes, by its name (ignore: not published)` };
  }
  if (type) {
    const seen = values(type);
    for (const v of seen) rules.push({ when: { [type]: v }, delete: deletionTarget(v) });
    const targets = new Set(rules.map((r) => r.delete));
    // A sample holds some kinds only: the others the export presumably names the same way.
    const lower = seen.every((v) => v === v.toLowerCase());
    const swedish = seen.some((v) => /faktur|kredit|offert|leverans|ordrar|kolli/i.test(v));
    const words = swedish ? { order: 'Order', invoice: 'Faktura', credit: 'Kredit' } : { order: 'Order', invoice: 'Invoice', credit: 'Credit' };
    for (const target of ['order', 'invoice', 'credit'] as const) {
      if (!targets.has(target)) rules.push({ when: { [type]: lower ? words[target].toLowerCase() : words[target] }, delete: target });
    }
    return { rules, columns: [type], why: `"${type}" says what each record deletes${seen.length ? ` (${seen.map((v) => `"${v}"`).join(', ')} in the sample)` : ''}; the kinds the sample lacks are guessed by their ${swedish ? 'Swedish' : 'English'} names` };
  }
  const cls = documentClass(sample.fileName.replace(/delet\w*|borttag\w*/gi, ''), undefined, []).cls;
  const target = cls === 'invoice' ? 'invoice' : cls === 'credit' ? 'credit' : 'order';
  return { rules: [{ when: {}, delete: target }], columns: [], why: `no table or type column: every record deletes ${target === 'order' ? 'an order' : `a ${target}`} (from the file name)` };
}

/** A deletions file (BC Table, Document Type, No.; an XML <Deletions> element): a deletions feed. */
function proposeDeletions(sample: Sample, support: SchemaSupport, why: string, typeHint?: string): Proposal {
  const notes: string[] = [];
  const { rules, why: rulesWhy, columns } = deletionRules(sample, typeHint);
  const id = findField(sample, DELETION_ID, new Set(columns));
  const map: Array<[string, Setting<string>]> = id ? [['id', { value: id, why: `"${id}": the number of the deleted document` }]] : [];
  if (!id) notes.push("no column was recognised as `id` (the deleted document's number): add it to the map by hand");
  const { settings, set } = baseSettings(sample, support, 'deletions', `${why}; each record names a document to delete`);
  set('mode', 'delta', 'deletions feeds are delta only');
  set('deletes', rules, `${rulesWhy}; a record no rule matches is a bad record (add a rule, or \`{ when: {}, delete: ignore }\` last)`);
  const used = new Set([...(id ? [id] : []), ...columns]);
  return { settings, map, unmapped: sample.fields.filter((f) => !used.has(f)).map((name) => ({ name })), notes };
}

export function propose(sample: Sample, support: SchemaSupport): Proposal {
  const notes: string[] = [];
  const recordElement = sample.xml?.recordPath.split('/').pop();
  const entity = entityKind(sample.fileName, recordElement, sample.fields, sample.format === 'xml');
  if (entity && support.kinds.includes(entity.kind)) return proposeEntities(sample, support, entity.kind, entity.reason);
  const doc = documentClass(sample.fileName, recordElement, sample.fields);
  if (doc.cls === 'shipment' && support.kinds.includes('packages')) return proposePackages(sample, support, doc.reason);
  if (doc.cls === 'deletion' && support.kinds.includes('deletions')) return proposeDeletions(sample, support, doc.reason);
  const cls: DocClass = doc.cls === 'shipment' || doc.cls === 'deletion' ? 'order' : doc.cls;

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
  // Header totals repeat on every row of a document; line amounts vary from row to row. Where one
  // row is one line (a flat CSV, XML records without line elements), the rows of the documents with
  // several rows tell them apart, whatever the columns are called.
  const rowPerLine = !lineFeed && !xmlLines;
  const idSource = pairs.find((p) => p.field === 'id' && p.scope === 'header' && supported.has('id'))?.source;
  const excluded = new Set<Pair>();
  if (rowPerLine && idSource) {
    const docs = new Map<string, Array<Record<string, string>>>();
    for (const r of sample.records) {
      const id = (r.fields[idSource] ?? '').trim();
      if (!id) continue;
      if (!docs.has(id)) docs.set(id, []);
      docs.get(id)!.push(r.fields);
    }
    const multi = [...docs.values()].filter((rows) => rows.length > 1);
    const spread = (column: string) => multi.filter((rows) => new Set(rows.map((r) => (r[column] ?? '').trim()).filter(Boolean)).size > 1).length;
    for (const p of pairs) {
      if (multi.length === 0 || p.scope !== 'header') continue;
      const n = spread(p.source);
      if (HEADER_AMOUNTS.has(p.field) && n > 0) {
        excluded.add(p);
        if (p.field === 'total') notes.push(`"${p.source}" differs between the rows of ${n} of ${multi.length} documents with several rows: a line amount, not the document's total (the total is computed from the lines)`);
      } else if (LINE_AMOUNTS.has(p.field) && n === 0 && multi.length >= 2 && pairs.some((q) => q.source === p.source && HEADER_AMOUNTS.has(q.field))) {
        // The same on every row of every document: a header amount, whatever else the name could be.
        excluded.add(p);
      }
    }
  }
  const map = new Map<string, Setting<string>>();
  const used = new Set<string>();
  for (const p of pairs) {
    if (excluded.has(p)) continue;
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

  const kindWhy = `${doc.reason}; ${lineFeed ? 'no customer column: lines of documents, joined on `id` to the header feed' : sample.format === 'xml' ? (xmlLines ? 'a document per record, its lines in line elements' : 'a document per record') : lineMapped ? 'a header per row with line columns: the flat layout (one row per line)' : 'a document per row'}`;
  const { settings, set } = baseSettings(sample, support, kind, kindWhy);

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
  set('mode', 'delta', modeWhy(sample.fileName, 'upserts what a file carries; use `full` if every export is a complete snapshot of its documents'));

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
    let found = false;
    for (const f of statusLike) {
      const credit = creditValues(valuesOf(f));
      if (credit.length) {
        set('credit', { column: f, values: credit }, `"${f}" holds ${credit.map((v) => `"${v}"`).join(', ')}: such a record is a credit invoice`);
        found = true;
        break;
      }
    }
    // Only debits in the sample (`type="debit"`): the column that will mark the credits.
    for (const f of found ? [] : statusLike.filter((x) => /typ|type|kind|slag/i.test(x))) {
      const counterpart = creditCounterpart(valuesOf(f));
      if (counterpart) {
        set('credit', { column: f, values: [counterpart] }, `"${f}" is "${valuesOf(f).find((v) => v.trim())!.trim()}" on every record of the sample: credit invoices are presumably marked "${counterpart}" (check with a file that has one)`);
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
    const words = yesNo ? undefined : paymentValues(valuesOf(status.value));
    if (words) set('values', { payment_status: words }, `"${status.value}" holds English payment states: published as Swedish text (the states the sample lacks are included; edit the words for your shop's language)`);
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
  return { settings, map: orderedMap, unmapped, notes, dateValues, numberValues };
}

/**
 * One feed with `sections` for a file holding several record kinds (XML `<Orders>`, `<Invoices>`,
 * `<Deletions>`): each section is proposed from its own records, as a feed of its own would be;
 * the feed keeps what they share (name, pattern, format, encoding, date and number formats, mode).
 * `empty` are containers without records in the sample (`<Deletions/>`): a deletions section is
 * guessed from its name and the id path of its siblings; other kinds are left to a NOTE.
 */
export function proposeSections(file: Sample, sections: Sample[], empty: Array<{ recordPath: string; reason: string }>, support: SchemaSupport, whens: Array<[string, Setting]> = []): Proposal {
  const notes: string[] = [];
  const parts = sections.map((s) => ({ sample: s, p: propose(s, support) }));
  const out: SectionProposal[] = [];
  for (const [i, { sample, p }] of parts.entries()) {
    const kind = p.settings.find(([k]) => k === 'kind')?.[1].value;
    const own = p.settings.filter(([k]) => SECTION_KEYS.has(k));
    // A CSV section's `when` right after its kind.
    if (whens[i]) own.splice(own.findIndex(([k]) => k === 'kind') + 1, 0, whens[i]!);
    out.push({ settings: own, map: p.map, unmapped: p.unmapped });
    const where = sample.xml ? sample.xml.recordPath : whens[i] ? JSON.stringify(whens[i]![1].value) : '';
    for (const n of p.notes) notes.push(`section ${kind}${where ? ` (${where})` : ''}: ${n}`);
  }
  const idPaths = parts.map(({ p }) => p.map.find(([f]) => f === 'id')?.[1].value).filter((v): v is string => !!v);
  const typeAttr = sections.flatMap((s) => s.fields).find((f) => /^@(type|kind|typ)$/i.test(f));
  for (const e of empty) {
    const element = e.recordPath.split('/').pop()!;
    if (documentClass(`${element}.xml`, element, []).cls !== 'deletion') {
      notes.push(`<${e.recordPath.split('/').slice(-2, -1)[0]}> is empty in this sample: give init this file together with one that has <${element}> records (vendre-pull init FILE FILE), or add that section by hand`);
      continue;
    }
    const hint = typeAttr;
    const probe: Sample = { ...file, fields: [], lineFields: [], records: [] };
    const rules = deletionRules(probe, hint);
    const id = idPaths[0] ?? '@No';
    out.push({
      settings: [
        ['kind', { value: 'deletions', why: e.reason }],
        ['recordPath', { value: e.recordPath, why: `no <${element}> in the sample: its path guessed from the container's name` }],
        ['deletes', { value: rules.rules, why: `${rules.why}${hint ? ` (the other records carry ${hint})` : ''}: check with a file that has deletions` }],
      ],
      map: [['id', { value: id, why: `no <${element}> in the sample: the number taken where the other sections have it (${id})` }]],
      unmapped: [],
    });
  }
  // Deletions last: the file is applied in section order, and a deletion may remove what an earlier section wrote.
  out.sort((a, b) => Number(kindOf(a) === 'deletions') - Number(kindOf(b) === 'deletions'));
  const first = parts[0]!.p;
  const settings = first.settings.filter(([k]) => !SECTION_KEYS.has(k) && k !== 'dateFormat' && k !== 'numberFormat' && k !== 'mode');
  // The feed's name and pattern come from the file, not from one section's element.
  const whole = baseSettings(file, support, 'orders', '');
  for (const key of ['name', 'pattern']) {
    const i = settings.findIndex(([k]) => k === key);
    const v = whole.settings.find(([k]) => k === key);
    if (i >= 0 && v) settings[i] = v;
  }
  const set = (key: string, value: unknown, why: string) => {
    if (support.feedKeys.includes(key)) settings.push([key, { value, why }]);
  };
  const date = detectDateFormat(parts.flatMap(({ p }) => p.dateValues ?? []));
  set('dateFormat', date.value, date.reason);
  const number = detectNumberFormat(parts.flatMap(({ p }) => p.numberValues ?? []), 'dot');
  set('numberFormat', number.value, number.reason);
  set('mode', 'delta', modeWhy(file.fileName, 'upserts what a file carries (deletions sections are delta only)'));
  const kinds = out.map(kindOf).join(', ');
  settings.push(['sections', { value: null, why: `${out.length} record kinds in one file (${kinds}): one section each, applied in one transaction, deletions last` }]);
  return { settings, map: [], unmapped: [], notes, sections: out };
}

function kindOf(s: SectionProposal): string {
  return String(s.settings.find(([k]) => k === 'kind')?.[1].value ?? '');
}

/** Column names that say which kind of record a row is, in a CSV that mixes them. */
const RECORD_TYPE = /^(posttyp|radtyp|satstyp|recordtype|rectype|rowtype|linetype|typ|type|kind|art|h r|hr|record)$/;

/**
 * A CSV whose type column mixes record kinds (`Posttyp` H for headers, R for lines; `Typ` Order or
 * Faktura): rows of each type value fill different columns. Returns one sub-sample per value, with
 * the columns its rows fill, or undefined when the file is one kind of row.
 */
export function mixedRecordTypes(sample: Sample): { column: string; parts: Array<{ value: string; sample: Sample }> } | undefined {
  if (sample.format !== 'csv' || sample.records.length < 2) return undefined;
  for (const column of sample.fields.filter((f) => RECORD_TYPE.test(normalizeName(f)))) {
    const byValue = new Map<string, SampleRecord[]>();
    for (const r of sample.records) {
      const v = (r.fields[column] ?? '').trim();
      if (!byValue.has(v)) byValue.set(v, []);
      byValue.get(v)!.push(r);
    }
    if (byValue.size < 2 || byValue.size > 5 || byValue.has('')) continue;
    const filled = new Map([...byValue].map(([v, rows]) => [v, new Set(sample.fields.filter((f) => f !== column && rows.some((r) => (r.fields[f] ?? '').trim() !== '')))]));
    const sets = [...filled.values()];
    // Different kinds of rows fill different columns: the smaller set is well short of the union.
    const differ = sets.some((a) => sets.some((b) => a !== b && [...a].filter((x) => b.has(x)).length / Math.max(1, new Set([...a, ...b]).size) < 0.7));
    if (!differ) continue;
    return {
      column,
      parts: [...byValue].map(([value, rows]) => {
        // A type value that names a kind (Order, Faktura, Kredit) says which; H/R do not, the file name does.
        const named = ['order', 'invoice', 'credit'].includes(deletionTarget(value));
        return { value, sample: { ...sample, fileName: named ? `${value}.csv` : sample.fileName, fields: sample.fields.filter((f) => filled.get(value)!.has(f)), records: rows } };
      }),
    };
  }
  return undefined;
}

/** A CSV of mixed record kinds: one section per type value, each taking its rows by `when`. */
export function proposeTypedSections(file: Sample, mixed: NonNullable<ReturnType<typeof mixedRecordTypes>>, support: SchemaSupport): Proposal {
  const whens = mixed.parts.map((part): [string, Setting] => ['when', { value: { [mixed.column]: part.value }, why: `rows whose "${mixed.column}" is "${part.value}" (${part.sample.records.length} in the sample) fill their own columns` }]);
  const p = proposeSections(file, mixed.parts.map((x) => x.sample), [], support, whens);
  const i = p.settings.findIndex(([k]) => k === 'sections');
  p.settings[i] = ['sections', { value: null, why: `"${mixed.column}" mixes ${mixed.parts.length} kinds of rows (${mixed.parts.map((x) => `"${x.value}"`).join(', ')}): one section each, taken by \`when\`, applied in one transaction; a row of another type is a bad record (section-none)` }];
  return p;
}
