/**
 * S3 benchmark, end to end from a changed export file to the bucket (issue #7): N order documents
 * from a generated export (generate.ts) published to s3rver, then 1 % of the orders change
 * (s3-changes.ts: 4 in 5 get one more unit on a line, 1 in 5 is cancelled) and the bucket is
 * brought up to date in two ways, on the same server in the same run:
 *
 *   (a) vendre-pull, as the daemon does it: from "the changed export is in the drop folder" to
 *       "the bucket holds the new objects" = processFile(app, file, {move: true, publish: true}) on
 *       the state of the first publish (read, map, store, render, upload, archive). Two variants:
 *         full   the ERP sends its whole export again with the changes in it (every unchanged
 *                line is read, mapped and compared again: that is part of the cost);
 *         delta  the ERP sends only the changed orders.
 *       Between the two the base export is applied again ("restore", not part of the comparison),
 *       so both start from the same state and bucket.
 *   (b) without vendre-pull: regenerate the whole tree from the changed full export into a fresh
 *       local folder (vendre-pull itself as the converter, fresh state, local target: the generous
 *       version of "a script that renders everything"; timed like (a), processFile only, the
 *       program loaded and its fresh state open), then `rclone sync --checksum --fast-list` of
 *       that folder to another bucket of the same s3rver, which holds the base tree from a first
 *       sync (rclone's process start is timed: that is how it runs).
 *
 *   node --import tsx test/bench/publish-s3.ts [--docs 20000] [--customers 2000] [--seed 20251130]
 *        [--concurrency 16] [--checksums default|when-required] [--no-rclone] [--keep] [--json]
 *   npm run bench:s3 -- --docs 20000 --customers 2000
 *
 * Every measured phase runs in a process of its own (vendre-pull: this script with --phase; rclone
 * under GNU time), so its CPU time (user+sys) and peak RSS are its own, and the counting proxy in
 * this process (test/support/s3-proxy.ts: requests by kind, retries included) shares no event loop
 * with the client it counts. Request counts and s3rver's CPU time cover the timed part only (the
 * child's HeadBucket health check comes before). Not timed: the drop folder's completeness check
 * (`inbox.stableMs`, or none with marker/rename), the daemon's start.
 *
 * Checked and printed (exit 1 when a check fails): the objects that really changed are the
 * difference between the base tree and the changed tree (file by file); each (a) variant must make
 * one PUT per written object, exactly as many as changed, delete exactly the removed ones in
 * DeleteObjects requests of ≤ 1,000 keys (so at most one request per changed object), and send
 * no LIST, HEAD or GET; both buckets must end equal to the changed tree (key and MD5/ETag of
 * every object; s3rver's listing is the weak spot past ~20,000 keys, see DESIGN.md). rclone
 * (Debian's package) is installed with apt-get when missing; `--no-rclone` leaves out its syncs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { App } from '../../src/app.ts';
import { processFile, type FileReport } from '../../src/ingest/process.ts';
import { tmpDir } from '../helpers.ts';
import { listBucket, s3Overrides, sampleAppWith } from '../support/s3-app.ts';
import { startS3rver } from '../support/s3rver.ts';
import { S3Proxy, type RequestKind } from '../support/s3-proxy.ts';
import { BENCH_DIR, benchFileName, generate, isUpToDate, paramsFileOf, type GenerateParams } from './generate.ts';
import { makeChanges, type ChangeSet } from './s3-changes.ts';

const { values: args } = parseArgs({
  options: {
    docs: { type: 'string', default: '20000' },
    customers: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '20251130' },
    concurrency: { type: 'string', default: '16' },
    checksums: { type: 'string', default: 'default' },
    'no-rclone': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    // Internal: one vendre-pull phase in a child process.
    phase: { type: 'string' },
    mode: { type: 'string' },
    dir: { type: 'string' },
    endpoint: { type: 'string' },
    file: { type: 'string' },
  },
});
const DOCS = Number(args.docs);
const CONCURRENCY = Number(args.concurrency);
const LINES_PER_ORDER = 5;
const BUCKET_VP = 'bench-vp';
const BUCKET_RCLONE = 'bench-rclone';
/** Key prefix in both buckets (the S3 target's bucket prefix + the config's `prefix`). */
const KEY_PREFIX = 'bench/v1/';
const RESULT_MARK = 'BENCH_RESULT ';
const MiB = 1024 * 1024;

