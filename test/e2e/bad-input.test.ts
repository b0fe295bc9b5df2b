/**
 * Issue #3: every bad input of test/fixtures/bad/ (see its README for the decision table) against
 * ONE real daemon child process: each bad file ends in quarantine/ with NAME.error.json naming
 * file, line (or record), rule and, where there is one, field and value; nothing of it is
 * published; the good file dropped right after it is archived and published (the daemon kept
 * going). Then, in process, `onError: skip-record`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { CATALOGUE, type Rule } from '../../src/errors.ts';
import { processFile } from '../../src/ingest/process.ts';
import { documentKey, parseKey, type ListKind } from '../../src/layout/keys.ts';
import { appIn, tmpDir } from '../helpers.ts';

const FIXTURES = path.resolve('test/fixtures/bad');
const CLI = ['--import', 'tsx', path.resolve('src/cli.ts')];
const fixture = (name: string) => path.join(FIXTURES, name);

/** The valid odd id of orders_odd_id.csv: spaces, non-ASCII letters and a slash. */
const ODD_ID = 'Beställning 7 ÅÄÖ/ü';
const ORDERS_HEADER = 'Ordernr;Kundnr;Datum;Kundnamn;Land;Artikel;Benämning;Antal;Pris;Moms';

/** A document that must be published: customer, list and id. */
interface Doc {
  c: string;
  list: ListKind;
  id: string;
}

/** What a bad file must produce. `line` undefined: a file-level error (it has no line). */
interface BadCase {
  name: string;
  feed: string;
  code: string;
  rule: string;
  line?: number;
  record?: number;
  column?: number;
  field?: string;
  value?: string | RegExp;
  message?: RegExp;
  /** Prefix of every document id in the file: none of them may be published. */
  tag?: string;
}

const BAD: Record<string, BadCase> = {
  header_only: { name: 'full_header_only.csv', feed: 'full-invoices', code: 'VP_ERR_DELETE_GUARD', rule: 'max-delete-share', message: /would delete 3 of 3 invoices/ },
  unclosed_quote: { name: 'orders_unclosed_quote.csv', feed: 'orders', code: 'VP_ERR_CSV', rule: 'csv-quote', line: 3, column: 4, field: 'Kundnamn', tag: 'QUOTE-' },
  column_count: { name: 'orders_column_count.csv', feed: 'orders', code: 'VP_ERR_CSV', rule: 'column-count', line: 3, record: 2, value: 'COLS-2;C102;2024-03-02;Kund C102; AB;Sverige;A1;Artikel;1;50,00;25', message: /expected 10 columns, got 11/, tag: 'COLS-' },
  date: { name: 'orders_date_invalid.csv', feed: 'orders', code: 'VP_ERR_FIELD', rule: 'date-invalid', line: 3, record: 2, field: 'Datum → date', value: '2024-02-30', tag: 'DATE-' },
  amount: { name: 'orders_amount_format.csv', feed: 'orders', code: 'VP_ERR_FIELD', rule: 'number-format', line: 3, record: 2, field: 'Pris → line.price', value: '12,3,4', tag: 'AMOUNT-' },
  customer_traversal: { name: 'orders_customer_traversal.csv', feed: 'orders', code: 'VP_ERR_FIELD', rule: 'customer-no', line: 3, record: 2, field: 'Kundnr → customer_no', value: '../../etc/passwd', tag: 'CTRAV-' },
  customer_slash: { name: 'orders_customer_slash.csv', feed: 'orders', code: 'VP_ERR_FIELD', rule: 'customer-no', line: 3, record: 2, field: 'Kundnr → customer_no', value: 'a/b', tag: 'CSLASH-' },
  customer_empty: { name: 'orders_customer_empty.csv', feed: 'orders', code: 'VP_ERR_FIELD', rule: 'required', line: 3, record: 2, field: 'Kundnr → customer_no', value: '', tag: 'CEMPTY-' },
  nul: { name: 'orders_nul_byte.csv', feed: 'orders', code: 'VP_ERR_ENCODING', rule: 'no-nul', line: 3, column: 27, value: /^0x00 /, tag: 'NUL-' },
  utf8: { name: 'orders_invalid_utf8.csv', feed: 'orders', code: 'VP_ERR_ENCODING', rule: 'utf-8', line: 3, column: 51, value: /^0xE4 /, tag: 'BADUTF-' },
  empty: { name: 'orders_empty.csv', feed: 'orders', code: 'VP_ERR_RECORD', rule: 'empty-file', line: 1 },
  billion_laughs: { name: 'invoices_billion_laughs.xml', feed: 'xml-invoices', code: 'VP_ERR_XML', rule: 'xml-entity-declaration', line: 3, column: 3, tag: 'LAUGH-' },
  xxe: { name: 'invoices_xxe.xml', feed: 'xml-invoices', code: 'VP_ERR_XML', rule: 'xml-entity-declaration', line: 3, column: 3, tag: 'XXE-' },
  huge_line: { name: 'orders_huge_line.csv', feed: 'orders', code: 'VP_ERR_CSV', rule: 'max-record-size', line: 3, message: /longer than the limit of 1048576 characters/, tag: 'HUGE-' },
  many_columns: { name: 'orders_many_columns.csv', feed: 'orders', code: 'VP_ERR_CSV', rule: 'column-count', line: 3, record: 2, value: /^WIDE-2;C110;.*… \(20045 chars\)$/, message: /expected 10 columns, got 10000/, tag: 'WIDE-' },
  two_customers: { name: 'orders_id_two_customers.csv', feed: 'orders', code: 'VP_ERR_RECORD', rule: 'id-customer-conflict', line: 4, record: 3, field: 'customer_no', value: 'C112', message: /TWIN-1 appears under customer C111 and C112/, tag: 'TWIN-' },
};

