import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { tmpDir, writeBytes } from '../helpers.ts';

const CLI = ['--import', 'tsx', path.resolve('src/cli.ts')];

function cli(cfg: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [...CLI, '--config', cfg, ...args], { encoding: 'utf8', env: { ...process.env, VENDRE_PULL_LOG_LEVEL: 'info' }, timeout: 120_000 });
  return { ...r, logs: r.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** Every published object and its bytes. */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(path.relative(root, p), readFileSync(p, 'utf8'));
    }
  };
  walk(root);
  return out;
}

test('replay of the archive is idempotent, --fresh rebuilds the same state, rebuild writes nothing new, status reports it', () => {
  const dir = tmpDir('vp-replay');
  const raw = parse(readFileSync('samples/vendre-pull.yaml', 'utf8')) as Record<string, unknown>;
  Object.assign(raw, { state: 'state.db', target: 'public', folders: { drop: 'inbox', archive: 'archive', quarantine: 'quarantine' } });
  const cfg = writeBytes(dir, 'vendre-pull.yaml', stringify(raw));
  // Put the samples where the daemon would have archived them.
  const day = path.join(dir, 'archive', '2025', '11', '30');
  mkdirSync(day, { recursive: true });
  mkdirSync(path.join(dir, 'inbox')); // status reads the drop folder
  for (const n of readdirSync('samples/exports')) copyFileSync(path.join('samples/exports', n), path.join(day, n));

  const first = cli(cfg, 'replay');
  assert.equal(first.status, 0, first.stderr);
  const root = path.join(dir, 'public', 'v1');
  const state1 = snapshot(root);
  assert.ok(state1.size > 300, `published ${state1.size}`);

  const second = cli(cfg, 'replay');
  assert.equal(second.status, 0, second.stderr);
  const done = second.logs.find((l) => l.msg === 'replay done')!;
  assert.equal(done.written, 0);
  assert.equal(done.deleted, 0);
  assert.deepEqual(snapshot(root), state1);

  const fresh = cli(cfg, 'replay', '--fresh');
  assert.equal(fresh.status, 0, fresh.stderr);
  assert.equal(fresh.logs.find((l) => l.msg === 'replay done')!.written, 0);
  assert.deepEqual(snapshot(root), state1);

  // rebuild converges on the same bytes; a document removed from the store disappears from the target.
  const rebuild = cli(cfg, 'rebuild');
  assert.equal(rebuild.status, 0, rebuild.stderr);
  assert.equal(rebuild.logs.find((l) => l.msg === 'rebuild done')!.written, 0);

  const status = spawnSync(process.execPath, [...CLI, '--config', cfg, 'status', '--json'], { encoding: 'utf8' });
  assert.equal(status.status, 0, status.stderr);
  const s = JSON.parse(status.stdout);
  assert.equal(s.documents.orders, 196);
  assert.equal(s.documents.invoices, 178);
  assert.equal(s.published.objects, state1.size);
  assert.equal(s.published.orders, 196);
  assert.equal(s.outbox.depth, 0);
  assert.equal(s.feeds.length, 19);
  assert.equal(s.dirty_customers, 0);
  const text = spawnSync(process.execPath, [...CLI, '--config', cfg, 'status'], { encoding: 'utf8' });
  assert.match(text.stdout, /documents\s+196 orders, 178 invoices, 12 credit invoices, 21 customers/);

  // Losing the archive's order file and replaying --fresh removes its documents (the archive decides).
  unlinkSync(path.join(day, 'ordrar_20251130.csv'));
  const shrunk = cli(cfg, 'replay', '--fresh');
  assert.equal(shrunk.status, 0, shrunk.stderr);
  const after = snapshot(root);
  // The Swedish flat file's orders (customers 1xxxx); the XML export's orders (customer 30001) stay.
  assert.ok(![...after.keys()].some((k) => /customers\/1\d{4}\/orders\/\d+\.json$/.test(k)), 'no single orders of that file remain');
  assert.ok([...after.keys()].some((k) => /invoices\/\d+\.json$/.test(k)), 'invoices remain');
});