const T0 = performance.now();
function log(msg: string): void {
  process.stderr.write(`[${((performance.now() - T0) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);
}

// ---------------------------------------------------------------------------------------------
// The child: one processFile, measured

type ChildMode = 'daemon' | 'restore' | 'regenerate';

interface ChildResult {
  mode: ChildMode;
  wallMs: number;
  /** Opening the app and checking the target, before the timed part (not in wallMs). */
  openMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  maxRssMiB: number;
  outcome: string;
  records: number;
  written: number;
  deleted: number;
  failed: number;
  remaining: number;
  /** Wall time of apply / publish, and of the time target calls were in flight (see hookSteps). */
  steps: Array<[string, number]>;
  errors: string[];
  /** The local target's root (regenerate). */
  targetRoot?: string;
}

/**
 * Config overrides of every vendre-pull phase, S3 or local, so both render the same bytes. No PDF
 * patterns: the export has no PDFs, and an S3 target with `pdfs` needs signed PDF links.
 */
const COMMON = { publish: { concurrency: CONCURRENCY }, pdfs: [] };

const num = (o: unknown, k: string): number => Number((o as Record<string, unknown> | undefined)?.[k] ?? 0);

/**
 * Where processFile's time goes, from public seams only (the internals change): `apply` ends when
 * it first asks for the publish context (the file's records are in; planning or publishing
 * starts), `publish` is the rest. `busyMs` is the time with at least one target call (put,
 * putFile, delete) in flight: render and upload overlap when the publisher pipelines them.
 */
interface Hooks {
  publishAt?: number;
  busyMs: number;
}

function hookSteps(app: App): Hooks {
  const at: Hooks = { busyMs: 0 };
  const publishContext = app.publishContext.bind(app);
  app.publishContext = () => {
    at.publishAt ??= performance.now();
    return publishContext();
  };
  let inFlight = 0;
  let since = 0;
  const target = app.target as unknown as Record<string, unknown>;
  for (const name of ['put', 'putFile', 'delete']) {
    const fn = target[name];
    if (typeof fn !== 'function') continue;
    target[name] = async (...a: unknown[]) => {
      if (inFlight++ === 0) since = performance.now();
      try {
        return await (fn as (...x: unknown[]) => Promise<unknown>).apply(app.target, a);
      } finally {
        if (--inFlight === 0) at.busyMs += performance.now() - since;
      }
    };
  }
  return at;
}

function s3App(dir: string): App {
  const s3 = { maxAttempts: 5, requestTimeoutMs: 60000, checksums: args.checksums };
  return sampleAppWith(dir, { ...s3Overrides(args.endpoint!, BUCKET_VP, s3, 'bench'), ...COMMON });
}

async function childPhase(): Promise<void> {
  const mode = args.mode as ChildMode;
  const dir = args.dir!;
  let file = args.file!;
  let app: App;
  const tOpen = performance.now();
  if (mode === 'daemon' || mode === 'restore') {
    // The daemon is running: state open, target checked. The file then appears in the drop folder.
    app = s3App(dir);
    await app.target.check();
    if (mode === 'daemon') {
      mkdirSync(app.cfg.folders.drop, { recursive: true });
      const dropped = path.join(app.cfg.folders.drop, path.basename(file));
      copyFileSync(file, dropped);
      file = dropped;
    }
  } else if (mode === 'regenerate') {
    // The converter, loaded: a fresh state and a local target (opening them is not timed, as for the daemon).
    app = sampleAppWith(dir, COMMON);
    await app.target.check();
  } else {
    throw new Error(`--mode must be daemon, restore or regenerate, got ${mode}`);
  }
  const openMs = performance.now() - tOpen;
  const at = hookSteps(app);
  // The parent resets its request counts, then says go.
  process.stdout.write('READY\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.destroy();

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const report = await processFile(app, file, mode === 'daemon' ? { move: true, publish: true } : { move: false, reapply: true, publish: true });
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const targetRoot = (app.target as unknown as { root?: string }).root;
  app.close();

  const steps: Array<[string, number]> = [];
  const publishAt = at.publishAt ?? t1;
  steps.push(['apply', publishAt - t0], ['publish', t1 - publishAt], ['requests in flight', at.busyMs]);
  const loose = report as unknown as Record<string, unknown>;
  const result: ChildResult = {
    mode,
    wallMs: t1 - t0,
    openMs,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    maxRssMiB: (process.resourceUsage().maxRSS * 1024) / MiB,
    outcome: report.outcome,
    records: num(loose.result, 'records'),
    written: num(loose.publish, 'written'),
    deleted: num(loose.publish, 'deleted'),
    failed: num(loose.publish, 'failed'),
    remaining: num(loose.publish, 'remaining'),
    steps,
    errors: report.errors.slice(0, 3).map((e) => `${e.message} ${JSON.stringify(e.context)}`),
    targetRoot,
  };
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(result)}\n`);
}