/** Documents of the good fixtures. */
const FULL_SNAPSHOT_DOCS: Doc[] = [
  { c: 'C200', list: 'invoices', id: 'FULL-1' },
  { c: 'C200', list: 'invoices', id: 'FULL-2' },
  { c: 'C201', list: 'invoices', id: 'FULL-3' },
];
const ODD_DOCS: Doc[] = [{ c: 'C-ODD', list: 'orders', id: ODD_ID }];

/** A small good order file, its ids unique to it. */
function goodOrders(k: number): { name: string; bytes: Buffer; docs: Doc[] } {
  const n = String(k).padStart(2, '0');
  const docs: Doc[] = [
    { c: 'C1', list: 'orders', id: `GOOD${n}-1` },
    { c: 'C2', list: 'orders', id: `GOOD${n}-2` },
  ];
  const rows = docs.map((d, i) => `${d.id};${d.c};2024-05-${String(k).padStart(2, '0')};Kund ${d.c} AB;Sverige;A${i};Artikel;${i + 1};100,00;25`);
  return { name: `orders_good_${n}.csv`, bytes: Buffer.from(`${[ORDERS_HEADER, ...rows].join('\n')}\n`), docs };
}

/** A small good XML invoice file. */
function goodInvoices(k: number): { name: string; bytes: Buffer; docs: Doc[] } {
  const id = `GOODX${k}-1`;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Fakturor>
  <Faktura nr="${id}">
    <Kundnr>C3</Kundnr>
    <Fakturadatum>2024-06-0${k}</Fakturadatum>
    <Forfallodatum>2024-07-0${k}</Forfallodatum>
    <Status>Obetald</Status>
    <Ordernr>O-${k}</Ordernr>
    <Kund><Namn>Kund C3 &amp; Co</Namn></Kund>
    <Rader><Rad nr="1"><Artikelnr>A1</Artikelnr><Benamning>Artikel</Benamning><Antal>1</Antal><Pris>100.00</Pris><Moms>25</Moms></Rad></Rader>
  </Faktura>
</Fakturor>
`;
  return { name: `invoices_good_${k}.xml`, bytes: Buffer.from(xml), docs: [{ c: 'C3', list: 'invoices', id }] };
}

/** One line of 50 MB (no quotes, valid up to its size), between two good rows. */
function writeHugeLine(file: string): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, `${ORDERS_HEADER}\nHUGE-1;C113;2024-03-01;Kund C113 AB;Sverige;A1;Artikel;1;50,00;25\nHUGE-2;C113;2024-03-02;Kund C113 AB;Sverige;A1;`);
    writeSync(fd, Buffer.alloc(50 * 1024 * 1024, 'x'));
    writeSync(fd, ';1;50,00;25\nHUGE-3;C113;2024-03-03;Kund C113 AB;Sverige;A1;Artikel;1;50,00;25\n');
  } finally {
    closeSync(fd);
  }
}

/** Every file under `root`, as paths relative to it. */
function walk(root: string): string[] {
  if (!existsSync(root)) return [];
  return (readdirSync(root, { recursive: true }) as string[]).map(String).filter((p) => statSync(path.join(root, p)).isFile());
}

/** UTC day folder of the archive, as the daemon names it. */
function dayFolder(d: Date): string {
  return [String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, '0'), String(d.getUTCDate()).padStart(2, '0')].join('/');
}

function readJson(file: string): any {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The fixture config with paths into `dir` (and any feed changes). */
function fixtureConfig(dir: string, feedPatch: Record<string, Record<string, unknown>> = {}): Record<string, unknown> {
  const raw = parse(readFileSync(fixture('vendre-pull.yaml'), 'utf8')) as { feeds: Array<Record<string, unknown>> } & Record<string, unknown>;
  for (const feed of raw.feeds) Object.assign(feed, feedPatch[feed.name as string] ?? {});
  return {
    ...raw,
    state: path.join(dir, 'state.db'),
    target: path.join(dir, 'public'),
    folders: { drop: path.join(dir, 'inbox'), archive: path.join(dir, 'archive'), quarantine: path.join(dir, 'quarantine') },
    inbox: { stableMs: 100, rescanMs: 500 },
  };
}

/** Checks a quarantined file's report against its case. */
function assertReport(dir: string, c: BadCase): void {
  const reportFile = path.join(dir, 'quarantine', `${c.name}.error.json`);
  assert.ok(existsSync(path.join(dir, 'quarantine', c.name)), `${c.name} is in quarantine/`);
  assert.ok(existsSync(reportFile), `${c.name}.error.json is beside it`);
  const report = readJson(reportFile);
  const show = JSON.stringify(report, null, 1);
  assert.equal(report.file, c.name, show);
  assert.equal(report.feed, c.feed, show);
  assert.equal(report.errors.length, 1, `exactly one error for ${c.name}: ${show}`);
  const e = report.errors[0];
  assert.equal(e.code, c.code, show);
  assert.equal(e.rule, c.rule, show);
  assert.equal(e.ref, CATALOGUE[c.rule as Rule].code, show);
  // Readers name the path they were given, mapping and store the file's name: both name the file.
  assert.equal(path.basename(e.file), c.name, show);
  assert.match(e.message, new RegExp(`${c.name.replace(/\./g, '\\.')}${c.line !== undefined ? `:${c.line}\\b` : ''}`), show);
  assert.match(e.message, new RegExp(`\\(rule ${c.rule}\\)$`), show);
  // A file-level rule (the deletion guard) names the file and the counts; it has no line to name.
  if (c.line !== undefined) assert.equal(e.line, c.line, show);
  if (c.record !== undefined) assert.equal(e.record, c.record, show);
  if (c.column !== undefined) assert.equal(e.column, c.column, show);
  if (c.field !== undefined) assert.equal(e.field, c.field, show);
  if (typeof c.value === 'string') assert.equal(e.value, c.value, show);
  else if (c.value) assert.match(e.value, c.value, show);
  if (c.message) assert.match(e.message, c.message, show);
}

test('the daemon quarantines every bad input with a precise report, publishes nothing of it, and keeps processing good files', { timeout: 120_000 }, async () => {
  const dir = tmpDir('vp-bad');
  const inbox = path.join(dir, 'inbox');
  const target = path.join(dir, 'public');
  const staging = path.join(dir, 'staging');
  mkdirSync(inbox, { recursive: true });
  mkdirSync(staging, { recursive: true });
  const cfg = path.join(dir, 'vendre-pull.yaml');
  writeFileSync(cfg, stringify(fixtureConfig(dir)));

  // The drop plan: the good full snapshot first (so the header-only snapshot has something to
  // guard), then every bad file followed by a good one.
  type Drop = { name: string; from: string; expect: 'archive' | 'quarantine'; docs: Doc[]; write?: (file: string) => void };
  const plan: Drop[] = [];
  const good = (g: { name: string; bytes: Buffer; docs: Doc[] }) => {
    const from = path.join(staging, g.name);
    writeFileSync(from, g.bytes);
    plan.push({ name: g.name, from, expect: 'archive', docs: g.docs });
  };
  let k = 0;
  const bad = (c: BadCase) => plan.push({ name: c.name, from: fixture(c.name), expect: 'quarantine', docs: [] });
  plan.push({ name: 'full_snapshot.csv', from: fixture('full_snapshot.csv'), expect: 'archive', docs: FULL_SNAPSHOT_DOCS });
  bad(BAD.header_only!);
  good(goodOrders(++k));
  for (const key of ['unclosed_quote', 'column_count', 'date', 'amount', 'customer_traversal', 'customer_slash', 'customer_empty']) {
    bad(BAD[key]!);
    good(goodOrders(++k));
  }
  plan.push({ name: 'orders_odd_id.csv', from: fixture('orders_odd_id.csv'), expect: 'archive', docs: ODD_DOCS });
  for (const key of ['nul', 'utf8', 'empty']) {
    bad(BAD[key]!);
    good(goodOrders(++k));
  }
  bad(BAD.billion_laughs!);
  good(goodInvoices(1));
  bad(BAD.xxe!);
  good(goodInvoices(2));
  // Generated straight into the drop folder (under its temporary name): 50 MB are not committed.
  plan.push({ name: BAD.huge_line!.name, from: '', expect: 'quarantine', docs: [], write: writeHugeLine });
  good(goodOrders(++k));
  for (const key of ['many_columns', 'two_customers']) {
    bad(BAD[key]!);
    good(goodOrders(++k));
  }
  assert.equal(new Set(plan.map((p) => p.name)).size, plan.length, 'unique names');

  const started = new Date();
  const child = spawn(process.execPath, [...CLI, '--config', cfg, 'run', '--no-serve'], {
    env: { ...process.env, VENDRE_PULL_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (what: () => boolean, label: string, ms: number) => {
    const until = Date.now() + ms;
    while (!what()) {
      if (child.exitCode !== null) assert.fail(`the daemon exited (${child.exitCode}) while waiting for ${label}\n${out}`);
      if (Date.now() > until) assert.fail(`timed out after ${ms} ms waiting for ${label} (folder ${dir})\n--- daemon output ---\n${out.slice(-20_000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const logs = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          return {};
        }
      });

  try {
    await waitFor(() => out.includes('watching drop folder'), 'the daemon to start', 30_000);
    // Drop in plan order with increasing mtimes, each under an ignored dot-name first and renamed
    // into place, so the daemon never sees half a file and takes them in exactly this order.
    const base = Math.floor(Date.now() / 1000) - 3600;
    plan.forEach((p, i) => {
      const tmp = path.join(inbox, `.${p.name}.part`);
      if (p.write) p.write(tmp);
      else copyFileSync(p.from, tmp);
      utimesSync(tmp, base + i, base + i);
      renameSync(tmp, path.join(inbox, p.name));
    });
    const moved = () => logs().filter((l) => l.msg === 'file archived' || l.msg === 'file quarantined').length;
    await waitFor(() => readdirSync(inbox).filter((n) => !n.startsWith('.')).length === 0 && moved() === plan.length, `the inbox to be empty (${plan.length} files)`, 60_000);
    const ended = new Date();

    // Processing order is the drop order, and each file went where it should.
    const entries = logs();
    const done = entries.filter((l) => l.msg === 'file archived' || l.msg === 'file quarantined').map((l) => `${l.file} ${l.msg}`);
    assert.deepEqual(done, plan.map((p) => `${p.name} file ${p.expect === 'archive' ? 'archived' : 'quarantined'}`), out.slice(-20_000));

    // Quarantine: exactly the bad files, each with its report.
    const badNames = plan.filter((p) => p.expect === 'quarantine').map((p) => p.name);
    assert.deepEqual(readdirSync(path.join(dir, 'quarantine')).sort(), badNames.flatMap((n) => [n, `${n}.error.json`]).sort());
    for (const c of Object.values(BAD)) {
      assertReport(dir, c);
      // The quarantined file is the dropped file, byte for byte (by size for the 50 MB one).
      const from = plan.find((p) => p.name === c.name)!.from;
      if (from) assert.deepEqual(readFileSync(path.join(dir, 'quarantine', c.name)), readFileSync(from), c.name);
      else assert.ok(statSync(path.join(dir, 'quarantine', c.name)).size > 50 * 1024 * 1024, c.name);
      // The daemon logged the error at level error, with the file and rule.
      assert.ok(
        entries.some((l) => l.level === 50 && typeof l.file === 'string' && path.basename(l.file) === c.name && l.rule === c.rule),
        `an error log line for ${c.name} with rule ${c.rule}`,
      );
    }

    // Archive: exactly the good files, in today's (UTC) day folder, without skip reports.
    const days = new Set([dayFolder(started), dayFolder(ended)]);
    const archived = walk(path.join(dir, 'archive')).map((p) => p.split(path.sep).join('/'));
    const goodNames = plan.filter((p) => p.expect === 'archive').map((p) => p.name);
    assert.deepEqual(archived.map((p) => path.posix.basename(p)).sort(), [...goodNames].sort(), archived.join('\n'));
    for (const p of archived) assert.ok(days.has(path.posix.dirname(p)), `${p} is in archive/YYYY/MM/DD/ of today`);

    // Published: every document of every good file, under its customer.
    const root = path.join(target, 'v1');
    for (const d of plan.flatMap((p) => p.docs)) {
      const file = path.join(root, documentKey(d.c, d.list, d.id));
      assert.ok(existsSync(file), `${d.list} ${d.id} of ${d.c} is published`);
      const doc = readJson(file);
      assert.equal(doc.id, d.id);
      assert.equal(doc.customer_no, d.c);
    }
    // The header-only snapshot deleted nothing: the snapshot's invoices are all still listed.
    const c200 = readJson(path.join(root, 'customers', 'C200', 'invoices', 'pages', '1.json'));
    assert.deepEqual(c200.items.map((i: { id: string }) => i.id).sort(), ['FULL-1', 'FULL-2']);

    // The odd id: archived, published at its reversible key, and it round-trips.
    const oddKey = documentKey('C-ODD', 'orders', ODD_ID);
    assert.equal(oddKey, 'customers/C-ODD/orders/Best~C3~A4llning~207~20~C3~85~C3~84~C3~96~2F~C3~BC.json');
    assert.deepEqual(parseKey(oddKey), { type: 'document', customerNo: 'C-ODD', list: 'orders', id: ODD_ID });
    const odd = readJson(path.join(root, oddKey));
    assert.equal(odd.id, ODD_ID);
    assert.deepEqual(odd.products.map((p: { model: string }) => p.model), ['A1', 'B2']);
    const oddList = readJson(path.join(root, 'customers', 'C-ODD', 'orders', 'pages', '1.json'));
    assert.deepEqual(oddList.items.map((i: { id: string }) => i.id), [ODD_ID]);

    // Nothing of any bad file is published: no id, no customer, no path outside the layout.
    const published = walk(target);
    const corpus = published.map((p) => `${p}\n${readFileSync(path.join(target, p), 'utf8')}`).join('\n');
    assert.ok(corpus.includes('GOOD01-1') && corpus.includes('GOODX2-1'), 'the corpus check can see ids');
    for (const c of Object.values(BAD)) if (c.tag) assert.ok(!corpus.includes(c.tag), `nothing of ${c.name} (${c.tag}*) is published`);
    assert.ok(!corpus.includes('root:'), 'nothing of /etc/passwd is published');
    assert.ok(!readFileSync(path.join(dir, 'quarantine', `${BAD.xxe!.name}.error.json`), 'utf8').includes('root:'), 'nor reported');
    assert.deepEqual(readdirSync(path.join(root, 'customers')).sort(), ['C-ODD', 'C1', 'C2', 'C200', 'C201', 'C3']);
    for (const p of walk(dir)) assert.ok(!p.split(path.sep).some((s) => s === 'etc' || s === 'passwd' || s === 'a'), `no path from a customer number: ${p}`);
  } finally {
    child.kill('SIGTERM');
  }
  const code = await exited;
  assert.equal(code, 0, `SIGTERM exits 0\n${out.slice(-5000)}`);
  // Passed: do not leave the 50 MB file behind in the temp folder (a failed run keeps it all for a look).
  rmSync(dir, { recursive: true, force: true });
});

