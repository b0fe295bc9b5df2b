/**
 * S3 publish benchmark: N order documents from a generated export (generate.ts) published to
 * s3rver, then republished after 1 % of the orders changed (of those, 4 in 5 have a changed
 * quantity and 1 in 5 is cancelled, i.e. deleted) — side by side with rclone syncing the same
 * trees to the same server in its best configuration for this job.
 *
 *   node --import tsx test/bench/publish-s3.ts [--docs 20000] [--customers 2000] [--seed 20251130]
 *        [--concurrency 16] [--checksums default|when-required] [--no-rclone] [--json]
 *   npm run bench:s3 -- --docs 40000 --customers 4000
 *
 * Both clients talk to s3rver through the counting proxy of the tests (test/support/s3-proxy.ts),
 * which counts HTTP requests by kind, retries included. Wall times are for publishing only: the
 * export is ingested first (without publishing), then vendre-pull plans (render, sha256, compare
 * with the manifest) and uploads; rclone gets the tree vendre-pull wrote to a local directory from
 * the same input. rclone (Debian's package) is installed with apt-get when missing.
 *
 * s3rver 3.7.1 is slow to list and unreliable past ~20,000 keys (see DESIGN.md), which is rclone's
 * problem here, not vendre-pull's: the final bucket contents of both are compared and reported.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import type { App } from '../../src/app.ts';
import { drainOutbox } from '../../src/publish/drain.ts';
import { planCustomers } from '../../src/publish/plan.ts';
import { processFile } from '../../src/pipeline.ts';
import { localApp, tmpDir } from '../helpers.ts';
import { listBucket, s3Overrides, sampleAppWith } from '../support/s3-app.ts';
import { startS3rver } from '../support/s3rver.ts';
import { S3Proxy, type RequestKind } from '../support/s3-proxy.ts';
import { BENCH_DIR, benchFileName, generate, isUpToDate, type GenerateParams } from './generate.ts';

const { values: args } = parseArgs({
  options: {
    docs: { type: 'string', default: '20000' },
    customers: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '20251130' },
    concurrency: { type: 'string', default: '16' },
    checksums: { type: 'string', default: 'default' },
    'no-rclone': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    // Internal: one vendre-pull publish in a child process (as rclone runs in its own), so the
    // proxy in this process does not share an event loop with the publisher it measures.
    phase: { type: 'string' },
    dir: { type: 'string' },
    endpoint: { type: 'string' },
    file: { type: 'string' },
  },
});
const DOCS = Number(args.docs);
const CONCURRENCY = Number(args.concurrency);
const LINES_PER_ORDER = 5;

interface Run {
  label: string;
  seconds: number;
  plan?: number;
  upload?: number;
  objects?: number;
  requests: Record<RequestKind, number>;
}

function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

function ensureRclone(): string {
  const found = spawnSync('rclone', ['version'], { encoding: 'utf8' });
  if (found.status === 0) return found.stdout.split('\n')[0]!;
  log('rclone not found: installing Debian\'s package (apt-get update && apt-get install -y rclone)');
  for (const cmd of [['apt-get', 'update'], ['apt-get', 'install', '-y', 'rclone']]) {
    const r = spawnSync(cmd[0]!, cmd.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed (exit ${r.status}); install rclone or run with --no-rclone`);
  }
  return spawnSync('rclone', ['version'], { encoding: 'utf8' }).stdout.split('\n')[0]!;
}

/** A delta export in the same dialect: 1 % of the orders (by a hash of the number), 4 in 5 with one quantity changed, 1 in 5 cancelled. */
function makeDelta(base: string): { file: string; changed: number; cancelled: number } {
  const file = path.join(path.dirname(base), path.basename(base).replace(/\.csv$/, '_delta1pct.csv'));
  const rows = parseCsv(iconv.decode(readFileSync(base), 'windows-1252'), { delimiter: ';', relax_quotes: false, bom: true }) as string[][];
  const header = rows[0]!;
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`column ${name} not in ${base}`);
    return i;
  };
  const [id, status, qty] = [col('Ordernr'), col('Status'), col('Antal')];
  const pick = (order: string) => createHash('sha256').update(`delta\u0000${order}`).digest().readUInt32BE(0) % 100;
  const out = [header];
  const seen = new Map<string, 'change' | 'cancel'>();
  for (const row of rows.slice(1)) {
    const order = row[id]!;
    if (pick(order) !== 0 || row[status] === 'Makulerad') continue;
    let what = seen.get(order);
    if (!what) seen.set(order, (what = seen.size % 5 === 4 ? 'cancel' : 'change'));
    const copy = [...row];
    if (what === 'cancel') copy[status] = 'Makulerad';
    else if (copy[col('Radnr')] === '1') copy[qty] = String(Number(copy[qty]!.replace(',', '.')) + 1).replace('.', ',');
    out.push(copy);
  }
  const quote = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  writeFileSync(file, iconv.encode(`${out.map((r) => r.map(quote).join(';')).join('\r\n')}\r\n`, 'windows-1252'));
  const cancelled = [...seen.values()].filter((v) => v === 'cancel').length;
  return { file, changed: seen.size - cancelled, cancelled };
}