// ---------------------------------------------------------------------------------------------
// The parent: server, proxy, phases, checks, table

type Counts = Record<RequestKind, number>;

interface Row {
  id: string;
  label: string;
  wallS: number;
  cpuUserS?: number;
  cpuSystemS?: number;
  rssMiB?: number;
  /** CPU time of the s3rver process during the phase. */
  serverCpuS?: number;
  requests?: Counts;
  child?: ChildResult;
}

/** The s3rver child of this process (test/support/s3rver.ts does not hand out its pid). */
function findS3rverPid(): number | undefined {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (cmd.includes('s3rver-child.cjs') && procStat(Number(d))?.ppid === process.pid) return Number(d);
    } catch {
      /* gone */
    }
  }
  return undefined;
}

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

function procStat(pid: number): { ppid: number; cpuS: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' '); // f[0] is field 3 (state)
    return { ppid: Number(f[1]), cpuS: (Number(f[11]) + Number(f[12])) / CLK_TCK };
  } catch {
    return undefined;
  }
}

class Server {
  private cpu0 = 0;
  constructor(
    readonly proxy: S3Proxy,
    private readonly pid: number | undefined,
  ) {}
  start(): void {
    this.proxy.resetCounts();
    this.cpu0 = this.pid ? (procStat(this.pid)?.cpuS ?? 0) : 0;
  }
  stop(): { requests: Counts; serverCpuS?: number } {
    const cpu = this.pid ? procStat(this.pid)?.cpuS : undefined;
    return { requests: { ...this.proxy.counts }, serverCpuS: cpu === undefined ? undefined : cpu - this.cpu0 };
  }
}

/** Runs this script with `--phase process` and the given options; the server's counters run from the child's READY to its exit. */
function runChild(server: Server, id: string, label: string, childArgs: string[]): Promise<Row> {
  log(`${label} …`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, '--phase', 'process', '--concurrency', String(CONCURRENCY), '--checksums', args.checksums!, ...childArgs], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    let started = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      if (!started && out.includes('READY\n')) {
        started = true;
        server.start();
        child.stdin.write('GO\n');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const stopped = server.stop();
      const line = out.split('\n').find((l) => l.startsWith(RESULT_MARK));
      if (code !== 0 || !line) return reject(new Error(`${label}: phase exited with ${code}\n${out}`));
      const c = JSON.parse(line.slice(RESULT_MARK.length)) as ChildResult;
      if (c.outcome !== 'ingested' || c.remaining > 0 || c.errors.length) return reject(new Error(`${label}: ${c.outcome}, ${c.remaining} left in the outbox; ${c.errors.join('; ')}`));
      resolve({ id, label, wallS: c.wallMs / 1000, cpuUserS: c.cpuUserMs / 1000, cpuSystemS: c.cpuSystemMs / 1000, rssMiB: c.maxRssMiB, ...stopped, child: c });
    });
  });
}