/** An app on a fresh temp folder with the fixture feeds (paths into the folder) and feed changes. */
function skipApp(feedPatch: Record<string, Record<string, unknown>>) {
  const dir = tmpDir('vp-skip');
  const app = appIn(dir, stringify(fixtureConfig(dir, feedPatch)));
  const drop = (name: string, from: string | Buffer = fixture(name)) => {
    const file = path.join(dir, 'inbox', name);
    mkdirSync(path.dirname(file), { recursive: true });
    if (typeof from === 'string') copyFileSync(from, file);
    else writeFileSync(file, from);
    return file;
  };
  const published = (d: Doc) => existsSync(app.target.pathOf(documentKey(d.c, d.list, d.id)));
  return { dir, app, drop, published };
}

test('onError: skip-record: the bad value rows are skipped and reported with their lines, the rest is published, NAME.skipped.json is archived beside the file', async () => {
  const { dir, app, drop, published } = skipApp({ orders: { onError: 'skip-record' } });
  try {
    const name = 'orders_skip_two_bad_rows.csv';
    const report = await processFile(app, drop(name), { move: true, publish: true });
    assert.equal(report.outcome, 'ingested', report.errors.map((e) => e.message).join('\n'));
    assert.deepEqual(report.errors, []);
    assert.equal(report.result!.records, 5);
    assert.deepEqual(
      report.result!.skipped.map((e) => ({ file: e.context.file, line: e.context.line, record: e.context.record, rule: e.context.rule, field: e.context.field, value: e.context.value })),
      [
        { file: name, line: 3, record: 2, rule: 'date-invalid', field: 'Datum → date', value: '2024-02-30' },
        { file: name, line: 5, record: 4, rule: 'number-format', field: 'Pris → line.price', value: '12,3,4' },
      ],
    );
    for (const id of ['SKIP-1', 'SKIP-3']) assert.ok(published({ c: 'C300', list: 'orders', id }), id);
    assert.ok(published({ c: 'C301', list: 'orders', id: 'SKIP-5' }));
    assert.ok(!published({ c: 'C300', list: 'orders', id: 'SKIP-2' }));
    assert.ok(!published({ c: 'C301', list: 'orders', id: 'SKIP-4' }));
    const list = JSON.parse(readFileSync(app.target.pathOf('customers/C301/orders/pages/1.json'), 'utf8'));
    assert.deepEqual(list.items.map((i: { id: string }) => i.id), ['SKIP-5']);

    // Archived (not quarantined), with the skip report beside it.
    assert.ok(report.movedTo, 'moved');
    assert.equal(path.relative(path.join(dir, 'archive'), report.movedTo!), path.join(dayFolder(new Date()), name));
    assert.ok(!existsSync(path.join(dir, 'inbox', name)));
    const skipped = readJson(`${report.movedTo}.skipped.json`);
    assert.equal(skipped.file, name);
    assert.equal(skipped.feed, 'orders');
    assert.deepEqual(skipped.skipped.map((e: { line: number; rule: string; code: string }) => [e.line, e.rule, e.code]), [
      [3, 'date-invalid', 'VP_ERR_FIELD'],
      [5, 'number-format', 'VP_ERR_FIELD'],
    ]);
    assert.ok(!existsSync(path.join(dir, 'quarantine', name)));
  } finally {
    app.close();
  }
});

