import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { openApp } from '../../src/app.ts';
import { checkBackup } from '../../src/store/backup.ts';
import { parseConfig } from '../../src/config/load.ts';
import { processFile } from '../../src/ingest/process.ts';
import { silent, tmpDir, writeBytes } from '../helpers.ts';

const CLI = ['--import', 'tsx', path.resolve('src/cli.ts')];

function config(dir: string, state = 'state.db'): string {
  const raw = parse(readFileSync('samples/vendre-pull.yaml', 'utf8')) as Record<string, unknown>;
  Object.assign(raw, { state, target: 'public', folders: { drop: 'inbox', archive: 'archive', quarantine: 'quarantine' } });
  return writeBytes(dir, `vendre-pull${state === 'state.db' ? '' : '-restored'}.yaml`, stringify(raw));
}

const cli = (args: string[]) => spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', env: { ...process.env, VENDRE_PULL_LOG_LEVEL: 'warn' }, timeout: 120_000 });

test('backup: a checked copy of the state while another process holds it open with un-checkpointed writes; the copy restores', async () => {
  const dir = tmpDir('vp-backup');
  const cfgFile = config(dir);
  // This process keeps the store open, as the daemon would: its writes sit in the WAL, not in state.db.
  const app = openApp(parseConfig(readFileSync(cfgFile, 'utf8'), cfgFile), silent());
  try {
    for (const name of ['ordrar_20251130.csv', 'fakturor_20251130.xml']) {
      assert.equal((await processFile(app, path.resolve('samples/exports', name), { move: false, publish: true })).outcome, 'ingested');
    }
    assert.ok(statSync(`${app.cfg.state}-wal`).size > 0, 'the writes are in the WAL');
    const docs = app.store.db.prepare('SELECT count(*) FROM docs').pluck().get() as number;
    const manifest = app.store.db.prepare('SELECT count(*) FROM manifest').pluck().get() as number;

    const dest = path.join(dir, 'backups', 'state-1.db');
    const r = cli(['--config', cfgFile, 'backup', dest, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { documents: number; manifest: number; integrity: string; bytes: number; schemaVersion: number };
    assert.equal(report.documents, docs);
    assert.equal(report.manifest, manifest);
    assert.equal(report.integrity, 'ok');
    assert.ok(report.schemaVersion >= 1);
    assert.equal(statSync(dest).mode & 0o777, 0o600, 'customer data: owner only');
    assert.deepEqual(readdirNames(path.dirname(dest)), ['state-1.db'], 'no partial file left');
    assert.equal(checkBackup(dest).documents, docs);

    // An existing FILE is not replaced without --force; the state file itself is refused.
    const again = cli(['--config', cfgFile, 'backup', dest]);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /exists; pass --force/);
    assert.equal(cli(['--config', cfgFile, 'backup', dest, '--force']).status, 0);
    assert.equal(cli(['--config', cfgFile, 'backup', app.cfg.state]).status, 2);
  } finally {
    app.close();
  }

  // Restore: a config whose state is the copy sees the same documents and published objects.
  const restored = config(dir, 'backups/state-1.db');
  mkdirSync(path.join(dir, 'inbox'), { recursive: true }); // status reads the drop folder and refuses a missing one
  const s = cli(['--config', restored, 'status', '--json']);
  const status = JSON.parse(s.stdout) as { documents: { orders: number; invoices: number }; published: { objects: number } };
  assert.ok(status.documents.orders > 100 && status.documents.invoices > 100, s.stdout);
  assert.ok(status.published.objects > 300);
  assert.ok(existsSync(path.join(dir, 'backups', 'state-1.db')));
});

function readdirNames(dir: string): string[] {
  return readdirSync(dir).sort();
}
