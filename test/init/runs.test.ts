import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import picomatch from 'picomatch';
import { parse } from 'yaml';
import { inspectSample } from '../../src/cli/init.ts';
import { parseConfig } from '../../src/config/load.ts';
import { runIdOf, runKeyFor } from '../../src/init/runs.ts';
import { cli, daemon, filesUnder } from '../faults/daemon.ts';
import { tmpDir, writeBytes } from '../helpers.ts';

/**
 * `init` on the files of several tables of one export run (issue 13, items 8 and 10): a feed per
 * table and a `runs` entry for the tables one run writes together. The fixtures are written here in
 * the shapes real ERPs write: Business Central's Sales Header, Sales Line, Sales Shipment Header and
 * Sales Invoice Header/Line named `{table}_{runid}_{FULL|DELTA}.csv` (UTF-8 with a BOM, ","), and a
 * Swedish ordrar/orderrader/leveranser set named by date (Windows-1252, ";", decimal commas). Each
 * proposal is pasted unedited into a config and its run given to `ingest` or the daemon.
 */

type Run = { name: string; feeds: string[]; optional?: string[]; key: string; waitMs?: number };
type Doc = { feeds: Array<{ name: string; kind: string; pattern: string }>; runs?: Run[] };

const crlf = (rows: string[]) => `${rows.join('\r\n')}\r\n`;
const bom = (rows: string[]) => `\uFEFF${crlf(rows)}`;

const BC = {
  header: [
    'Document Type,No.,Sell-to Customer No.,Sell-to Customer Name,Ship-to Name,Ship-to City,Order Date,Currency Code,Status,Amount,Amount Including VAT',
    'Order,S-ORD200001,C10001,Lunds Bageri AB,Lunds Bageri Centrum,Lund,2025-12-01,,Released,"1,000",1250',
    'Order,S-ORD200002,C10002,Malmö Kafé HB,Malmö Kafé HB,Malmö,2025-12-01,,Open,200,250',
  ],
  headerDelta: [
    'Document Type,No.,Sell-to Customer No.,Sell-to Customer Name,Ship-to Name,Ship-to City,Order Date,Currency Code,Status,Amount,Amount Including VAT',
    'Order,S-ORD200003,C10001,Lunds Bageri AB,Lunds Bageri AB,Lund,2025-12-02,,Open,100,125',
  ],
  lines: [
    'Document Type,Document No.,Line No.,Type,No.,Description,Quantity,Unit Price,Line Discount %,Line Amount,VAT %,Quantity Shipped,Outstanding Quantity',
    'Order,S-ORD200001,10000,Item,MJL-25,Vetemjöl 25 kg,3,250,0,750,25,3,0',
    'Order,S-ORD200001,20000,Item,JST-1,Jäst 1 kg,5,50,0,250,25,5,0',
    'Order,S-ORD200002,10000,Item,KAF-1,Kaffe 1 kg,2,100,0,200,25,0,2',
  ],
  shipments: [
    'No.,Order No.,Sell-to Customer No.,Posting Date,Shipping Agent Code,Package Tracking No.',
    'S-SHPT300001,S-ORD200001,C10001,2025-12-02,POSTNORD,00373500990000000017',
  ],
  invoices: [
    'No.,Order No.,Sell-to Customer No.,Sell-to Customer Name,Posting Date,Due Date,Currency Code,Amount,Amount Including VAT,Remaining Amount,Closed',
    'PS-INV400001,S-ORD199001,C10001,Lunds Bageri AB,2025-12-01,2025-12-31,,80,100,100,No',
  ],
  invoiceLines: [
    'Document No.,Line No.,Type,No.,Description,Quantity,Unit Price,Line Discount %,Line Amount,VAT %,Order No.',
    'PS-INV400001,10000,Item,TE-1,Te 1 kg,1,80,0,80,25,S-ORD199001',
  ],
  deletions: ['Table,Document Type,No.', 'Sales Header,Quote,S-QUO000017'],
};

