import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { ConfigError } from '../../src/errors.ts';
import { groupByRun, runFor, runKeyToRegExp } from '../../src/inbox/runs.ts';
import { cli, daemon, filesUnder, type Daemon } from '../faults/daemon.ts';
import { configIn, tmpDir, writeBytes } from '../helpers.ts';

/**
 * One export run is one unit (issue 13, item 8): a header file, its line file and its shipments,
 * written by the ERP as `{table}_{run}.csv`, are applied in one transaction and published once, by the
 * real daemon (and `ingest`, `replay`) on real folders and a real SQLite state.
 */
function setup(tag: string, waitMs: number, runs = true) {
  const dir = tmpDir(`vp-runs-${tag}`);
  const cfg = writeBytes(
    dir,
    'vendre-pull.yaml',
    `state: ${dir}/state.db
target: ${dir}/public
folders: { drop: ${dir}/inbox, archive: ${dir}/archive, quarantine: ${dir}/quarantine }
inbox: { stableMs: 150, rescanMs: 300, shutdownMs: 2000 }
admin: { port: 0 }
feeds:
  - name: heads
    pattern: "Head_*.csv"
    kind: orders
    format: csv
    delimiter: ";"
    numberFormat: dot
    map: { id: No, customer_no: Customer, date: Date, customer.company: Name }
  - name: lines
    pattern: "Line_*.csv"
    kind: order_lines
    format: csv
    delimiter: ";"
    numberFormat: dot
    map: { id: Doc, line.no: LineNo, line.model: Item, line.quantity: Qty, line.price: Price, line.vat_rate: Vat }
  - name: ships
    pattern: "Ship_*.csv"
    kind: packages
    format: csv
    delimiter: ";"
    map: { id: No, order_no: Order, tracking_id: Tracking, carrier: Carrier }
  - name: flat
    pattern: "flat_*.csv"
    kind: orders
    format: csv
    delimiter: ";"
    numberFormat: dot
    map: { id: No, customer_no: Customer, date: Date, line.model: Item, line.quantity: Qty, line.price: Price, line.vat_rate: Vat }
${runs ? `runs:\n  - name: erp\n    feeds: [heads, lines, ships]\n    key: "*_{run}.csv"\n    waitMs: ${waitMs}\n` : ''}`,
  );
  const inbox = path.join(dir, 'inbox');
  const target = path.join(dir, 'public', 'v1');
  /** Written under a dot name and renamed into place, as a careful ERP job delivers. */
  const drop = (name: string, content: string) => {
    writeBytes(inbox, `.${name}.tmp`, content);
    renameSync(path.join(inbox, `.${name}.tmp`), path.join(inbox, name));
  };
  const read = (key: string) => JSON.parse(readFileSync(path.join(target, key), 'utf8')) as Record<string, any>;
  const has = (key: string) => existsSync(path.join(target, key));
  const quarantined = () => (existsSync(path.join(dir, 'quarantine')) ? readdirSync(path.join(dir, 'quarantine')).sort() : []);
  const report = (name: string) => JSON.parse(readFileSync(path.join(dir, 'quarantine', `${name}.error.json`), 'utf8')) as { run: string; run_id: string; run_files: string[]; errors: Array<{ ref: string; rule: string; message: string }> };
  return { dir, cfg, inbox, target, drop, read, has, quarantined, report };
}

const head = (rows: string[][]) => `No;Customer;Date;Name\n${rows.map((r) => r.join(';')).join('\n')}\n`;
const lines = (rows: string[][]) => `Doc;LineNo;Item;Qty;Price;Vat\n${rows.map((r) => r.join(';')).join('\n')}\n`;
const ships = (rows: string[][]) => `No;Order;Tracking;Carrier\n${rows.map((r) => r.join(';')).join('\n')}\n`;

