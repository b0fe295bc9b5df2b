import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parse, stringify } from 'yaml';
import { openApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load.ts';
import { processFile } from '../../src/ingest/process.ts';
import { processRun } from '../../src/ingest/run.ts';
import { groupByRun } from '../../src/inbox/runs.ts';
import { MIGRATIONS } from '../../src/store/open.ts';
import { localApp, silent, tmpDir } from '../helpers.ts';

/**
 * Upgrading (issue 13): the release before shipments, charge lines and record sections (this commit:
 * main before they were merged, with the Pull API's index documents)
 * ingests its bundled samples into a state file and a target; the new build starts on them. The
 * state migrates forward, the old config keeps working, and replaying the old samples with it
 * republishes nothing. Then the new sample config: only documents whose content changes by design
 * are written.
 */
const RELEASE = '19d7665012c30ec71dea217f67db2d3cdaf802fd';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

function configFile(dir: string, source: string): string {
  const raw = parse(source) as Record<string, unknown>;
  Object.assign(raw, { state: 'state.db', target: 'public', folders: { drop: 'inbox', archive: 'archive', quarantine: 'quarantine' } });
  const file = path.join(dir, 'vendre-pull.yaml');
  writeFileSync(file, stringify(raw));
  return file;
}

test('a state and target made by the previous release migrate forward; its config and samples republish nothing; the new config writes only what changes by design', async (t) => {
  const dir = tmpDir('vp-upgrade');
  const old = path.join(dir, 'release');
  mkdirSync(old);
  // The previous release's code, samples and config, from git; its dependencies are this checkout's.
  const archive = execFileSync('git', ['archive', '--format=tar', RELEASE, 'src', 'schemas', 'samples', 'package.json'], { maxBuffer: 64 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', old], { input: archive });
  symlinkSync(path.resolve('node_modules'), path.join(old, 'node_modules'));
  const oldSamples = path.join(old, 'samples/exports');
  const oldFiles = readdirSync(oldSamples).sort().map((n) => path.join(oldSamples, n));
  const cfg = configFile(dir, readFileSync(path.join(old, 'samples/vendre-pull.yaml'), 'utf8'));
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(old, 'src/cli.ts'), 'ingest', '--config', cfg, '--no-progress', ...oldFiles], { encoding: 'utf8', timeout: 240_000 });
  assert.equal(run.status, 0, run.stderr + run.stdout);
  const state = path.join(dir, 'state.db');
  const db = new Database(state, { readonly: true });
  assert.equal(db.pragma('user_version', { simple: true }), 5, 'the release writes schema 5');
  db.close();
  const publicDir = path.join(dir, 'public');
  const snapshot = () => new Map(walk(publicDir).map((f) => [path.relative(publicDir, f), readFileSync(f).toString('base64')]));
  const released = snapshot();
  assert.equal(released.size, 650);

  // The new build on the old state and the old config, unchanged.
  let app = localApp(openApp(loadConfig(cfg), silent()));
  assert.equal(app.store.db.pragma('user_version', { simple: true }), MIGRATIONS.length, 'migrated at start');
  for (const file of oldFiles) {
    const r = await processFile(app, file, { move: false, reapply: true, publish: true });
    assert.equal(r.outcome, 'ingested', `${path.basename(file)}: ${r.errors.map((e) => e.message).join('\n')}`);
    assert.deepEqual({ written: r.publish?.written ?? 0, deleted: r.publish?.deleted ?? 0 }, { written: 0, deleted: 0 }, path.basename(file));
  }
  assert.deepEqual(snapshot(), released, 'the target is byte for byte what the release published');
  app.close();

  // The new sample config on the same state: the old samples again, then the new files.
  configFile(dir, readFileSync('samples/vendre-pull.yaml', 'utf8'));
  app = localApp(openApp(loadConfig(cfg), silent()));
  let written = 0;
  // The new config's export runs: the Business Central tables of a day are applied together, as
  // `replay` applies the archive (the release's samples have no shipment file: not waited for here).
  for (const group of groupByRun(oldFiles, (f) => path.basename(f), app.cfg)) {
    if (group.run) {
      const r = await processRun(app, group.items, group.run, { move: false, reapply: true, publish: true, requireComplete: false });
      assert.equal(r.outcome, 'ingested', group.items.map((f) => path.basename(f)).join(', '));
      written += r.files.reduce((n, f) => n + (f.publish?.written ?? 0), 0);
      continue;
    }
    const r = await processFile(app, group.items[0]!, { move: false, reapply: true, publish: true });
    assert.equal(r.outcome, 'ingested', path.basename(group.items[0]!));
    written += r.publish?.written ?? 0;
  }
  const after = snapshot();
  const changed = [...after.keys()].filter((k) => after.get(k) !== released.get(k));
  // By design: Business Central documents get delivery.company, credited_invoice, and freight moves
  // from products to shipping_cost. The Swedish flat CSV and the XML invoices keep every byte.
  assert.ok(changed.length > 0 && changed.every((k) => /\/customers\/C2\d+\//.test(`/${k}`)), `changed outside BC: ${changed.filter((k) => !/customers\/C2/.test(k)).join(', ')}`);
  assert.deepEqual(changed.filter((k) => k.includes('/pages/')), [], 'list pages keep their bytes (no listed field changed)');
  // A document whose header and line files both change is written once: its run is one unit.
  assert.equal(written, changed.length, `${written} writes for ${changed.length} changed objects`);
  t.diagnostic(`new config on the release's state: ${changed.length} objects change by design, ${written} writes`);
  app.close();
});