/** A config of the run's folders with the proposal pasted under it, unedited. */
function configWith(dir: string, proposal: string): string {
  return writeBytes(
    dir,
    'vendre-pull.yaml',
    `state: ${dir}/state.db
target: ${dir}/public
folders: { drop: ${dir}/inbox, archive: ${dir}/archive, quarantine: ${dir}/quarantine }
inbox: { stableMs: 150, rescanMs: 300, shutdownMs: 2000 }
admin: { port: 0 }
${proposal}`,
  );
}

/** The `written` figures of the "published" log lines (one per run or lone file published). */
const publishedWrites = (out: string) => out.split('\n').filter((l) => l.includes('"msg":"published"')).map((l) => (JSON.parse(l) as { written: number }).written);
const objects = (root: string) => (existsSync(root) ? filesUnder(root).filter((f) => f.endsWith('.json')) : []);
const json = (root: string, key: string) => JSON.parse(readFileSync(path.join(root, key), 'utf8')) as Record<string, any>;

test('run ids and keys from file names: a date or a run id after the table, FULL/DELTA after it as *; no key when the names have no one shape', () => {
  assert.deepEqual(runIdOf('SalesHeader_R0042_FULL.csv'), { id: 'R0042', before: 'SalesHeader_', after: '_FULL', ext: '.csv' });
  assert.deepEqual(runIdOf('ordrar_2025-11-30.csv'), { id: '2025-11-30', before: 'ordrar_', after: '', ext: '.csv' });
  assert.equal(runIdOf('Sales_Header_20251130.csv')?.id, '20251130');
  assert.equal(runIdOf('ordrar.csv'), undefined);
  assert.equal(runIdOf('ordrar20251130.csv'), undefined, 'nothing separates the id from the table name');
  assert.equal(runKeyFor(['SalesHeader_R0042_FULL.csv', 'SalesHeader_R0043_DELTA.csv', 'SalesLine_R0042_FULL.csv']), '*_{run}_*.csv');
  assert.equal(runKeyFor(['ordrar_20251130.csv', 'orderrader_20251130.csv', 'Sales_Header_20251130.csv']), '*_{run}.csv');
  assert.equal(runKeyFor(['ordrar-20251130.csv', 'orderrader_20251130.csv']), undefined, 'two separators');
  // `*` before {run} is greedy: in `*_{run}.csv` a date with a time would give the time alone.
  assert.equal(runKeyFor(['ordrar_20251130_1200.csv', 'orderrader_20251130_1200.csv']), undefined);
});