const RUN1 = {
  head: head([['O1', 'C1', '2025-11-30', 'Acme AB'], ['O2', 'C1', '2025-11-30', 'Acme AB']]),
  lines: lines([['O1', '10000', 'A-1', '2', '100', '25'], ['O1', '20000', 'A-2', '1', '50', '25'], ['O2', '10000', 'B-1', '3', '10', '25']]),
  ships: ships([['SH1', 'O1', '00370712345', 'PostNord']]),
};
const RUN2 = {
  head: head([['O3', 'C2', '2025-12-01', 'Beta AB']]),
  lines: lines([['O3', '10000', 'C-1', '1', '80', '25']]),
  ships: ships([['SH2', 'O3', '', 'DHL']]),
};

/** The `written` figures of the daemon's "published" log lines (one per run or file published). */
function publishedWrites(out: string): number[] {
  return out
    .split('\n')
    .filter((l) => l.includes('"msg":"published"'))
    .map((l) => (JSON.parse(l) as { written: number }).written);
}

const objects = (target: string) => filesUnder(target).filter((f) => f.endsWith('.json'));

async function settle(d: Daemon, archivedFiles: number): Promise<void> {
  await d.waitFor(() => d.out().split('\n').filter((l) => l.includes('"file archived"')).length >= archivedFiles, `${archivedFiles} files archived`);
}

test('a header + lines + shipments run is published once, with its products; list pages are written once per run (without runs: more writes, orders without products first)', async () => {
  const t = setup('once', 60_000);
  t.drop('Head_20251130.csv', RUN1.head);
  t.drop('Line_20251130.csv', RUN1.lines);
  t.drop('Ship_20251130.csv', RUN1.ships);
  t.drop('Head_20251201.csv', RUN2.head);
  t.drop('Line_20251201.csv', RUN2.lines);
  t.drop('Ship_20251201.csv', RUN2.ships);
  const d = daemon(t.cfg);
  try {
    await settle(d, 6);
  } finally {
    assert.equal(await d.stop(), 0, d.out());
  }
  const o1 = t.read('customers/C1/orders/O1.json');
  assert.deepEqual(o1.products.map((p: any) => [p.model, p.quantity]), [['A-1', '2'], ['A-2', '1']]);
  assert.deepEqual(o1.packages.map((p: any) => p.tracing_id), ['00370712345']);
  assert.equal(t.read('customers/C2/orders/O3.json').products.length, 1);
  // Two runs, two publishes; each object written once: the sum of writes is what the target holds.
  const writes = publishedWrites(d.out());
  assert.equal(writes.length, 2, d.out());
  const held = objects(t.target).length;
  assert.equal(writes.reduce((a, b) => a + b, 0), held, `${writes.join('+')} writes for ${held} objects`);
  assert.equal(d.out().split('\n').filter((l) => l.includes('applied in one transaction')).length, 2);
  assert.deepEqual(t.quarantined(), []);
  const archived = filesUnder(path.join(t.dir, 'archive')).map((f) => path.basename(f)).sort();
  assert.deepEqual(archived, ['Head_20251130.csv', 'Head_20251201.csv', 'Line_20251130.csv', 'Line_20251201.csv', 'Ship_20251130.csv', 'Ship_20251201.csv']);

  // The same files without `runs`, one by one as before: the header files publish their orders
  // without products and the line files write documents and list pages again.
  const u = setup('once-without', 0, false);
  for (const [name, content] of [['Head_20251130.csv', RUN1.head], ['Line_20251130.csv', RUN1.lines], ['Ship_20251130.csv', RUN1.ships]] as const) u.drop(name, content);
  const e = daemon(u.cfg);
  try {
    await settle(e, 3);
  } finally {
    assert.equal(await e.stop(), 0, e.out());
  }
  const single = publishedWrites(e.out());
  assert.equal(single.length, 3);
  assert.ok(single.reduce((a, b) => a + b, 0) > objects(u.target).length, `without runs: ${single.join('+')} writes for ${objects(u.target).length} objects`);
});

