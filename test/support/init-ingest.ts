import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { processFile } from '../../src/ingest/process.ts';
import { tmpDir, type LocalApp } from '../helpers.ts';
import { sampleApp } from './s3-app.ts';

/** Every published JSON object of an app's local target, by its key. */
export function published(app: LocalApp): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const walk = (dir: string) => {
    for (const n of readdirSync(dir)) {
      const p = path.join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.json')) out.set(path.relative(app.target.root, p).split(path.sep).join('/'), JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>);
    }
  };
  walk(app.target.root);
  return out;
}

/**
 * The files ingested and published, one by one, with `init`'s proposed feeds as the config's feeds:
 * each must be ingested and every document valid. The sample config's runs name its own feeds, so
 * they are left out.
 */
export async function ingestAll(feeds: object[], files: string[]): Promise<LocalApp> {
  const app = sampleApp(tmpDir('vp-init-ingest'), { feeds, runs: [] });
  for (const f of files) {
    const r = await processFile(app, f, { move: false, reapply: true, publish: true });
    assert.equal(r.outcome, 'ingested', `${path.basename(f)}: ${r.errors.map((e) => e.message).join('\n')}`);
    assert.equal(r.plan?.invalid ?? 0, 0, path.basename(f));
  }
  return app;
}
