import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config/load.ts';
import { processFile } from '../../src/ingest/process.ts';
import { silent, tmpDir, writeBytes } from '../helpers.ts';

/**
 * The crash-safety proof: a daemon fed 21 exports (a full snapshot, then deltas with changes, new
 * orders, cancellations and moves) is killed with SIGKILL at seeded random moments 25 times and
 * restarted each time. At the end its published tree must be byte-identical to an uninterrupted
 * run's, every input file archived exactly once, the outbox empty, nothing in quarantine.
 */

const CLI = ['--import', 'tsx', path.resolve('src/cli.ts')];
const KILLS = 25;

const FEEDS = (dir: string) => `
state: ${dir}/state.db
target: ${dir}/public
folders: { drop: ${dir}/inbox, archive: ${dir}/archive, quarantine: ${dir}/quarantine }
inbox: { stableMs: 50, rescanMs: 300 }
admin: { port: 0 }
feeds:
  - name: full
    pattern: "full_*.csv"
    kind: orders
    format: csv
    mode: full
    numberFormat: dot
    map: &map { id: No, customer_no: Cust, date: Date, reference: Ref, customer.company: Name, line.model: Art, line.quantity: Qty, line.price: Price, line.vat_rate: Vat }
  - name: delta
    pattern: "delta_*.csv"
    kind: orders
    format: csv
    mode: delta
    numberFormat: dot
    delete: { column: Status, values: [X] }
    map: *map
`;

/** Deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Order { id: number; cust: number; day: number; lines: Array<{ art: string; qty: number; price: number; vat: number }> }

function exportsFor(seed: number): Array<{ name: string; text: string }> {
  const r = rng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const orders = new Map<number, Order>();
  let nextId = 100000;
  const make = (): Order => ({
    id: nextId++,
    cust: 1 + int(60),
    day: 1 + int(700),
    lines: Array.from({ length: 1 + int(4) }, () => ({ art: `A${int(500)}`, qty: 1 + int(9), price: 10 + int(5000) / 4, vat: r() < 0.8 ? 25 : 12 })),
  });
  const date = (day: number) => new Date(Date.UTC(2024, 0, day)).toISOString().slice(0, 10);
  const rows = (o: Order, status = '') => o.lines.map((l) => [o.id, `C${o.cust}`, date(o.day), `R${o.id}`, `Kund ${o.cust} AB`, l.art, l.qty, l.price.toFixed(2), l.vat, status].join(';'));
  const csv = (lines: string[]) => `No;Cust;Date;Ref;Name;Art;Qty;Price;Vat;Status\n${lines.join('\n')}\n`;
  for (let i = 0; i < 1500; i++) {
    const o = make();
    orders.set(o.id, o);
  }
  const files = [{ name: 'full_000.csv', text: csv([...orders.values()].flatMap((o) => rows(o))) }];
  for (let f = 1; f <= 20; f++) {
    const out: string[] = [];
    const ids = [...orders.keys()];
    const picked = new Set<number>();
    for (let k = 0; k < 120; k++) {
      const id = ids[int(ids.length)]!;
      if (picked.has(id)) continue; // one order appears once per file (under one customer)
      picked.add(id);
      const o = orders.get(id)!;
      o.lines[int(o.lines.length)]!.qty = 1 + int(20);
      if (k % 10 === 0) o.cust = 1 + int(60); // moves to another customer
      out.push(...rows(o));
    }
    for (let k = 0; k < 40; k++) {
      const o = make();
      orders.set(o.id, o);
      out.push(...rows(o));
    }
    for (let k = 0; k < 10; k++) {
      const id = ids[int(ids.length)]!;
      const o = orders.get(id);
      if (!o || picked.has(id)) continue;
      picked.add(id);
      orders.delete(id);
      out.push(...rows(o, 'X'));
    }
    files.push({ name: `delta_${String(f).padStart(3, '0')}.csv`, text: csv(out) });
  }
  return files;
}

function tree(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(path.relative(root, p), readFileSync(p));
    }
  };
  if (existsSync(root)) walk(root);
  return out;
}

test('kill -9 at random moments, 25 times: the published tree equals an uninterrupted run, each file archived once', { timeout: 600_000 }, async (t) => {
  const files = exportsFor(20261129);

  // The uninterrupted run: the same files through the same pipeline, in order.
  const base = tmpDir('vp-kill-base');
  const baseApp = openApp(parseConfig(FEEDS(base), path.join(base, 'c.yaml')), silent());
  for (const f of files) {
    const r = await processFile(baseApp, writeBytes(path.join(base, 'src'), f.name, f.text), { move: false, publish: true });
    assert.equal(r.outcome, 'ingested', `${f.name}: ${r.errors.map((e) => e.message).join('; ')}`);
  }
  baseApp.close();
  const expected = tree(path.join(base, 'public', 'v1'));
  assert.ok(expected.size > 1000, `baseline has ${expected.size} objects`);

  // The interrupted run.
  const dir = tmpDir('vp-kill');
  const cfg = writeBytes(dir, 'vendre-pull.yaml', FEEDS(dir));
  const inbox = path.join(dir, 'inbox');
  mkdirSync(inbox, { recursive: true });
  const t0 = Date.now() / 1000 - 3600;
  files.forEach((f, i) => {
    const p = path.join(inbox, f.name);
    writeFileSync(p, f.text);
    utimesSync(p, t0 + i, t0 + i);
  });
  const r = rng(7);
  let log = '';
  const start = (): ChildProcess => {
    const child = spawn(process.execPath, [...CLI, '--config', cfg, 'run', '--no-serve'], { env: { ...process.env, VENDRE_PULL_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (log += d));
    child.stderr!.on('data', (d) => (log += d));
    return child;
  };
  const exited = (c: ChildProcess) => new Promise<number | null>((resolve) => (c.exitCode !== null ? resolve(c.exitCode) : c.once('exit', (code) => resolve(code))));
  let killedBusy = 0;
  for (let k = 0; k < KILLS; k++) {
    const child = start();
    await new Promise((res) => setTimeout(res, 400 + Math.floor(r() * 1600)));
    if (readdirSync(inbox).length > 0) killedBusy++;
    child.kill('SIGKILL');
    await exited(child);
  }
  // Let a last run finish the work, then stop it properly.
  const child = start();
  const until = Date.now() + 240_000;
  const status = () => JSON.parse(spawnSync(process.execPath, [...CLI, '--config', cfg, 'status', '--json'], { encoding: 'utf8' }).stdout);
  while (readdirSync(inbox).length > 0 || status().outbox.depth > 0) {
    if (Date.now() > until) assert.fail(`daemon did not finish; inbox: ${readdirSync(inbox).join(', ')}\n${log}`);
    await new Promise((res) => setTimeout(res, 250));
  }
  child.kill('SIGTERM');
  assert.equal(await exited(child), 0, log);

  t.diagnostic(`${KILLS} kills, ${killedBusy} while files were still waiting; ${expected.size} objects compared`);
  assert.ok(killedBusy >= 10, `only ${killedBusy} kills landed while files were waiting; make the exports bigger`);
  const archived = readdirSync(path.join(dir, 'archive'), { recursive: true })
    .map(String)
    .filter((p) => statSync(path.join(dir, 'archive', p)).isFile())
    .map((p) => path.basename(p))
    .sort();
  assert.deepEqual(archived, files.map((f) => f.name).sort(), 'every input file archived exactly once');
  assert.deepEqual(readdirSync(path.join(dir, 'quarantine')), []);
  const s = status();
  assert.equal(s.outbox.depth, 0);
  assert.equal(s.dirty_customers, 0);
  const actual = tree(path.join(dir, 'public', 'v1'));
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
  for (const [key, bytes] of expected) assert.ok(actual.get(key)!.equals(bytes), `${key} differs`);
});