test('a run waits for its late line file: nothing of it is published meanwhile, then all of it at once', async () => {
  const t = setup('late', 60_000);
  const d = daemon(t.cfg);
  try {
    t.drop('Head_20251130.csv', RUN1.head);
    t.drop('Ship_20251130.csv', RUN1.ships);
    // A file outside any run is not held up by the waiting run.
    t.drop('flat_1.csv', 'No;Customer;Date;Item;Qty;Price;Vat\nF1;C9;2025-11-29;X;1;10;25\n');
    await d.waitFor(() => d.out().includes('run waits for its other files'), 'the run to wait');
    await settle(d, 1);
    assert.ok(t.has('customers/C9/orders/F1.json'), 'the flat file is published on its own');
    const waiting = d.out().split('\n').find((l) => l.includes('run waits for its other files'))!;
    assert.deepEqual(JSON.parse(waiting).missing, ['lines']);
    // The header waits in the drop folder: no order of the run is published without its lines.
    assert.equal(t.has('customers/C1/orders/O1.json'), false);
    assert.equal(t.has('customers/C1/orders/pages/1.json'), false);
    assert.ok(existsSync(path.join(t.inbox, 'Head_20251130.csv')));
    t.drop('Line_20251130.csv', RUN1.lines);
    await settle(d, 4);
  } finally {
    assert.equal(await d.stop(), 0, d.out());
  }
  assert.deepEqual(t.read('customers/C1/orders/O1.json').products.map((p: any) => p.model), ['A-1', 'A-2']);
  assert.deepEqual(t.read('customers/C1/orders/pages/1.json').items.map((i: any) => i.id).sort(), ['O1', 'O2']);
  assert.deepEqual(t.quarantined(), []);
  // replay agrees with what the daemon published: the archive's runs applied again write nothing new.
  const r = cli(t.cfg, ['replay', '--fresh', '--no-progress']);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /0 objects written, 0 deleted/);
});

test('optional members: shipments that come with their run join it (one publish); a shipments file sent again alone is applied at once, not held as an incomplete run', async () => {
  const t = setup('optional', 60_000);
  // The run waits for headers and lines only; shipments join it when they are there.
  const raw = parse(readFileSync(t.cfg, 'utf8')) as { runs: Array<Record<string, unknown>> };
  raw.runs[0] = { ...raw.runs[0], feeds: ['heads', 'lines'], optional: ['ships'] };
  writeFileSync(t.cfg, stringify(raw));
  t.drop('Head_20251130.csv', RUN1.head);
  t.drop('Line_20251130.csv', RUN1.lines);
  t.drop('Ship_20251130.csv', RUN2.ships.replace('SH2;O3', 'SH1;O1'));
  const d = daemon(t.cfg);
  try {
    await settle(d, 3);
    assert.equal(publishedWrites(d.out()).length, 1, 'the run with its shipments: one publish');
    assert.deepEqual(t.read('customers/C1/orders/O1.json').packages, []);
    // Days later the ERP sends the shipment again, its tracking number filled in, alone.
    t.drop('Ship_20251203.csv', RUN1.ships);
    await settle(d, 4);
  } finally {
    assert.equal(await d.stop(), 0, d.out());
  }
  assert.doesNotMatch(d.out(), /run waits for its other files/);
  assert.deepEqual(t.read('customers/C1/orders/O1.json').packages.map((p: any) => p.tracing_id), ['00370712345']);
  assert.deepEqual(t.quarantined(), []);
  // ingest and replay group the same way: a lone shipments file is no run.
  assert.equal(groupByRun(['Ship_20251204.csv'], (n) => n, { feeds: (parse(readFileSync(t.cfg, 'utf8')) as any).feeds, runs: [{ name: 'erp', feeds: ['heads', 'lines'], optional: ['ships'], key: '*_{run}.csv', waitMs: 1 }] } as any)[0]!.run, undefined);
  const alone = cli(t.cfg, ['ingest', '--no-progress', writeBytes(t.dir, 'Ship_20251205.csv', ships([['SH9', 'O2', '00370799999', 'DHL']]))]);
  assert.equal(alone.status, 0, alone.stdout + alone.stderr);
  assert.deepEqual(t.read('customers/C1/orders/O2.json').packages.map((p: any) => p.tracing_id), ['00370799999']);
});