test('init on a Business Central run (orders, lines, shipments, invoices, invoice lines, deletions): a feed per table, an orders run and an invoices run; unedited, `ingest` of the run publishes each run once, orders with their products', () => {
  const dir = tmpDir('vp-init-runs-bc');
  const src = path.join(dir, 'exports');
  const files = {
    header: writeBytes(src, 'SalesHeader_R0042_FULL.csv', bom(BC.header)),
    headerDelta: writeBytes(src, 'SalesHeader_R0043_DELTA.csv', bom(BC.headerDelta)),
    lines: writeBytes(src, 'SalesLine_R0042_FULL.csv', bom(BC.lines)),
    shipments: writeBytes(src, 'SalesShipmentHeader_R0042_FULL.csv', bom(BC.shipments)),
    invoices: writeBytes(src, 'SalesInvoiceHeader_R0042_FULL.csv', bom(BC.invoices)),
    invoiceLines: writeBytes(src, 'SalesInvoiceLine_R0042_FULL.csv', bom(BC.invoiceLines)),
    deletions: writeBytes(src, 'TableDeletions_R0042_FULL.csv', bom(BC.deletions)),
  };
  // As on the command line: `vendre-pull init FILE FILE …`, exit 0.
  const r = cli(configWith(dir, ''), ['init', ...Object.values(files)]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const yaml = r.stdout;
  const doc = parse(yaml) as Doc;
  assert.deepEqual(doc.feeds.map((f) => [f.name, f.kind, f.pattern]), [
    ['salesheader', 'orders', 'SalesHeader_*.csv'],
    ['salesline', 'order_lines', 'SalesLine_*.csv'],
    ['salesshipmentheader', 'packages', 'SalesShipmentHeader_*.csv'],
    ['salesinvoiceheader', 'invoices', 'SalesInvoiceHeader_*.csv'],
    ['salesinvoiceline', 'invoice_lines', 'SalesInvoiceLine_*.csv'],
    ['tabledeletions', 'deletions', 'TableDeletions_*.csv'],
  ]);
  assert.deepEqual(doc.runs, [
    { name: 'orders', feeds: ['salesheader', 'salesline'], optional: ['salesshipmentheader'], key: '*_{run}_*.csv', waitMs: 600000 },
    { name: 'invoices', feeds: ['salesinvoiceheader', 'salesinvoiceline'], key: '*_{run}_*.csv', waitMs: 600000 },
  ]);
  // Every value of the runs is a guess with its reason; the deletions feed is said to be in none.
  const runLines = yaml.slice(yaml.indexOf('\nruns:\n') + 7).split('\n').filter(Boolean);
  assert.equal(runLines.length, 9);
  for (const line of runLines) assert.match(line, /^ {2}(- | {2})(name|feeds|optional|key|waitMs): .+ {2}# guess: \S/, line);
  assert.match(yaml, /key: "\*_\{run\}_\*\.csv" {2}# guess: \{run\} is the run id in the file names.*SalesHeader_R0042_FULL\.csv is run R0042/);
  assert.match(yaml, /waitMs: 600000 {2}# guess: the default \(10 minutes\)/);
  assert.match(yaml, /# NOTE: tabledeletions \(deletions\) is in no run/);
  assert.equal((yaml.match(/# CHECK: all \d+ sampled records map without an error/g) ?? []).length, 6);
  const cfg = configWith(dir, yaml);
  assert.equal(parseConfig(readFileSync(cfg, 'utf8'), cfg).runs.length, 2, 'the printed YAML loads as a config');

  // The run's files, the proposal unedited: each run applied in one transaction, published once.
  const root = path.join(dir, 'public', 'v1');
  const run = [files.header, files.lines, files.shipments, files.invoices, files.invoiceLines];
  const i = cli(cfg, ['ingest', '--no-progress', ...run], { env: { VENDRE_PULL_LOG_LEVEL: 'info' } });
  const logs = i.stdout + i.stderr;
  assert.equal(i.status, 0, logs);
  assert.equal(logs.split('\n').filter((l) => l.includes('applied in one transaction')).length, 2, logs);
  // One publish per run (a customer's pages shared by both runs are written by each).
  assert.equal(publishedWrites(logs).length, 2, logs);
  const order = json(root, 'customers/C10001/orders/S-ORD200001.json');
  assert.deepEqual(order.products.map((p: any) => [p.model, p.quantity]), [['MJL-25', '3'], ['JST-1', '5']]);
  assert.deepEqual(order.packages.map((p: any) => p.tracing_id), ['00373500990000000017']);
  assert.equal(order.total_amount, '1250.00');
  assert.equal(json(root, 'customers/C10002/orders/S-ORD200002.json').products.length, 1);
  assert.deepEqual(json(root, 'customers/C10001/invoices/PS-INV400001.json').products.map((p: any) => p.model), ['TE-1']);

  // The same feeds without the proposed runs: each file is published alone, the header before its lines.
  const plain = tmpDir('vp-init-runs-bc-plain');
  const p = cli(configWith(plain, yaml.slice(0, yaml.indexOf('\nruns:\n') + 1)), ['ingest', '--no-progress', ...run], { env: { VENDRE_PULL_LOG_LEVEL: 'info' } });
  assert.equal(p.status, 0, p.stderr + p.stdout);
  assert.equal(publishedWrites(p.stdout + p.stderr).length, run.length);

  // The key takes the DELTA names too: a DELTA header without its lines is an incomplete run (the
  // shipments are optional: not waited for).
  const alone = cli(cfg, ['ingest', '--no-progress', files.headerDelta]);
  assert.equal(alone.status, 1, alone.stderr + alone.stdout);
  assert.match(alone.stdout, /run orders R0043 is incomplete: no file of feed salesline \(/);
  assert.equal(existsSync(path.join(root, 'customers/C10001/orders/S-ORD200003.json')), false);
});

/** Swedish ERP exports: Windows-1252, ";", decimal commas, the date of the run in every name. */
const SV = {
  orders: ['Ordernr;Kundnr;Kundnamn;Orderdatum;Er referens;Valuta;Frakt;Ordersumma', '20451;1007;Konditori Älven AB;2025-11-30;Åsa Berg;SEK;49,00;329,00', '20452;1012;Café Norrsken;2025-11-30;Per Ek;SEK;0,00;612,50'],
  lines: ['Ordernr;Radnr;Artikelnr;Benämning;Antal;À-pris;Radbelopp;Moms %', '20451;1;KAF-500;Kaffe mellanrost 500 g;2;100,00;200,00;12', '20451;2;SOC-1;Strösocker 1 kg;1;50,00;50,00;12', '20452;1;MUG-01;Mugg stengods;5;98,00;490,00;25'],
  shipments: ['Ordernr;Leveransnr;Transportör;Kollinr', '20451;L-9001;PostNord;00373500473188627022', '20452;L-9002;DHL;'],
};
const cp1252 = (rows: string[]) => iconv.encode(crlf(rows), 'windows-1252');

test('init on a Swedish ordrar/orderrader/leveranser set of one date: an orders run keyed by the date; unedited, the daemon publishes the run once, orders with their products and packages', async () => {
  const dir = tmpDir('vp-init-runs-sv');
  const src = path.join(dir, 'exports');
  const names = ['ordrar_20251130.csv', 'orderrader_20251130.csv', 'leveranser_20251130.csv'];
  const contents = [cp1252(SV.orders), cp1252(SV.lines), cp1252(SV.shipments)];
  names.forEach((n, i) => writeBytes(src, n, contents[i]!));
  const r = await inspectSample(names.map((n) => path.join(src, n)));
  assert.deepEqual(r.check.errors, [], r.yaml);
  const doc = parse(r.yaml) as Doc;
  assert.deepEqual(doc.feeds.map((f) => [f.name, f.kind]), [['ordrar', 'orders'], ['orderrader', 'order_lines'], ['leveranser', 'packages']]);
  assert.deepEqual(doc.runs, [{ name: 'orders', feeds: ['ordrar', 'orderrader'], optional: ['leveranser'], key: '*_{run}.csv', waitMs: 600000 }]);

  // The ERP writes the run into the drop folder, the line file last (after the others are complete).
  const cfg = configWith(dir, r.yaml);
  const inbox = path.join(dir, 'inbox');
  const drop = (i: number) => {
    writeBytes(inbox, `.${names[i]}.tmp`, contents[i]!);
    renameSync(path.join(inbox, `.${names[i]}.tmp`), path.join(inbox, names[i]!));
  };
  const d = daemon(cfg);
  try {
    drop(0);
    drop(2);
    await d.waitFor(() => d.out().includes('run waits for its other files'), 'the run waiting for its line file');
    drop(1);
    await d.waitFor(() => d.out().split('\n').filter((l) => l.includes('"file archived"')).length >= 3, '3 files archived');
  } finally {
    assert.equal(await d.stop(), 0, d.out());
  }
  const root = path.join(dir, 'public', 'v1');
  const writes = publishedWrites(d.out());
  assert.equal(writes.length, 1, d.out());
  assert.equal(writes[0], objects(root).length);
  const order = json(root, 'customers/1007/orders/20451.json');
  assert.deepEqual(order.products.map((p: any) => [p.model, p.quantity]), [['KAF-500', '2'], ['SOC-1', '1']]);
  assert.deepEqual(order.packages.map((p: any) => p.tracing_id), ['00373500473188627022']);
  assert.equal(json(root, 'customers/1012/orders/20452.json').products.length, 1);
  assert.deepEqual(filesUnder(path.join(dir, 'archive')).map((f) => path.basename(f)).sort(), [...names].sort());
});

test('init on tables without a common run id proposes no run (a NOTE says so); a table without a file of the run is left out of it; one table: no runs at all', async () => {
  const dir = tmpDir('vp-init-runs-none');
  const header = writeBytes(dir, 'SalesHeader_R0042_FULL.csv', bom(BC.header));
  const lines = writeBytes(dir, 'SalesLine_R0043_DELTA.csv', bom(BC.lines));
  const none = await inspectSample([header, lines]);
  assert.deepEqual(none.check.errors, [], none.yaml);
  const doc = parse(none.yaml) as Doc;
  assert.equal(doc.feeds.length, 2);
  assert.equal(doc.runs, undefined, none.yaml);
  assert.match(none.yaml, /# NOTE: the files of salesheader, salesline carry no common run id in their names: no run proposed/);

  const linesOfRun = writeBytes(dir, 'SalesLine_R0042_FULL.csv', bom(BC.lines));
  const shipments = writeBytes(dir, 'SalesShipmentHeader_R0043_DELTA.csv', bom(BC.shipments));
  const part = await inspectSample([header, linesOfRun, shipments]);
  assert.deepEqual((parse(part.yaml) as Doc).runs, [{ name: 'orders', feeds: ['salesheader', 'salesline'], key: '*_{run}_*.csv', waitMs: 600000 }]);
  assert.match(part.yaml, /# NOTE: salesshipmentheader has no file of run R0042 among the samples: left out of run orders/);

  // The files of one table (FULL and DELTA): one feed as before, no runs.
  const delta = writeBytes(dir, 'SalesHeader_R0043_DELTA.csv', bom(BC.headerDelta));
  const one = await inspectSample([header, delta]);
  assert.match(one.yaml, /^# vendre-pull init: a feed proposed from SalesHeader_R0042_FULL\.csv and 1 more file/);
  assert.equal((parse(one.yaml) as Record<string, unknown>).runs, undefined);
  assert.doesNotMatch(one.yaml, /runs|export run/);
});

test('init on the bundled Business Central exports proposes the runs the hand-written sample config has', async () => {
  const dir = path.resolve('samples/exports');
  // The order, invoice and credit memo tables with their shipments and deletions (SalesPrice_ is a price list: issue 17).
  const names = readdirSync(dir).filter((n) => /^(Sales|TableDeletions).*\.csv$/.test(n) && !n.startsWith('SalesPrice_')).sort();
  assert.ok(names.length >= 8, names.join(', '));
  const r = await inspectSample(names.map((n) => path.join(dir, n)));
  assert.deepEqual(r.check.errors, [], r.yaml);
  const proposed = parse(r.yaml) as Doc;
  const sample = parse(readFileSync('samples/vendre-pull.yaml', 'utf8')) as Doc;
  // Feeds by the files they take (the proposal names its feeds after the tables, the sample config otherwise).
  const by = (doc: Doc) => (doc.runs ?? []).map((run) => ({ key: run.key, feeds: run.feeds.length, optional: run.optional?.length ?? 0, files: names.filter((n) => [...run.feeds, ...(run.optional ?? [])].some((f) => picomatch(doc.feeds.find((x) => x.name === f)!.pattern, { nocase: true })(n))) }));
  assert.deepEqual(by(proposed), by(sample));
  assert.equal(proposed.runs!.length, 3);
});