test('onError: skip-record skips a row with the wrong column count (also 10,000 columns), but damage to the file itself still rejects it whole', async () => {
  const { dir, app, drop, published } = skipApp({ orders: { onError: 'skip-record' } });
  try {
    for (const [c, skippedId, keptIds, customer] of [
      [BAD.column_count!, 'COLS-2', ['COLS-1', 'COLS-3'], 'C102'],
      [BAD.many_columns!, 'WIDE-2', ['WIDE-1', 'WIDE-3'], 'C110'],
    ] as const) {
      const r = await processFile(app, drop(c.name), { move: true, publish: true });
      assert.equal(r.outcome, 'ingested', `${c.name}: ${r.errors.map((e) => e.message).join('\n')}`);
      assert.deepEqual(r.result!.skipped.map((e) => [e.context.line, e.context.record, e.context.rule]), [[3, 2, 'column-count']]);
      for (const id of keptIds) assert.ok(published({ c: customer, list: 'orders', id }), id);
      assert.ok(!published({ c: customer, list: 'orders', id: skippedId }));
      assert.ok(existsSync(`${r.movedTo}.skipped.json`));
    }
    for (const c of [BAD.unclosed_quote!, BAD.nul!, BAD.utf8!, BAD.empty!]) {
      const r = await processFile(app, drop(c.name), { move: true, publish: true });
      assert.equal(r.outcome, 'rejected', c.name);
      assertReport(dir, c);
      const tag = c.tag;
      if (tag) assert.ok(!walk(app.target.root).some((p) => readFileSync(path.join(app.target.root, p), 'utf8').includes(tag)), `nothing of ${c.name} is published`);
    }
  } finally {
    app.close();
  }
});