async function ingestOnly(app: App, file: string): Promise<void> {
  const r = await processFile(app, file, { move: false, reapply: true, publish: false });
  if (r.outcome !== 'ingested') throw new Error(`${file}: ${r.outcome}: ${r.errors.slice(0, 3).map((e) => e.message).join('; ')}`);
}

/** vendre-pull's publish of what the ingest made dirty: plan (render, sha256, manifest) then upload. */
async function publish(app: App, proxy: S3Proxy | undefined, label: string): Promise<Run> {
  proxy?.resetCounts();
  const t0 = performance.now();
  const ctx = app.publishContext();
  app.store.transaction(() => planCustomers(ctx, app.store.dirtyCustomers()));
  const t1 = performance.now();
  const drained = await drainOutbox(app.store, app.target, app.log, { concurrency: CONCURRENCY });
  const t2 = performance.now();
  if (drained.remaining) throw new Error(`${label}: ${drained.remaining} entries left in the outbox`);
  return {
    label,
    seconds: (t2 - t0) / 1000,
    plan: (t1 - t0) / 1000,
    upload: (t2 - t1) / 1000,
    objects: drained.written + drained.deleted,
    requests: { ...(proxy?.counts ?? { PUT: 0, GET: 0, HEAD: 0, LIST: 0, DELETE: 0, OTHER: 0 }) },
  };
}

function rclone(src: string, dest: string, env: NodeJS.ProcessEnv, flags: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('rclone', ['sync', src, dest, ...flags], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve((performance.now() - t0) / 1000) : reject(new Error(`rclone exited with ${code}`))));
  });
}

interface PhaseResult {
  documents: number;
  seconds: number;
  plan: number;
  upload: number;
  objects: number;
}

/** Runs this script with `args` in a child process; `ready` is called once it has ingested and is about to publish. */
function phase(args: string[], ready: () => void): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', process.argv[1]!, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      if (out.includes('READY\n')) {
        out = out.replace('READY\n', '');
        ready();
        child.stdout.removeAllListeners('data');
        child.stdout.on('data', (d2: Buffer) => (out += d2));
      }
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as PhaseResult) : reject(new Error(`phase exited with ${code}`))));
  });
}

/** The child: ingest FILE into the state in DIR (without publishing), then publish to the bucket through ENDPOINT. */
async function publishPhase(): Promise<void> {
  const s3 = { maxAttempts: 5, requestTimeoutMs: 60000, checksums: args.checksums };
  const app = sampleAppWith(args.dir!, { ...s3Overrides(args.endpoint!, 'bench-vp', s3, 'bench'), publish: { concurrency: CONCURRENCY } });
  await app.target.check();
  await ingestOnly(app, args.file!);
  const documents = app.store.db.prepare("SELECT count(*) FROM docs WHERE kind = 'order'").pluck().get() as number;
  // The parent resets its request counts now: the health check and ingest are not part of the publish.
  await new Promise<void>((resolve) => process.stdout.write('READY\n', () => setTimeout(resolve, 200)));
  const run = await publish(app, undefined, 'publish');
  app.close();
  process.stdout.write(JSON.stringify({ documents, seconds: run.seconds, plan: run.plan, upload: run.upload, objects: run.objects }));
}