function ensureRclone(): string {
  const found = spawnSync('rclone', ['version'], { encoding: 'utf8' });
  if (found.status === 0) return found.stdout.split('\n')[0]!;
  log("rclone not found: installing Debian's package (apt-get update && apt-get install -y rclone)");
  for (const cmd of [['apt-get', 'update'], ['apt-get', 'install', '-y', 'rclone']]) {
    const r = spawnSync(cmd[0]!, cmd.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed (exit ${r.status}); install rclone or run with --no-rclone`);
  }
  return spawnSync('rclone', ['version'], { encoding: 'utf8' }).stdout.split('\n')[0]!;
}

const RCLONE_FLAGS = ['--checksum', '--fast-list', '--transfers', String(CONCURRENCY), '--checkers', String(CONCURRENCY), '--s3-no-check-bucket', '--s3-no-head', '--stats', '0', '--log-level', 'ERROR'];
const RCLONE_DEST = `bench:${BUCKET_RCLONE}/${KEY_PREFIX.slice(0, -1)}`;
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** `rclone sync SRC DEST FLAGS` under GNU time (CPU and peak RSS of rclone), timed and counted at the server. */
function rcloneSync(server: Server, id: string, label: string, src: string, env: NodeJS.ProcessEnv, work: string): Promise<Row> {
  log(`${label} …`);
  const timeFile = path.join(work, `${id}.time`);
  const cmd = ['rclone', 'sync', src, RCLONE_DEST, ...RCLONE_FLAGS];
  const argv = GNU_TIME ? [GNU_TIME, '-f', '%e %U %S %M', '-o', timeFile, ...cmd] : cmd;
  return new Promise((resolve, reject) => {
    server.start();
    const t0 = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallS = (performance.now() - t0) / 1000;
      const stopped = server.stop();
      if (code !== 0) return reject(new Error(`${label}: rclone exited with ${code}`));
      const row: Row = { id, label, wallS, ...stopped };
      if (GNU_TIME) {
        const [, user, sys, rssKiB] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
        Object.assign(row, { cpuUserS: user, cpuSystemS: sys, rssMiB: rssKiB! / 1024 });
      }
      resolve(row);
    });
  });
}

/** Every file under `root` as key → MD5 hex (what S3 reports as the ETag of a single-part upload). */
function treeMd5(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const key = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(dir, e.name), key);
      else out.set(key, createHash('md5').update(readFileSync(path.join(dir, e.name))).digest('hex'));
    }
  };
  walk(root, '');
  return out;
}

interface TreeDiff {
  before: number;
  after: number;
  changed: number;
  added: number;
  removed: number;
}

function diffTrees(a: Map<string, string>, b: Map<string, string>): TreeDiff {
  let changed = 0;
  let added = 0;
  let removed = 0;
  for (const [k, v] of b) {
    const old = a.get(k);
    if (old === undefined) added++;
    else if (old !== v) changed++;
  }
  for (const k of a.keys()) if (!b.has(k)) removed++;
  return { before: a.size, after: b.size, changed, added, removed };
}

/** A bucket listing (straight from s3rver) against a tree: keys missing, extra, with another ETag. */
async function compareBucket(client: Parameters<typeof listBucket>[0], bucket: string, tree: Map<string, string>): Promise<string | true> {
  let listed: Map<string, string>;
  try {
    listed = await listBucket(client, bucket, KEY_PREFIX);
  } catch (err) {
    return `listing failed: ${(err as Error).message}`;
  }
  const missing = [...tree.keys()].filter((k) => !listed.has(k));
  const extra = [...listed.keys()].filter((k) => !tree.has(k));
  const different = [...tree].filter(([k, md5]) => listed.has(k) && listed.get(k)!.replaceAll('"', '') !== md5).map(([k]) => k);
  if (!missing.length && !extra.length && !different.length) return true;
  const eg = [...missing, ...extra, ...different].slice(0, 3).join(', ');
  return `${missing.length} missing, ${extra.length} extra, ${different.length} different of ${tree.size} (listing ${listed.size}), e.g. ${eg}`;
}

const ZERO: Counts = { PUT: 0, GET: 0, HEAD: 0, LIST: 0, DELETE: 0, OTHER: 0 };

async function main(): Promise<void> {
  const rcloneVersion = args['no-rclone'] ? undefined : ensureRclone();
  const params: GenerateParams = { format: 'csv', lines: DOCS * LINES_PER_ORDER, customers: Number(args.customers), linesPerOrder: LINES_PER_ORDER, years: 3, seed: Number(args.seed) };
  // A folder of its own: generate.ts names files by line count only, and other benchmarks use other customer counts.
  const dataDir = path.join(BENCH_DIR, 's3');
  const base = path.join(dataDir, benchFileName(params));
  if (!isUpToDate(base, params)) {
    log(`generating ${base}`);
    await generate(params, dataDir);
  }
  const gen = (JSON.parse(readFileSync(paramsFileOf(base), 'utf8')) as { stats: { bytes: number; documents: number; cancelled: number; customersUsed: number } }).stats;
  const changes: ChangeSet = makeChanges(base);
  log(`changes: ${changes.changed} orders changed, ${changes.cancelled} cancelled; ${path.basename(changes.full)} (${changes.fullRows} rows), ${path.basename(changes.delta)} (${changes.deltaRows} rows)`);

  const work = tmpDir('vp-bench-s3');
  const dirs = { vp: path.join(work, 'vp'), treeBase: path.join(work, 'tree-base'), treeChanged: path.join(work, 'tree-changed') };
  const s3 = await startS3rver([BUCKET_VP, BUCKET_RCLONE]);
  const proxy = await new S3Proxy({ upstream: s3.url }).start();
  const server = new Server(proxy, findS3rverPid());
  const rows: Row[] = [];
  const checks: Array<{ ok: boolean; what: string }> = [];
  const check = (ok: boolean, what: string) => checks.push({ ok, what });
  let truth: TreeDiff | undefined;
  try {
    const vp = (id: string, label: string, mode: ChildMode, dir: string, file: string) =>
      runChild(server, id, label, ['--mode', mode, '--dir', dir, '--file', file, ...(mode === 'regenerate' ? [] : ['--endpoint', proxy.url])]);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      RCLONE_CONFIG: path.join(work, 'rclone.conf'),
      RCLONE_CONFIG_BENCH_TYPE: 's3',
      RCLONE_CONFIG_BENCH_PROVIDER: 'Other',
      RCLONE_CONFIG_BENCH_ENDPOINT: proxy.url,
      RCLONE_CONFIG_BENCH_ACCESS_KEY_ID: 'S3RVER',
      RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY: 'S3RVER',
      RCLONE_CONFIG_BENCH_REGION: 'us-east-1',
      RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE: 'true',
    };
    // rclone's AWS library fails on a CA bundle it cannot attach to its transport; the endpoint here is plain http on 127.0.0.1.
    delete env.AWS_CA_BUNDLE;

    // Before: the base export in both buckets.
    rows.push(await vp('first', 'vendre-pull: first publish, base export → bucket', 'daemon', dirs.vp, base));
    const regenBase = await vp('regen-base', 'converter: base tree (fresh state → local folder)', 'regenerate', dirs.treeBase, base);
    rows.push(regenBase);
    if (rcloneVersion) rows.push(await rcloneSync(server, 'rclone-first', 'rclone sync: base tree → empty bucket', regenBase.child!.targetRoot!, env, work));

    // After 1 % changed.
    rows.push(await vp('a-full', '(a) vendre-pull: changed FULL export → bucket', 'daemon', dirs.vp, changes.full));
    rows.push(await vp('restore', '    (restore: base export again, not compared)', 'restore', dirs.vp, base));
    rows.push(await vp('a-delta', '(a) vendre-pull: DELTA export → bucket', 'daemon', dirs.vp, changes.delta));
    const regenChanged = await vp('b1', '(b1) converter: whole tree from the changed full export', 'regenerate', dirs.treeChanged, changes.full);
    rows.push(regenChanged);
    if (rcloneVersion) rows.push(await rcloneSync(server, 'b2', '(b2) rclone sync --checksum --fast-list: tree → bucket', regenChanged.child!.targetRoot!, env, work));

    // What really changed: the two regenerated trees, file by file.
    log('comparing the trees …');
    const treeBefore = treeMd5(regenBase.child!.targetRoot!);
    const treeAfter = treeMd5(regenChanged.child!.targetRoot!);
    truth = diffTrees(treeBefore, treeAfter);
    const puts = truth.changed + truth.added;
    const byId = (id: string) => rows.find((r) => r.id === id);
    for (const id of ['a-full', 'a-delta']) {
      const r = byId(id)!;
      const q = r.requests ?? ZERO;
      const c = r.child!;
      check(q.PUT === c.written && c.written === puts, `${id}: PUT requests ${q.PUT} = objects written ${c.written} = objects that changed or are new ${puts}`);
      // Deletes go in DeleteObjects requests of up to 1,000 keys (one per publish batch at most): never more requests than objects.
      const minDeletes = Math.ceil(truth.removed / 1000);
      check(c.deleted === truth.removed && q.DELETE >= minDeletes && q.DELETE <= truth.removed, `${id}: objects deleted ${c.deleted} = objects removed ${truth.removed}, in ${q.DELETE} DeleteObjects request(s) (${minDeletes} to ${truth.removed})`);
      check(q.PUT + q.DELETE <= puts + truth.removed, `${id}: ${q.PUT + q.DELETE} requests in all for ${puts + truth.removed} changed objects (at most one per object)`);
      check(q.LIST === 0 && q.HEAD === 0 && q.GET === 0 && q.OTHER === 0, `${id}: LIST ${q.LIST}, HEAD ${q.HEAD}, GET ${q.GET}, other ${q.OTHER} (all must be 0)`);
    }
    const first = byId('first')!;
    check(first.child!.written === treeBefore.size && (first.requests ?? ZERO).PUT === treeBefore.size, `first publish: ${first.child!.written} objects written, ${(first.requests ?? ZERO).PUT} PUTs, base tree ${treeBefore.size} files`);
    const b2 = byId('b2');
    if (b2?.requests) check(b2.requests.PUT === puts && b2.requests.DELETE === truth.removed, `rclone: PUT ${b2.requests.PUT} (changed or new: ${puts}), DELETE ${b2.requests.DELETE} (removed: ${truth.removed})`);
    log('listing both buckets …');
    const vpBucket = await compareBucket(s3.client, BUCKET_VP, treeAfter);
    check(vpBucket === true, `bucket ${BUCKET_VP} = changed tree: ${vpBucket === true ? 'every key and ETag' : vpBucket}`);
    if (rcloneVersion) {
      const rcBucket = await compareBucket(s3.client, BUCKET_RCLONE, treeAfter);
      check(rcBucket === true, `bucket ${BUCKET_RCLONE} = changed tree: ${rcBucket === true ? 'every key and ETag' : rcBucket}`);
    }
  } finally {
    log(args.keep ? 'stopping s3rver …' : 'stopping s3rver, removing its files and the trees …');
    await proxy.close();
    await s3.close();
    if (args.keep) log(`kept: ${work}`);
    else rmSync(work, { recursive: true, force: true });
    log('done');
  }

  const by = (id: string) => rows.find((r) => r.id === id);
  const aFull = by('a-full')!;
  const aDelta = by('a-delta')!;
  const b1 = by('b1')!;
  const b2 = by('b2');
  const bS = b1.wallS + (b2?.wallS ?? 0);
  const ratio = (a: Row) => bS / a.wallS;
  const summary = {
    documents: gen.documents - gen.cancelled,
    customers: gen.customersUsed,
    exportBytes: gen.bytes,
    exportLines: params.lines,
    changes: { changed: changes.changed, cancelled: changes.cancelled, deltaRows: changes.deltaRows },
    objects: truth,
    concurrency: CONCURRENCY,
    checksums: args.checksums,
    rclone: rcloneVersion ?? null,
    rcloneCommand: rcloneVersion ? `rclone sync TREE ${RCLONE_DEST} ${RCLONE_FLAGS.join(' ')}` : null,
    b: { converterS: b1.wallS, rcloneS: b2?.wallS ?? null, totalS: bS },
    ratios: { full: ratio(aFull), delta: ratio(aDelta), rcloneOnlyFull: b2 ? b2.wallS / aFull.wallS : null, rcloneOnlyDelta: b2 ? b2.wallS / aDelta.wallS : null },
    checks,
    rows,
  };
  if (checks.some((c) => !c.ok)) process.exitCode = 1;
  if (args.json) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }

  const f1 = (n: number | undefined) => (n === undefined ? '–' : n.toFixed(1));
  const f2 = (n: number | undefined) => (n === undefined ? '–' : n.toFixed(2));
  const int = (n: number) => n.toLocaleString('en-US');
  const notes = (r: Row): string => {
    const c = r.child;
    if (!c) return '';
    const [apply, publish, busy] = c.steps.map(([, ms]) => (ms / 1000).toFixed(2));
    const steps = `apply ${apply} + publish ${publish} (requests in flight ${busy})`;
    return `${steps}; ${int(c.records)} records; ${int(c.written)} written, ${int(c.deleted)} deleted (untimed open ${(c.openMs / 1000).toFixed(2)})`;
  };
  const q = (r: Row, k: RequestKind) => (r.requests ? String(r.requests[k]) : '–');
  const target = (x: number) => (x >= 5 ? 'met' : 'NOT met');
  const out = [
    `${int(summary.documents)} orders of ${int(gen.customersUsed)} customers (${int(params.lines)} export lines, ${(gen.bytes / 1e6).toFixed(1)} MB); objects: ${truth ? `${int(truth.before)} before, ${int(truth.after)} after` : '?'}`,
    `1 % changed: ${changes.changed} orders changed + ${changes.cancelled} cancelled (${changes.deltaRows} rows) → ${truth ? `${truth.changed} objects changed, ${truth.added} new, ${truth.removed} removed` : '?'}`,
    `concurrency ${CONCURRENCY}; s3.checksums ${args.checksums}; ${rcloneVersion ?? 'rclone skipped'}; node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at the end`,
    '',
    '| phase | wall s | CPU user+sys s | peak RSS MiB | s3rver CPU s | PUT | DELETE | LIST | HEAD | GET | vendre-pull: steps (s), records, objects |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map((r) => `| ${r.label} | ${f2(r.wallS)} | ${f2(r.cpuUserS)}+${f2(r.cpuSystemS)} | ${f1(r.rssMiB)} | ${f1(r.serverCpuS)} | ${q(r, 'PUT')} | ${q(r, 'DELETE')} | ${q(r, 'LIST')} | ${q(r, 'HEAD')} | ${q(r, 'GET')} | ${notes(r)} |`),
    '',
    'End to end, changed export file → bucket up to date:',
    `  (a) vendre-pull, full export again  ${f2(aFull.wallS)} s`,
    `  (a) vendre-pull, delta export       ${f2(aDelta.wallS)} s`,
    `  (b) regenerate ${f2(b1.wallS)} s + rclone ${b2 ? f2(b2.wallS) : '(skipped)'} s = ${f2(bS)} s`,
    b2
      ? `  (b)/(a): full ${ratio(aFull).toFixed(1)}× (target ≥ 5×: ${target(ratio(aFull))}), delta ${ratio(aDelta).toFixed(1)}× (${target(ratio(aDelta))})`
      : `  (b1 only, rclone skipped)/(a): full ${ratio(aFull).toFixed(1)}×, delta ${ratio(aDelta).toFixed(1)}×`,
    b2 ? `  rclone sync alone / (a): full ${(b2.wallS / aFull.wallS).toFixed(1)}×, delta ${(b2.wallS / aDelta.wallS).toFixed(1)}×` : '',
    rcloneVersion ? `  rclone command: ${summary.rcloneCommand}` : '',
    '',
    'Checks:',
    ...checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.what}`),
    '',
  ];
  process.stdout.write(out.filter((l, i, a) => l !== '' || a[i - 1] !== '').join('\n'));
}

(args.phase === 'process' ? childPhase() : main()).catch((err) => {
  process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  process.exitCode = 1;
});
