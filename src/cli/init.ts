/**
 * `vendre-pull init SAMPLE_FILE…`: proposes a feed for an export the merchant's ERP writes (given the
 * files of several tables, a feed per table and the export runs they make up). Reads the
 * head of the file (no config needed), detects encoding, CSV dialect or XML record/line elements,
 * then reads sample records with the real readers (so the field names are exactly what ingest will
 * see), matches the names against ERP vocabularies and the values against date and number formats,
 * and prints commented YAML. Finally it maps the sampled records with the proposal and says how that
 * went, so an unedited proposal is known to read the sample.
 */
import { open, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import { parseConfig, SCHEMA_DIR } from '../config/load.ts';
import { ENTITY_FIELDS, HEADER_FIELDS, LINE_FIELDS, type FeedConfig } from '../config/types.ts';
import { DataError, ErrorCodes, ExitCodes, UsageError } from '../errors.ts';
import { detectDelimiter, detectHeader, splitRows } from '../init/csv.ts';
import { detectEncoding, UnsupportedEncoding, xmlDeclaredEncoding } from '../init/encoding.ts';
import { mixedRecordTypes, patternFor, propose, proposeSections, proposeTypedSections, type Proposal, type Sample, type SchemaSupport } from '../init/propose.ts';
import { partsOf } from '../ingest/parts.ts';
import { detectXmlStructure, NoXmlRecords, type XmlSection } from '../init/xml.ts';
import { proposeRuns, type TableFeed } from '../init/runs.ts';
import { feedLines, proposalYaml, runLines } from '../init/yaml.ts';
import { createMapper } from '../mapping/map.ts';
import { readRecords, type RawRecord, type ReaderOptions } from '../readers/index.ts';

const HEAD_BYTES = 4 * 1024 * 1024;

export interface InitResult {
  yaml: string;
  sample: Sample;
  /** Sampled records that the proposal maps without an error, of all sampled. */
  check: { ok: number; total: number; errors: string[] };
}

/** What this build's config schema accepts (kinds, feed keys, map fields). */
export function schemaSupport(): SchemaSupport {
  const schema = JSON.parse(readFileSync(path.join(SCHEMA_DIR, 'config.schema.json'), 'utf8')) as {
    definitions: { feed: { properties: Record<string, { enum?: string[]; properties?: Record<string, unknown> }> } };
  };
  const feed = schema.definitions.feed.properties;
  return {
    kinds: feed.kind?.enum ?? ['orders', 'order_lines', 'invoices', 'invoice_lines'],
    feedKeys: Object.keys(feed),
    mapFields: Object.keys(feed.map?.properties ?? {}).filter((f) => (HEADER_FIELDS as readonly string[]).includes(f) || (LINE_FIELDS as readonly string[]).includes(f) || (ENTITY_FIELDS as readonly string[]).includes(f)),
  };
}

async function readHead(file: string): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The dialect of one sample file, and how to read it. */
async function detectFile(file: string): Promise<{ sample: Sample; reader: ReaderOptions }> {
  const st = await stat(file).catch(() => undefined);
  if (!st?.isFile()) throw new UsageError(`no such file: ${file}`, 'usage-file');
  if (st.size === 0) throw new UsageError(`${file} is empty: init needs an export with at least a few records`, 'usage-file');
  const name = path.basename(file);
  const head = await readHead(file);
  const ascii = head.subarray(0, 512).toString('latin1');
  let enc;
  try {
    enc = detectEncoding(head, xmlDeclaredEncoding(ascii));
  } catch (err) {
    if (err instanceof UnsupportedEncoding) throw new DataError(ErrorCodes.ENCODING, err.message, { file: name, rule: 'init-encoding' });
    throw err;
  }
  const text = enc.encoding === 'utf-8' ? new TextDecoder('utf-8').decode(head) : iconv.decode(head, enc.encoding);
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (/^%PDF/.test(body)) throw new UsageError(`${name} is a PDF; init reads CSV and XML exports (PDFs are matched to documents by their file names)`, 'usage-file');
  const format: 'csv' | 'xml' = body.startsWith('<') ? 'xml' : 'csv';

  const sample: Sample = { fileName: name, format, encoding: enc, fields: [], lineFields: [], records: [] };
  const reader: ReaderOptions = { format, encoding: enc.encoding, delimiter: ';', quote: '"', header: true };
  if (format === 'csv') {
    const delimiter = detectDelimiter(text);
    const rows = splitRows(text, delimiter.delimiter, 30);
    const header = detectHeader(rows);
    const columns = header.header ? undefined : (rows[0] ?? []).map((_, i) => `Column${i + 1}`);
    sample.csv = { delimiter, header, columns };
    sample.fields = header.header ? (rows[0] ?? []).map((c) => c.trim()) : columns!;
    Object.assign(reader, { delimiter: delimiter.delimiter, header: header.header, columns });
  } else {
    let xml;
    try {
      xml = detectXmlStructure(text);
    } catch (err) {
      if (err instanceof NoXmlRecords) throw new DataError(ErrorCodes.XML, err.message, { file: name, rule: 'init-xml' });
      throw err;
    }
    sample.xml = xml;
    Object.assign(reader, { recordPath: xml.recordPath, linePath: xml.linePath });
  }
  return { sample, reader };
}

/** One feed learnt from the sample files of one table, before it is printed. */
interface FeedResult {
  proposal: Proposal;
  sample: Sample;
  check: InitResult['check'];
  /** The files, for the header line (`X.csv and 1 more file`). */
  label: string;
  records: number;
  /** What went wrong while sampling (NOTE lines after the feed). */
  problems: string[];
  files: string[];
}

/** A single feed's output as before runs: the proposal, the sampling notes, the check. */
function feedYaml(r: FeedResult): string {
  let yaml = proposalYaml(r.proposal, { file: r.label, records: r.records });
  for (const p of r.problems) yaml += `# NOTE: while sampling: ${p}\n`;
  return yaml + checkLine(r.check);
}

/**
 * Proposes feeds from sample files. The files of one table (one pattern: a table's FULL and DELTA
 * files, two runs) give one feed; the files of several tables (SalesHeader_R0042_FULL.csv,
 * SalesLine_R0042_FULL.csv, …) one feed per table, and the export runs they make up (`runs`).
 */
export async function inspectSample(fileOrFiles: string | readonly string[], maxRecords = 500): Promise<InitResult> {
  const files = typeof fileOrFiles === 'string' ? [fileOrFiles] : [...fileOrFiles];
  if (files.length === 0) throw new UsageError('init needs a sample file', 'usage-file');
  const tables = new Map<string, string[]>();
  for (const f of files) {
    const pattern = patternFor(path.basename(f));
    tables.set(pattern, [...(tables.get(pattern) ?? []), f]);
  }
  if (tables.size === 1) {
    const r = await learnFeed(files, maxRecords);
    return { yaml: feedYaml(r), sample: r.sample, check: r.check };
  }
  return inspectTables([...tables.values()], maxRecords);
}

/**
 * The files of several tables: a feed each (named after its table, told apart if two names meet),
 * then the runs of those feeds. The whole output is checked to load as a config.
 */
async function inspectTables(tables: string[][], maxRecords: number): Promise<InitResult> {
  // One format: a run's tables are written by one export job (and CSV with XML is a mistake more often).
  const formats: Array<{ name: string; format: string }> = [];
  for (const t of tables) formats.push({ name: path.basename(t[0]!), format: (await detectFile(t[0]!)).sample.format });
  const other = formats.find((f) => f.format !== formats[0]!.format);
  if (other) throw new UsageError(`${other.name} is ${other.format.toUpperCase()}, ${formats[0]!.name} is ${formats[0]!.format.toUpperCase()}: give init the files of one feed, or the files of one export run`, 'usage-file');
  const results: FeedResult[] = [];
  const names = new Set<string>();
  for (const t of tables) {
    const r = await learnFeed(t, maxRecords);
    const setting = r.proposal.settings.find(([k]) => k === 'name')![1];
    let name = String(setting.value);
    for (let i = 2; names.has(name); i++) name = `${setting.value}-${i}`;
    if (name !== setting.value) setting.why += ` (-${name.split('-').pop()}: another table's name is the same)`;
    setting.value = name;
    names.add(name);
    results.push(r);
  }
  const feeds: TableFeed[] = results.map((r) => ({
    name: String(r.proposal.settings.find(([k]) => k === 'name')![1].value),
    kind: r.proposal.sections ? undefined : String(r.proposal.settings.find(([k]) => k === 'kind')?.[1].value ?? ''),
    files: r.files.map((f) => path.basename(f)),
  }));
  const { runs, notes } = proposeRuns(feeds);

  const out: string[] = [];
  const fileCount = tables.reduce((n, t) => n + t.length, 0);
  out.push(`# vendre-pull init: ${results.length} feeds${runs.length ? ` and ${runs.length} export run${runs.length > 1 ? 's' : ''}` : ''} proposed from ${fileCount} files of ${tables.length} tables.`);
  out.push('# Every value marked "guess" was inferred from the samples: check each one, then paste the items');
  out.push('# under `feeds:` (and `runs:`) in vendre-pull.yaml and try them with `vendre-pull validate FILE`.');
  for (const n of notes) out.push(`# NOTE: ${n}`);
  out.push('feeds:');
  const check: InitResult['check'] = { ok: 0, total: 0, errors: [] };
  for (const [i, r] of results.entries()) {
    out.push(`  # ${feeds[i]!.name}: a feed proposed from ${r.label} (${r.records} records sampled).`);
    for (const n of r.proposal.notes) out.push(`  # NOTE: ${n}`);
    out.push(...feedLines(r.proposal));
    for (const p of r.problems) out.push(`  # NOTE: while sampling: ${p}`);
    out.push(`  ${checkLine(r.check).trimEnd()}`);
    check.ok += r.check.ok;
    check.total += r.check.total;
    check.errors.push(...r.check.errors.map((e) => `${feeds[i]!.name}: ${e}`));
  }
  if (runs.length) out.push('runs:', ...runLines(runs));
  let yaml = `${out.join('\n')}\n`;
  try {
    parseConfig(yaml, path.join(os.tmpdir(), 'vendre-pull-init.yaml'));
  } catch (err) {
    check.errors.push(`the proposal is not a valid config yet: ${(err as Error).message}`);
    yaml += `# CHECK: the proposal does not load as a config yet: ${(err as Error).message.replace(/\s+/g, ' ')}\n`;
  }
  return { yaml, sample: results[0]!.sample, check };
}

/**
 * Learns one feed from one or more sample files of it (a table's FULL and DELTA files, two runs):
 * the dialect is the first file's, the records and field names are all files' together (an element
 * or a record kind one file lacks, another may have), and the check maps every file's records.
 */
async function learnFeed(files: string[], maxRecords: number): Promise<FeedResult> {
  const detected = [];
  for (const f of files) detected.push({ file: f, ...(await detectFile(f)) });
  const { sample, reader } = detected[0]!;
  const name = sample.fileName;
  const other = detected.find((d) => d.sample.format !== sample.format);
  if (other) throw new UsageError(`${other.sample.fileName} is ${other.sample.format.toUpperCase()}, ${name} is ${sample.format.toUpperCase()}: give init the files of one feed`, 'usage-file');
  const label = files.length === 1 ? name : `${name} and ${files.length - 1} more file${files.length > 2 ? 's' : ''}`;

  const support = schemaSupport();
  if (sample.format === 'xml' && support.feedKeys.includes('sections') && detected.some((d) => d.sample.xml?.sections)) {
    // The sections of all files: a container empty in one file may hold records in another.
    const byPath = new Map<string, XmlSection>();
    for (const d of detected) {
      for (const sec of d.sample.xml!.sections ?? [d.sample.xml!]) {
        const known = byPath.get(sec.recordPath);
        if (!known || (known.empty && !sec.empty)) byPath.set(sec.recordPath, sec);
      }
    }
    sample.xml = { ...sample.xml!, sections: [...byPath.values()] };
    return inspectSections(files, sample, reader, maxRecords, label);
  }

  const raws: RawRecord[] = [];
  const problems: string[] = [];
  for (const d of detected) {
    // Each file read as it was detected; their records and field names pooled into one sample.
    const r = await sampleRecords(d.file, { ...d.reader, ...(sample.format === 'xml' ? { recordPath: reader.recordPath, linePath: reader.linePath } : {}) }, sample, maxRecords);
    raws.push(...r.raws);
    problems.push(...r.problems);
  }
  if (raws.length === 0) throw new UsageError(`${label}: no records found to learn from`, 'usage-file');
  const mixed = support.feedKeys.includes('sections') ? mixedRecordTypes(sample) : undefined;
  const proposal = mixed ? proposeTypedSections(sample, mixed, support) : propose(sample, support);
  const yaml = proposalYaml(proposal, { file: label, records: raws.length });
  let check = checkProposal(yaml, raws, name);
  if (mixed) {
    // Sections by `when`: checked through the parts ingest applies the file as.
    check = { ok: 0, total: 0, errors: [] };
    for (const d of detected) {
      const c = await checkSections(yaml, d.file, maxRecords);
      check.ok += c.ok;
      check.total += c.total;
      check.errors.push(...c.errors);
    }
  }
  return { proposal, sample, check, label, records: raws.length, problems, files };
}

function checkLine(check: InitResult['check']): string {
  return check.errors.length
    ? `# CHECK: ${check.total - check.ok} of ${check.total} sampled records do not map with this proposal; first: ${check.errors[0]}\n`
    : `# CHECK: all ${check.total} sampled records map without an error with this proposal.\n`;
}

/** Reads up to `maxRecords` records with the real reader into `sample` (its field names, in order of first appearance). */
async function sampleRecords(file: string, reader: ReaderOptions, sample: Sample, maxRecords: number): Promise<{ raws: RawRecord[]; problems: string[] }> {
  const name = path.basename(file);
  const raws: RawRecord[] = [];
  const problems: string[] = [];
  try {
    for await (const r of readRecords(file, reader)) {
      raws.push(r);
      if (r.error && problems.length < 5) problems.push(r.error.message);
      if (raws.length >= maxRecords) break;
    }
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    if (raws.length === 0) throw err;
    problems.push(`reading stopped: ${err.message}`);
  }
  const seen = new Set(sample.fields);
  const lineSeen = new Set<string>();
  for (const r of raws) {
    for (const k of Object.keys(r.fields)) if (!seen.has(k)) (seen.add(k), sample.fields.push(k));
    for (const l of r.lines ?? []) for (const k of Object.keys(l.fields)) if (!lineSeen.has(k)) (lineSeen.add(k), sample.lineFields.push(k));
    sample.records.push({ fields: r.fields, lines: r.lines?.map((l) => l.fields) });
  }
  return { raws, problems };
}

/**
 * A file with several record kinds (`<Orders>`, `<Invoices>`, `<Deletions>`): each section's records
 * are read at its own path and proposed as a feed of their own would be, then put together as one
 * feed with `sections`; the check maps every section's records as ingest would.
 */
async function inspectSections(files: string[], sample: Sample, reader: ReaderOptions, maxRecords: number, label: string): Promise<FeedResult> {
  const name = label;
  const samples: Sample[] = [];
  const empty: Array<{ recordPath: string; reason: string }> = [];
  const problems: string[] = [];
  let total = 0;
  for (const section of sample.xml!.sections!) {
    if (section.empty) {
      empty.push({ recordPath: section.recordPath, reason: section.recordReason });
      continue;
    }
    // No file name: a section's kind comes from its record element, not from the file's name.
    const s: Sample = { ...sample, fileName: '', xml: { ...section }, fields: [], lineFields: [], records: [] };
    for (const file of files) {
      const r = await sampleRecords(file, { ...reader, recordPath: section.recordPath, linePath: section.linePath }, s, maxRecords);
      problems.push(...r.problems);
      total += r.raws.length;
    }
    if (s.records.length) samples.push(s);
  }
  if (samples.length === 0) throw new UsageError(`${name}: no records found to learn from`, 'usage-file');
  const proposal = proposeSections(sample, samples, empty, schemaSupport());
  const yaml = proposalYaml(proposal, { file: name, records: total });
  const check = { ok: 0, total: 0, errors: [] as string[] };
  for (const file of files) {
    const c = await checkSections(yaml, file, maxRecords);
    check.ok += c.ok;
    check.total += c.total;
    check.errors.push(...c.errors);
  }
  return { proposal, sample, check, label, records: total, problems, files };
}

/** Maps each section's records with the proposed feed, through the parts ingest applies a file as. */
async function checkSections(yaml: string, file: string, maxRecords: number): Promise<InitResult['check']> {
  const name = path.basename(file);
  let parts;
  try {
    const cfg = parseConfig(yaml, path.join(os.tmpdir(), 'vendre-pull-init.yaml'));
    parts = partsOf(file, cfg.feeds[0]!, (f) => createMapper(f, { locale: cfg.locale, currency: cfg.currency, customerNoPattern: cfg.customerNoPattern }));
  } catch (err) {
    return { ok: 0, total: 0, errors: [`the proposal is not a valid feed yet: ${(err as Error).message}`] };
  }
  const errors: string[] = [];
  let ok = 0;
  let total = 0;
  for (const part of parts) {
    let n = 0;
    for await (const r of part.records()) {
      total++;
      try {
        if (r.error) throw r.error;
        part.map(r, name);
        ok++;
      } catch (err) {
        errors.push((err as Error).message);
      }
      if (++n >= maxRecords) break;
    }
  }
  return { ok, total, errors };
}

/** Maps the sampled records with the proposed feed, as ingest would (config schema, defaults, mapper). */
function checkProposal(yaml: string, raws: RawRecord[], name: string): InitResult['check'] {
  let feed: FeedConfig;
  try {
    const cfg = parseConfig(yaml, path.join(os.tmpdir(), 'vendre-pull-init.yaml'));
    feed = cfg.feeds[0]!;
    const map = createMapper(feed, { locale: cfg.locale, currency: cfg.currency, customerNoPattern: cfg.customerNoPattern });
    const errors: string[] = [];
    let ok = 0;
    for (const r of raws) {
      try {
        if (r.error) throw r.error;
        map(r, name);
        ok++;
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    return { ok, total: raws.length, errors };
  } catch (err) {
    return { ok: 0, total: raws.length, errors: [`the proposal is not a valid feed yet: ${(err as Error).message}`] };
  }
}

export async function initCommand(files: string | string[], opts: { records?: number }): Promise<number> {
  const result = await inspectSample(files, opts.records ?? 500);
  process.stdout.write(result.yaml);
  return result.check.errors.length ? ExitCodes.DATA : ExitCodes.OK;
}