async function main(): Promise<void> {
  const rcloneVersion = args['no-rclone'] ? undefined : ensureRclone();
  const params: GenerateParams = { format: 'csv', lines: DOCS * LINES_PER_ORDER, customers: Number(args.customers), linesPerOrder: LINES_PER_ORDER, years: 3, seed: Number(args.seed) };
  // A folder of its own: generate.ts names files by line count only, and other benchmarks use other customer counts.
  const dir = path.join(BENCH_DIR, 's3');
  const base = path.join(dir, benchFileName(params));
  if (!isUpToDate(base, params)) {
    log(`generating ${base}`);
    await generate(params, dir);
  }
  const delta = makeDelta(base);
  log(`delta: ${delta.changed} orders changed, ${delta.cancelled} cancelled (${path.basename(delta.file)})`);

  const s3 = await startS3rver(['bench-vp', 'bench-rclone']);
  const proxy = await new S3Proxy({ upstream: s3.url }).start();
  const runs: Run[] = [];
  let documents = 0;
  let sameContent: boolean | string = 'not compared';
  try {
    // vendre-pull → S3, each publish in a child process on the same state.
    const vpDir = tmpDir('vp-bench-s3');
    for (const [label, file] of [['vendre-pull, first publish', base], ['vendre-pull, republish after 1 % changed', delta.file]] as const) {
      log(`${label} …`);
      const child = await phase(['--phase', 'publish', '--dir', vpDir, '--endpoint', proxy.url, '--file', file, '--concurrency', String(CONCURRENCY), '--checksums', args.checksums!], () => proxy.resetCounts());
      documents = child.documents;
      runs.push({ label, seconds: child.seconds, plan: child.plan, upload: child.upload, objects: child.objects, requests: { ...proxy.counts } });
    }

    if (rcloneVersion) {
      // The same trees in a local directory, for rclone.
      const local = localApp(sampleAppWith(tmpDir('vp-bench-local'), { publish: { concurrency: CONCURRENCY } }));
      const env = {
        ...process.env,
        RCLONE_CONFIG: path.join(tmpDir('vp-bench-rclone'), 'rclone.conf'),
        RCLONE_CONFIG_BENCH_TYPE: 's3',
        RCLONE_CONFIG_BENCH_PROVIDER: 'Other',
        RCLONE_CONFIG_BENCH_ENDPOINT: proxy.url,
        RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: 'S3RVER',
        RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: 'S3RVER',
        RCLONE_CONFIG_BENCH_REGION: 'us-east-1',
        RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE: 'true',
      };
      // rclone's AWS library fails on a CA bundle it cannot attach to its transport; the endpoint here is plain http on 127.0.0.1.
      delete (env as NodeJS.ProcessEnv).AWS_CA_BUNDLE;
      writeFileSync(env.RCLONE_CONFIG, '');
      const flags = ['--checksum', '--fast-list', '--transfers', String(CONCURRENCY), '--checkers', String(CONCURRENCY), '--s3-no-check-bucket', '--s3-no-head', '--stats', '0', '--log-level', 'ERROR'];
      const dest = 'bench:bench-rclone/bench/v1';
      await ingestOnly(local, base);
      await publish(local, undefined, 'local tree');
      for (const label of ['rclone, first sync', 'rclone, sync after 1 % changed']) {
        if (label !== 'rclone, first sync') {
          await ingestOnly(local, delta.file);
          await publish(local, undefined, 'local tree');
        }
        proxy.resetCounts();
        log(`${label} …`);
        const seconds = await rclone(local.target.root, dest, env, flags);
        runs.push({ label, seconds, requests: { ...proxy.counts } });
      }
      local.close();
      log(`rclone flags: rclone sync SRC ${dest} ${flags.join(' ')}`);
      // Same final content? Listing through s3rver directly (its paging is the weak spot past 20k keys).
      const [a, b] = [await listBucket(s3.client, 'bench-vp', 'bench/v1/'), await listBucket(s3.client, 'bench-rclone', 'bench/v1/')];
      const differing = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
      sameContent = differing.length === 0 ? true : `${differing.length} keys differ (listing: ${a.size} vs ${b.size}), e.g. ${differing.slice(0, 3).join(', ')}`;
    }
  } finally {
    await proxy.close();
    await s3.close();
  }

  const result = { documents, delta, concurrency: CONCURRENCY, rclone: rcloneVersion ?? null, sameContent, runs };
  if (args.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const row = (r: Run) =>
    `| ${r.label} | ${r.seconds.toFixed(1)} s${r.upload !== undefined ? ` (plan ${r.plan!.toFixed(1)} + upload ${r.upload.toFixed(1)})` : ''} | ${r.requests.PUT} | ${r.requests.DELETE} | ${r.requests.LIST} | ${r.requests.HEAD} | ${r.requests.GET} |`;
  process.stdout.write(
    [
      `${documents} orders (${params.customers} customers, ${params.lines} export lines), republish: ${delta.changed} changed + ${delta.cancelled} cancelled; concurrency ${CONCURRENCY}; s3.checksums ${args.checksums}; ${rcloneVersion ?? 'rclone skipped'}`,
      '',
      '| run | wall time | PUT | DELETE | LIST | HEAD | GET |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...runs.map(row),
      '',
      `same final bucket content: ${sameContent}`,
      '',
    ].join('\n'),
  );
}

(args.phase === 'publish' ? publishPhase() : main()).catch((err) => {
  process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  process.exitCode = 1;
});