test('onError: skip-record in full mode: a document whose row is skipped for its column count is still present, not deleted as absent', async () => {
  const { app, drop, published } = skipApp({ 'full-invoices': { onError: 'skip-record' } });
  const header = 'Fakturanr;Kundnr;Fakturadatum;Forfallodatum;Status;Ordernr;Kundnamn;Artikel;Benämning;Antal;Pris;Moms';
  const row = (n: number, extra = '') => `SNAP-${n};C400;2024-01-${String(n).padStart(2, '0')};2024-02-28;Obetald;O-${n};Kund C400 AB${extra};A1;Artikel;1;100,00;25`;
  const ids = Array.from({ length: 10 }, (_, i) => i + 1);
  try {
    const first = await processFile(app, drop('full_snap_1.csv', Buffer.from(`${[header, ...ids.map((n) => row(n))].join('\n')}\n`)), { move: true, publish: true });
    assert.equal(first.outcome, 'ingested');
    // The same snapshot again, row 4 broken by a stray delimiter: SNAP-4 is skipped, not absent.
    const second = await processFile(app, drop('full_snap_2.csv', Buffer.from(`${[header, ...ids.map((n) => row(n, n === 4 ? '; Filial' : ''))].join('\n')}\n`)), { move: true, publish: true });
    assert.equal(second.outcome, 'ingested', second.errors.map((e) => e.message).join('\n'));
    assert.deepEqual(second.result!.skipped.map((e) => [e.context.line, e.context.rule]), [[5, 'column-count']]);
    assert.equal(second.result!.deleted, 0, 'a skipped document is present in the snapshot; it must not be deleted');
    assert.ok(published({ c: 'C400', list: 'invoices', id: 'SNAP-4' }), 'SNAP-4 is still published');
  } finally {
    app.close();
  }
});