test('a run whose line file never comes is reported after its wait: its files quarantined with the reason, nothing published', async () => {
  const t = setup('never', 400);
  const d = daemon(t.cfg);
  try {
    t.drop('Head_20251130.csv', RUN1.head);
    t.drop('Ship_20251130.csv', RUN1.ships);
    await d.waitFor(() => t.quarantined().length === 4, 'the run in quarantine');
    await d.waitFor(() => d.out().split('\n').filter((l) => l.includes('"file quarantined"')).length === 2, 'both quarantine log lines');
  } finally {
    assert.equal(await d.stop(), 0, d.out());
  }
  assert.deepEqual(t.quarantined(), ['Head_20251130.csv', 'Head_20251130.csv.error.json', 'Ship_20251130.csv', 'Ship_20251130.csv.error.json']);
  for (const name of ['Head_20251130.csv', 'Ship_20251130.csv']) {
    const rep = t.report(name);
    assert.equal(rep.errors[0]!.ref, 'VP_E_RUN_INCOMPLETE');
    assert.match(rep.errors[0]!.message, /no file of feed lines/);
    assert.deepEqual([rep.run, rep.run_id, rep.run_files], ['erp', '20251130', ['Head_20251130.csv', 'Ship_20251130.csv']]);
  }
  // The log line carries the code.
  const line = d.out().split('\n').find((l) => l.includes('is incomplete after its wait'));
  assert.ok(line, d.out());
  assert.equal(JSON.parse(line).ref, 'VP_E_RUN_INCOMPLETE');
  assert.equal(objects(t.target).length, 0, 'nothing published');
  // status (and the admin pages, from the same error files) show it.
  const s = cli(t.cfg, ['status', '--json']);
  const status = JSON.parse(s.stdout) as { quarantine: { count: number; newest: { error: string } } };
  assert.equal(status.quarantine.count, 2);
  assert.match(status.quarantine.newest.error, /run erp 20251130 is incomplete/);

  // Ops drop the missing file with the quarantined ones: the run is applied whole.
  const r = cli(t.cfg, ['ingest', '--no-progress', path.join(t.dir, 'quarantine', 'Head_20251130.csv'), writeBytes(t.dir, 'Line_20251130.csv', RUN1.lines), path.join(t.dir, 'quarantine', 'Ship_20251130.csv')]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.equal(t.read('customers/C1/orders/O1.json').products.length, 2);
});

test('a rejected line file quarantines its header (and shipments) too, with the reason on each; nothing published', async () => {
  const t = setup('rejected', 60_000);
  t.drop('Head_20251130.csv', RUN1.head);
  t.drop('Line_20251130.csv', RUN1.lines.replace('A-2;1;50', 'A-2;one;50'));
  t.drop('Ship_20251130.csv', RUN1.ships);
  const d = daemon(t.cfg);
  try {
    await d.waitFor(() => t.quarantined().length === 6, 'the run in quarantine');
  } finally {
    assert.equal(await d.stop(), 0, d.out());
  }
  const own = t.report('Line_20251130.csv').errors[0]!;
  assert.notEqual(own.rule, 'run-rejected');
  assert.match(own.message, /Line_20251130\.csv:3/);
  for (const name of ['Head_20251130.csv', 'Ship_20251130.csv']) {
    const e = t.report(name).errors[0]!;
    assert.equal(e.ref, 'VP_E_RUN_REJECTED');
    assert.match(e.message, /its file Line_20251130\.csv was rejected/);
  }
  assert.equal(objects(t.target).length, 0, 'nothing published');
  assert.equal(existsSync(path.join(t.dir, 'archive')) ? filesUnder(path.join(t.dir, 'archive')).length : 0, 0, 'nothing archived');
  // Nothing of the run is in the state: status lists no line sets waiting for a header, no documents.
  const s = JSON.parse(cli(t.cfg, ['status', '--json']).stdout) as Record<string, any>;
  assert.deepEqual(s.documents, { orders: 0, invoices: 0, credit_invoices: 0, customers: 0, orphan_line_sets: 0 });
  assert.deepEqual(s.files, { ingested: 0, rejected: 3, duplicate: 0 });
  assert.equal(s.quarantine.count, 3);
});

test('ingest with the files of one run applies them as the run (one publish); a run given without a member is rejected, files left in place', () => {
  const t = setup('ingest', 60_000);
  const files = [writeBytes(t.dir, 'Head_20251130.csv', RUN1.head), writeBytes(t.dir, 'Line_20251130.csv', RUN1.lines), writeBytes(t.dir, 'Ship_20251130.csv', RUN1.ships)];
  const r = cli(t.cfg, ['ingest', '--no-progress', ...files], { env: { VENDRE_PULL_LOG_LEVEL: 'info' } });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const logs = r.stdout + r.stderr;
  assert.equal(publishedWrites(logs).length, 1, logs);
  assert.equal(publishedWrites(logs)[0], objects(t.target).length);
  assert.equal(t.read('customers/C1/orders/O1.json').products.length, 2);

  const u = setup('ingest-part', 60_000);
  const alone = writeBytes(u.dir, 'Head_20251201.csv', RUN2.head);
  const p = cli(u.cfg, ['ingest', '--no-progress', alone]);
  assert.equal(p.status, 1, p.stderr + p.stdout);
  assert.match(p.stdout, /Head_20251201\.csv: rejected/);
  assert.match(p.stdout, /run erp 20251201 is incomplete: no file of feed lines, ships/);
  assert.ok(existsSync(alone));
  assert.equal(objects(u.target).length, 0);
});

test('the bundled Business Central orders of 2025-11-30 are a run that waits for its line file', async () => {
  const dir = tmpDir('vp-runs-samples');
  const sample = parse(readFileSync('samples/vendre-pull.yaml', 'utf8')) as Record<string, any>;
  const cfg = writeBytes(dir, 'vendre-pull.yaml', stringify({ ...sample, state: 'state.db', target: 'public', folders: { drop: 'inbox', archive: 'archive', quarantine: 'quarantine' }, inbox: { stableMs: 150, rescanMs: 300 }, serve: { ...sample.serve, port: 0 }, admin: { ...sample.admin, port: 0 } }));
  const inbox = path.join(dir, 'inbox');
  const root = path.join(dir, 'public', 'v1');
  const copy = (name: string) => {
    writeBytes(inbox, `.${name}.tmp`, readFileSync(path.join('samples/exports', name)));
    renameSync(path.join(inbox, `.${name}.tmp`), path.join(inbox, name));
  };
  const d = daemon(cfg);
  try {
    copy('SalesHeader_20251130.csv');
    copy('SalesShipmentHeader_20251130.csv');
    await d.waitFor(() => d.out().includes('run waits for its other files'), 'the run to wait');
    assert.deepEqual(JSON.parse(d.out().split('\n').find((l) => l.includes('run waits for its other files'))!).missing, ['bc-order-lines']);
    assert.equal(existsSync(path.join(root, 'customers')), false, 'no order published without its lines');
    copy('SalesLine_20251130.csv');
    await settle(d, 3);
  } finally {
    assert.equal(await d.stop(), 0, d.out());
  }
  const order = JSON.parse(readFileSync(path.join(root, 'customers/C20005/orders/S-ORD101001.json'), 'utf8')) as Record<string, any>;
  // Its products, with the freight line (G/L account 3520) as shipping_cost, not a product.
  assert.deepEqual(order.products.map((p: any) => p.model), ['MJK-060', 'CHA-1L']);
  assert.equal(publishedWrites(d.out()).length, 1);
  assert.equal(publishedWrites(d.out())[0], objects(root).length);
});

test('the files of a run left in the work folder by a stop or crash are handed over again together, with those of it still in the drop folder', async () => {
  const t = setup('held', 60_000);
  // As a kill -9 between taking the run and applying it leaves them: in DROP/.taken/.
  writeBytes(path.join(t.inbox, '.taken'), 'Head_20251130.csv', RUN1.head);
  writeBytes(path.join(t.inbox, '.taken'), 'Line_20251130.csv', RUN1.lines);
  // A crash between taking the run's files: the last one is still in the drop folder.
  writeBytes(t.inbox, 'Ship_20251130.csv', RUN1.ships);
  const d = daemon(t.cfg);
  try {
    await settle(d, 3);
  } finally {
    assert.equal(await d.stop(), 0, d.out());
  }
  assert.equal(publishedWrites(d.out()).length, 1, d.out());
  assert.equal(t.read('customers/C1/orders/O1.json').products.length, 2);
});

test('runs in the config: a feed it does not know, a feed in two runs, a key without {run}, a marker a feed takes are config errors naming the key', () => {
  const dir = tmpDir('vp-runs-config');
  const feeds = readFileSync(setup('config', 0, false).cfg, 'utf8').replace(/^[\s\S]*?feeds:/m, 'feeds:');
  const load = (runs: string) => () => configIn(dir, `${feeds}runs:\n${runs}`);
  assert.throws(load('  - { name: a, feeds: [heads, nope], key: "*_{run}.csv" }\n'), (e: ConfigError) => e.key === 'runs.0.feeds.1' && /names no feed \("nope"/.test(e.message));
  assert.throws(load('  - { name: a, feeds: [heads, lines], key: "*_{run}.csv" }\n  - { name: b, feeds: [lines, ships], key: "*_{run}.csv" }\n'), (e: ConfigError) => e.key === 'runs.1.feeds.0' && /already a member of run a/.test(e.message));
  assert.throws(load('  - { name: a, feeds: [heads, lines], key: "*.csv" }\n'), (e: ConfigError) => e.key === 'runs.0.key');
  assert.throws(load('  - { name: a, feeds: [heads], key: "*_{run}.csv" }\n'), (e: ConfigError) => e.key === 'runs.0.feeds');
  assert.throws(load('  - { name: a, feeds: [heads, lines], key: "*_{run}.csv", marker: "Head_{run}.csv" }\n'), (e: ConfigError) => e.key === 'runs.0.marker' && /feed heads/.test(e.message));
  assert.equal(load('  - { name: a, feeds: [heads, lines], key: "*_{run}_*.csv" }\n')().runs[0]!.waitMs, 600000);
});

test('the run id is the part of the name `{run}` stands for; files outside a run are in none', () => {
  const cfg = configIn(tmpDir('vp-runs-key'), readFileSync(setup('key', 0).cfg, 'utf8'));
  assert.equal(runFor('Head_20251130.csv', cfg)?.id, '20251130');
  assert.equal(runFor('Line_20251130.csv', cfg)?.key, runFor('Head_20251130.csv', cfg)?.key);
  assert.equal(runFor('flat_20251130.csv', cfg), undefined);
  assert.equal(runKeyToRegExp('*_{run}_*.csv').exec('Sales_Header_R42_DELTA.csv')?.[1], 'R42');
  assert.equal(runKeyToRegExp('*_{run}.csv').exec('Sales_Header_20251130.CSV')?.[1], '20251130');
  const groups = groupByRun(['Head_1.csv', 'flat_1.csv', 'Head_2.csv', 'Line_1.csv', 'Line_2.csv'], (n) => n, cfg);
  assert.deepEqual(groups.map((g) => g.items), [['Head_1.csv', 'Line_1.csv'], ['flat_1.csv'], ['Head_2.csv', 'Line_2.csv']]);
});

test('a run whose publishing fails stays in the work folder, applied once; it is archived whole once writes go through', async () => {
  const t = setup('pending', 60_000);
  const d = daemon(t.cfg);
  try {
    t.drop('Head_20251130.csv', RUN1.head);
    t.drop('Line_20251130.csv', RUN1.lines);
    t.drop('Ship_20251130.csv', RUN1.ships);
    await settle(d, 3);
    // Every write fails: a file where the prefix folder must be (as test/faults/target.test.ts does).
    rmSync(t.target, { recursive: true });
    writeBytes(path.join(t.dir, 'public'), 'v1', 'in the way');
    t.drop('Head_20251201.csv', RUN2.head);
    t.drop('Line_20251201.csv', RUN2.lines);
    t.drop('Ship_20251201.csv', RUN2.ships);
    await d.waitFor(() => d.out().includes('run not archived yet'), 'publishing failing');
    assert.deepEqual(readdirSync(path.join(t.inbox, '.taken')).sort(), ['Head_20251201.csv', 'Line_20251201.csv', 'Ship_20251201.csv']);
    assert.equal(filesUnder(path.join(t.dir, 'archive')).length, 3);
    rmSync(t.target);
    await settle(d, 6);
  } finally {
    assert.equal(await d.stop(), 0, d.out());
  }
  assert.equal(t.read('customers/C2/orders/O3.json').products.length, 1);
  // Applied once: six history rows, not more; the later hand-overs only finished publishing.
  const s = JSON.parse(cli(t.cfg, ['status', '--json']).stdout) as Record<string, any>;
  assert.deepEqual(s.files, { ingested: 6, rejected: 0, duplicate: 0 });
  assert.equal(cli(t.cfg, ['verify']).status, 0);
});

test('a run with a marker is taken only once the ERP wrote its marker; the marker is archived with it, and a run without one is reported after the wait', async () => {
  const t = setup('marker', 60_000);
  writeFileSync(t.cfg, readFileSync(t.cfg, 'utf8').replace('    waitMs: 60000', '    marker: "run_{run}.done"\n    waitMs: 60000'));
  const d = daemon(t.cfg);
  try {
    t.drop('Head_20251130.csv', RUN1.head);
    t.drop('Line_20251130.csv', RUN1.lines);
    t.drop('Ship_20251130.csv', RUN1.ships);
    await d.waitFor(() => d.out().includes('run waits for its other files'), 'the run to wait');
    assert.deepEqual(JSON.parse(d.out().split('\n').find((l) => l.includes('run waits for its other files'))!).missing, ['run_20251130.done']);
    assert.equal(t.has('customers/C1/orders/O1.json'), false, 'not taken before its marker');
    t.drop('run_20251130.done', '');
    await settle(d, 4);
  } finally {
    assert.equal(await d.stop(), 0, d.out());
  }
  assert.equal(t.read('customers/C1/orders/O1.json').products.length, 2);
  assert.equal(publishedWrites(d.out()).length, 1);
  assert.deepEqual(filesUnder(path.join(t.dir, 'archive')).map((f) => path.basename(f)).sort(), ['Head_20251130.csv', 'Line_20251130.csv', 'Ship_20251130.csv', 'run_20251130.done']);
  // The marker is no export: three files in the history.
  assert.deepEqual((JSON.parse(cli(t.cfg, ['status', '--json']).stdout) as Record<string, any>).files, { ingested: 3, rejected: 0, duplicate: 0 });

  const u = setup('marker-never', 300);
  writeFileSync(u.cfg, readFileSync(u.cfg, 'utf8').replace('    waitMs: 300', '    marker: "run_{run}.done"\n    waitMs: 300'));
  const e = daemon(u.cfg);
  try {
    u.drop('Head_20251130.csv', RUN1.head);
    u.drop('Line_20251130.csv', RUN1.lines);
    u.drop('Ship_20251130.csv', RUN1.ships);
    await e.waitFor(() => u.quarantined().length === 6, 'the run in quarantine');
  } finally {
    assert.equal(await e.stop(), 0, e.out());
  }
  assert.match(u.report('Line_20251130.csv').errors[0]!.message, /is incomplete: no marker run_20251130\.done/);
  assert.equal(objects(u.target).length, 0);
});
