/**
 * serve benchmark (issue 7): `vendre-pull serve` answering GETs of one order document with a bearer
 * token, 200 connections on loopback, next to a bare node:http static server serving the same file
 * from the same folder, in the same run.
 *
 *   node --import tsx test/bench/serve.ts [--seconds 10] [--warmup 2] [--connections 200] [--rounds 1]
 *        [--scenarios bare,serve,mem,gzip,304] [--pdf-mib 0] [--profile] [--keep] [--json]
 *   npm run bench:serve -- --seconds 10
 *
 * The published tree is made by the product itself: the bundled samples (samples/exports: CSV, XML
 * and PDFs) ingested with processFile into a temp state and local target, with the sample config's
 * paths moved there and its auth replaced by a random token from the environment plus a second,
 * hash-only token (a rotation in progress). The document asked for is the largest order document.
 *
 * Every server runs in its own child process, started fresh for each scenario; autocannon (the
 * programmatic API, one thread) runs in this process, so the load generator never shares an event
 * loop with a server, but it does share the machine's cores: its CPU time is reported beside the
 * server's, and the server's CPU time per request (from /proc, Linux) is the steadier figure on a
 * busy machine.
 *
 * Scenarios (each: a warm-up, then the measured run):
 *   bare   a bare node:http static server: fs.readFile of the file per request + Content-Type.
 *          No auth, no ETag, no gzip, no log: the least a static server does.
 *   mem    the same server answering from a Buffer read at start (no fs at all): context only.
 *   serve  `vendre-pull --config C serve --port 0` (src/cli.ts, as the CLI runs), Authorization:
 *          Bearer <token>; its pino access log goes to a file (one line per request, checked).
 *   gzip   serve with Accept-Encoding: gzip.
 *   304    serve with If-None-Match: the document's ETag (a revalidation).
 *   pdf    serve with a PDF of --pdf-mib MiB (published by the product from a generated file); only
 *          with --pdf-mib > 0, and with 20 connections: it measures streaming, not the request rate.
 *
 * `--profile` runs the first round's `bare` and `serve` servers under `node --cpu-prof` and prints
 * the top self-time functions of their main threads during the load (kept under .bench/ with --keep).
 * Figures on a shared machine are noisy: compare within one run, look at the CPU per request, and
 * use --rounds to repeat the whole set.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFile, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { contentTypeFor } from '../../src/publish/targets/objects.ts';
import { rawRequest, type RawResponse } from '../serve/http.ts';
import { BENCH_DIR, REPO_ROOT } from './generate.ts';
// The app (store, pipeline, AWS SDK, ...) is imported where the tree is made (prepareTree), so the
// bare server's child process loads little beyond node:http.

const SCRIPT = fileURLToPath(import.meta.url);
const CLI = path.join(REPO_ROOT, 'src/cli.ts');
const TOKEN_ENV = 'VENDRE_PULL_BENCH_TOKEN';
const READY = 'LISTENING ';

// autocannon ships no types; the part of its API used here.
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
  latency: { p50: number; p99: number; average: number; max: number };
  requests: { average: number; total: number; sent: number };
  throughput: { average: number };
}
type Autocannon = (opts: { url: string; connections: number; duration: number; headers?: Record<string, string>; pipelining?: number }) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

type ScenarioName = 'bare' | 'mem' | 'serve' | 'gzip' | '304' | 'pdf';
const ALL: readonly ScenarioName[] = ['bare', 'mem', 'serve', 'gzip', '304', 'pdf'];

interface Tree {
  dir: string;
  configFile: string;
  root: string;
  token: string;
  docKey: string;
  docBytes: number;
  pdfKey?: string;
  pdfBytes?: number;
}

interface Row {
  round: number;
  scenario: ScenarioName;
  label: string;
  connections: number;
  result: AutocannonResult;
  /** CPU seconds the server process used during the measured run (Linux /proc), else undefined. */
  serverCpu?: number;
  /** Peak resident set size of the server process (VmHWM, Linux), MiB. */
  serverPeakMiB?: number;
  /** CPU seconds this process (autocannon) used during the measured run. */
  loadCpu: number;
  /** The server's main-thread CPU profile (--profile). */
  profile?: string;
  /** When the load (warm-up + run) started and ended, µs on the monotonic clock (for the profile). */
  window: [number, number];
  /** Access-log lines the serve child wrote, and the requests of this run (probes, warm-up, run): answered, sent. */
  accessLog?: { lines: number; responses: number; sent: number };
}

const say = (s = ''): void => void process.stdout.write(`${s}\n`);
const note = (s: string): void => void process.stderr.write(`${s}\n`);

// ---------------------------------------------------------------------------------------------
// The published tree, made by the product

async function prepareTree(pdfMiB: number): Promise<Tree> {
  const [{ openApp }, { parseConfig }, { createLogger }, { processFile }, { localApp }, { ingestSamples, readTree, sampleConfigFile }] = await Promise.all([
    import('../../src/app.ts'),
    import('../../src/config/load.ts'),
    import('../../src/ops/log.ts'),
    import('../../src/ingest/process.ts'),
    import('../helpers.ts'),
    import('../support/s3-app.ts'),
  ]);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vp-bench-serve-'));
  try {
    const token = randomBytes(24).toString('base64url');
    const previous = createHash('sha256').update(randomBytes(24).toString('base64url')).digest('hex');
    const configFile = sampleConfigFile(dir, {
      auth: { tokens: [{ env: TOKEN_ENV }, { sha256: previous }] },
      serve: { host: '127.0.0.1', port: 0, printCurl: false },
    });
    const app = localApp(openApp(parseConfig(readFileSync(configFile, 'utf8'), configFile), createLogger({ level: 'silent', pretty: false })));
    try {
      await app.target.check();
      for (const r of await ingestSamples(app)) if (r.outcome !== 'ingested') throw new Error(`${r.file}: ${r.outcome} ${r.errors.map((e) => e.message).join('; ')}`);
      const root = app.target.root;
      // Order documents, largest first (then by key): the first is the one asked for.
      const orders = [...readTree(root).keys()]
        .filter((k) => /^customers\/[^/]+\/orders\/[^/]+\.json$/.test(k))
        .map((k) => ({ key: k, bytes: readFileSync(path.join(root, k)).length }))
        .sort((a, b) => b.bytes - a.bytes || (a.key < b.key ? -1 : 1));
      const doc = orders[0]!;
      let pdfKey: string | undefined;
      if (pdfMiB > 0) {
        // A large PDF for another order that has none yet (so the measured document stays as it is):
        // a generated file named as the sample config's `order_{id}.pdf` pattern wants, published by
        // processFile like any PDF in the drop folder.
        const other = orders.find((o) => o !== doc && !existsSync(path.join(root, o.key.replace(/\.json$/, '.pdf'))))!;
        const file = path.join(dir, `order_${path.basename(other.key, '.json')}.pdf`);
        const body = Buffer.alloc(Math.round(pdfMiB * 1024 * 1024), 0x20);
        body.write('%PDF-1.4\n', 0, 'latin1');
        writeFileSync(file, body);
        const r = await processFile(app, file, { move: false, reapply: true, publish: true });
        pdfKey = other.key.replace(/\.json$/, '.pdf');
        if (r.outcome !== 'ingested' || !existsSync(path.join(root, pdfKey))) throw new Error(`${file}: ${r.outcome}, ${pdfKey} not published`);
      }
      return { dir, configFile, root, token, docKey: doc.key, docBytes: doc.bytes, ...(pdfKey ? { pdfKey, pdfBytes: statSync(path.join(root, pdfKey)).size } : {}) };
    } finally {
      app.close();
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Child processes

/** The loader flags this process runs with (`--import tsx`), without profiler flags. */
function loaderArgs(): string[] {
  return process.execArgv.filter((a) => !a.startsWith('--cpu-prof') && !a.startsWith('--heap-prof'));
}

function profilerArgs(dir: string | undefined): string[] {
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

interface Child {
  proc: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

function exited(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', () => resolve())));
}

/** The bare static server: this script with `--child bare|mem`; prints its URL on stdout. */
function startBare(tree: Tree, mode: 'bare' | 'mem', profileDir?: string): Promise<Child> {
  const proc = spawn(process.execPath, [...loaderArgs(), ...profilerArgs(profileDir), SCRIPT, '--child', mode, '--root', tree.root, '--key', tree.docKey], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout!.setEncoding('utf8');
    proc.stdout!.on('data', (d: string) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith(READY));
      if (line) {
        proc.stdout!.removeAllListeners('data');
        proc.stdout!.resume();
        resolve({ proc, url: line.slice(READY.length).trim(), stop: async () => void (proc.kill('SIGTERM'), await exited(proc)) });
      }
    });
    proc.once('exit', (code) => reject(new Error(`bare server exited (${code}) before listening`)));
  });
}

/**
 * `vendre-pull serve` as the CLI runs it, its stdout (the pino log, JSON lines, sync writes as on
 * any non-terminal) into a file. The URL comes from its "serving the Pull API" line.
 */
async function startServe(tree: Tree, logFile: string, profileDir?: string): Promise<Child> {
  const fd = openSync(logFile, 'w');
  const args = [...loaderArgs(), ...profilerArgs(profileDir), CLI, '--config', tree.configFile, 'serve', '--port', '0'];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', fd, 'pipe'], env: { ...process.env, [TOKEN_ENV]: tree.token } });
  closeSync(fd);
  let err = '';
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (d: string) => (err += d));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`serve exited (${proc.exitCode}) before listening\n${err}`);
    const line = readFileSync(logFile, 'utf8')
      .split('\n')
      .find((l) => l.includes('"serving the Pull API"'));
    if (line) {
      const url = (JSON.parse(line) as { url: string }).url;
      // SIGINT is what Ctrl-C sends: serve closes and exits, and --cpu-prof writes its profile.
      return { proc, url, stop: async () => void (proc.kill('SIGINT'), await exited(proc)) };
    }
    if (Date.now() > deadline) throw new Error(`serve did not start in 30 s\n${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The bare server itself (in a child). */
function runBareChild(mode: 'bare' | 'mem', root: string, key: string): void {
  const type = contentTypeFor(key);
  const preloaded = readFileSync(path.join(root, key));
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    // URL /v1/customers/… → <target>/v1/customers/…: the served folder is the target's parent.
    const rel = decodeURIComponent(q < 0 ? url : url.slice(0, q));
    if (mode === 'mem') {
      res.writeHead(200, { 'content-type': type, 'content-length': preloaded.length });
      res.end(preloaded);
      return;
    }
    const file = path.join(path.dirname(root), path.normalize(rel));
    if (!file.startsWith(path.dirname(root) + path.sep)) {
      res.writeHead(404).end();
      return;
    }
    readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': contentTypeFor(file), 'content-length': body.length });
      res.end(body);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.stdout.write(`${READY}http://127.0.0.1:${port}\n`);
  });
  process.on('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
  });
}

// ---------------------------------------------------------------------------------------------
// CPU time of a child (Linux)

let ticksPerSecond: number | undefined;
function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of the file (utime, stime) are 11 and 12 after the command name.
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

function peakRssMiBOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Scenarios

interface Plan {
  label: string;
  path: string;
  headers: Record<string, string>;
  connections: number;
  start(logFile: string, profileDir?: string): Promise<Child>;
  serve: boolean;
}

/** One GET with exactly these headers (fetch would add Accept-Encoding and get the gzip ETag). */
function get(url: string, headers: Record<string, string>): Promise<RawResponse> {
  const u = new URL(url);
  return rawRequest(u.origin, 'GET', u.pathname + u.search, headers);
}

async function etagOf(url: string, headers: Record<string, string>): Promise<string> {
  const res = await get(url, headers);
  const etag = res.headers.etag;
  if (res.status !== 200 || !etag) throw new Error(`GET ${url}: ${res.status}, no ETag`);
  return etag;
}

function planOf(s: ScenarioName, tree: Tree, connections: number): Plan {
  const auth = { authorization: `Bearer ${tree.token}` };
  const doc = `/v1/${tree.docKey}`;
  switch (s) {
    case 'bare':
      return { label: 'bare node:http, readFile per request', path: doc, headers: auth, connections, start: (_f, p) => startBare(tree, 'bare', p), serve: false };
    case 'mem':
      return { label: 'bare node:http, Buffer in memory (no fs)', path: doc, headers: auth, connections, start: () => startBare(tree, 'mem'), serve: false };
    case 'serve':
      return { label: 'vendre-pull serve, bearer', path: doc, headers: auth, connections, start: (f, p) => startServe(tree, f, p), serve: true };
    case 'gzip':
      return { label: 'vendre-pull serve, bearer + gzip', path: doc, headers: { ...auth, 'accept-encoding': 'gzip' }, connections, start: (f) => startServe(tree, f), serve: true };
    case '304':
      return { label: 'vendre-pull serve, bearer + If-None-Match → 304', path: doc, headers: auth, connections, start: (f) => startServe(tree, f), serve: true };
    case 'pdf':
      return { label: `vendre-pull serve, bearer, PDF ${((tree.pdfBytes ?? 0) / 1048576).toFixed(1)} MiB`, path: `/v1/${tree.pdfKey}`, headers: auth, connections: Math.min(connections, 20), start: (f) => startServe(tree, f), serve: true };
  }
}

async function runScenario(round: number, s: ScenarioName, tree: Tree, o: { seconds: number; warmup: number; connections: number; profileDir?: string }): Promise<Row> {
  const plan = planOf(s, tree, o.connections);
  const logFile = path.join(tree.dir, `access-${s}-${round}.log`);
  // The first round's bare and serve servers run under the profiler, each into a folder of its own.
  const profileDir = o.profileDir && round === 1 && (s === 'bare' || s === 'serve') ? path.join(o.profileDir, s) : undefined;
  const child = await plan.start(logFile, profileDir);
  try {
    const url = `${child.url}${plan.path}`;
    let headers = plan.headers;
    if (s === '304') headers = { ...headers, 'if-none-match': await etagOf(url, headers) };
    // A request to check the answer before loading it.
    const probe = await get(url, headers);
    const expected = s === '304' ? 304 : 200;
    if (probe.status !== expected) throw new Error(`${plan.label}: GET ${plan.path} answered ${probe.status}, expected ${expected}`);
    if (expected === 200) {
      // Every server answers with the published bytes.
      const file = readFileSync(path.join(tree.root, plan.path.slice('/v1/'.length)));
      const body = probe.headers['content-encoding'] === 'gzip' ? gunzipSync(probe.body) : probe.body;
      if (!body.equals(file)) throw new Error(`${plan.label}: GET ${plan.path} answered other bytes than the published file`);
      if (s === 'gzip' && probe.headers['content-encoding'] !== 'gzip') throw new Error(`${plan.label}: not gzipped`);
    }
    let responses = s === '304' ? 2 : 1;
    let sent = responses;
    const loadStart = Number(process.hrtime.bigint() / 1000n);
    if (o.warmup > 0) {
      const w = await autocannon({ url, connections: plan.connections, duration: o.warmup, headers });
      responses += w.requests.total;
      sent += w.requests.sent;
    }
    const cpu0 = cpuSecondsOf(child.proc.pid);
    const load0 = process.cpuUsage();
    const result = await autocannon({ url, connections: plan.connections, duration: o.seconds, headers });
    const load = process.cpuUsage(load0);
    const cpu1 = cpuSecondsOf(child.proc.pid);
    const loadEnd = Number(process.hrtime.bigint() / 1000n);
    const peak = peakRssMiBOf(child.proc.pid);
    responses += result.requests.total;
    sent += result.requests.sent;
    await child.stop();
    const row: Row = { round, scenario: s, label: plan.label, connections: plan.connections, result, loadCpu: (load.user + load.system) / 1e6, window: [loadStart, loadEnd] };
    if (cpu0 !== undefined && cpu1 !== undefined) row.serverCpu = cpu1 - cpu0;
    if (peak !== undefined) row.serverPeakMiB = peak;
    if (plan.serve) {
      const lines = readFileSync(logFile, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"msg":"request"')).length;
      row.accessLog = { lines, responses, sent };
    }
    if (profileDir) {
      // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread (tsx's loader has its own).
      const main = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile') && f.split('.')[4] === '0');
      if (main) row.profile = path.join(profileDir, main);
    }
    return row;
  } finally {
    await child.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Output

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => n.toFixed(n < 10 ? 1 : 0);
const mbps = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB/s`;

function table(head: string[], rows: string[][], right: boolean[]): string {
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => r.map((c, i) => (right[i] ? c.padStart(width[i]!) : c.padEnd(width[i]!))).join('  ').trimEnd();
  return [fmt(head), width.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

function statusOf(r: AutocannonResult, s: ScenarioName): string {
  const bad = s === '304' ? r['2xx'] + r['4xx'] + r['5xx'] : r.non2xx;
  return `${int(r.errors + r.timeouts)}/${int(bad)}`;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * Self time per function and per area of a .cpuprofile, idle excluded, counting only the samples
 * taken inside `window` (µs on the monotonic clock, which V8's profile and process.hrtime share):
 * the load, not the start-up.
 */
function summariseProfile(file: string, window: [number, number], label: string, top = 30): string {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n.callFrame]));
  const fn = new Map<string, number>();
  const area = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let t = prof.startTime;
  prof.samples.forEach((id, i) => {
    t += prof.timeDeltas[i] ?? 0;
    const us = prof.timeDeltas[i + 1] ?? 0;
    const f = byId.get(id);
    if (!f || t < window[0] || t > window[1]) return;
    if (f.functionName === '(idle)') return void (idle += us);
    total += us;
    const where = f.url.startsWith('file://') ? path.relative(REPO_ROOT, fileURLToPath(f.url)) : f.url;
    const key = `${f.functionName || '(anonymous)'}  ${where}${where && !where.endsWith('.ts') ? `:${f.lineNumber + 1}` : ''}`.trim();
    fn.set(key, (fn.get(key) ?? 0) + us);
    const nm = where.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const a = !f.url ? (f.functionName.startsWith('(') ? f.functionName : `native ${f.functionName || '(anonymous)'}`) : nm ? `npm ${nm[1]}` : where.startsWith('node:') ? 'node internals' : where;
    area.set(a, (area.get(a) ?? 0) + us);
  });
  const rows = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => [(us / 1e6).toFixed(2), `${((100 * us) / total).toFixed(1)} %`, k]);
  return [
    `CPU profile, ${label}: main thread during the load (warm-up + run), ${(total / 1e6).toFixed(2)} s busy, ${(idle / 1e6).toFixed(2)} s idle`,
    '',
    table(['self s', 'share', 'function  location'], rows(fn, top), [true, true, false]),
    '',
    table(['self s', 'share', 'area'], rows(area, 15), [true, true, false]),
  ].join('\n');
}

async function orchestrate(v: Record<string, string | boolean | undefined>): Promise<void> {
  const seconds = Number(v.seconds ?? 10);
  const warmup = Number(v.warmup ?? 2);
  const connections = Number(v.connections ?? 200);
  const rounds = Number(v.rounds ?? 1);
  const pdfMiB = Number(v['pdf-mib'] ?? 0);
  const wanted = String(v.scenarios ?? 'bare,serve,mem,gzip,304').split(',').map((s) => s.trim()) as ScenarioName[];
  for (const s of wanted) if (!ALL.includes(s)) throw new Error(`--scenarios: unknown "${s}" (one of ${ALL.join(', ')})`);
  if (wanted.includes('pdf') && !(pdfMiB > 0)) throw new Error('the pdf scenario needs --pdf-mib > 0');
  if (!(seconds > 0) || !(warmup >= 0) || !(connections > 0) || !(rounds >= 1)) throw new Error('--seconds, --connections, --rounds must be positive, --warmup >= 0');

  note('publishing the samples into a temp state and target ...');
  const tree = await prepareTree(pdfMiB);
  const profileDir = v.profile ? path.join(tree.dir, 'cpu-profile') : undefined;
  const rows: Row[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const s of wanted) {
        note(`  round ${round}: ${s} (${warmup} s warm-up + ${seconds} s) ...`);
        rows.push(await runScenario(round, s, tree, { seconds, warmup, connections, ...(profileDir ? { profileDir } : {}) }));
      }
    }
    if (v.json) say(JSON.stringify({ tree: { docKey: tree.docKey, docBytes: tree.docBytes, pdfKey: tree.pdfKey, pdfBytes: tree.pdfBytes }, rows }, null, 2));

    const cpus = os.cpus();
    say('');
    say(`vendre-pull serve benchmark: GET /v1/${tree.docKey} (${int(tree.docBytes)} bytes), ${connections} connections, ${warmup} s warm-up + ${seconds} s per server, loopback`);
    say(`  node ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model ?? '?'}), ${os.platform()} ${os.arch()}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    say(`  each server in its own child process; autocannon ${createRequire(import.meta.url)('autocannon/package.json').version} in this one, on the same ${cpus.length} cores (its CPU: "load cpu")`);
    say('');
    const right = [false, false, true, true, true, true, true, true, true, true, true];
    const head = ['round', 'server', 'req/s', 'p50 ms', 'p99 ms', 'err/bad', 'throughput', 'server cpu', 'µs cpu/req', 'peak RSS', 'load cpu'];
    const label = (r: Row) => r.label + (r.connections !== connections ? ` (${r.connections} conn.)` : '');
    const cpuPerRequest = (r: Row) => (r.serverCpu === undefined ? undefined : (r.serverCpu * 1e6) / Math.max(1, r.result.requests.total));
    say(
      table(
        head,
        rows.map((r) => [
          String(r.round),
          label(r),
          int(r.result.requests.average),
          ms(r.result.latency.p50),
          ms(r.result.latency.p99),
          statusOf(r.result, r.scenario),
          mbps(r.result.throughput.average),
          r.serverCpu === undefined ? '-' : `${r.serverCpu.toFixed(1)} s`,
          r.serverCpu === undefined ? '-' : int(cpuPerRequest(r)!),
          r.serverPeakMiB === undefined ? '-' : `${r.serverPeakMiB.toFixed(0)} MiB`,
          `${r.loadCpu.toFixed(1)} s`,
        ]),
        right,
      ),
    );
    say('');
    say('err/bad: connection errors + timeouts / responses with another status than expected (200; 304 for the 304 row).');
    const ratios: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const of = (s: ScenarioName) => rows.find((r) => r.round === round && r.scenario === s);
      const bare = of('bare');
      const serve = of('serve');
      if (bare && serve) {
        const ratio = serve.result.requests.average / bare.result.requests.average;
        ratios.push(ratio);
        say(`round ${round}: serve/bare throughput ${(100 * ratio).toFixed(0)} % (target: at least 70 %); p99 ${ms(serve.result.latency.p99)} ms vs ${ms(bare.result.latency.p99)} ms`);
      }
    }
    if (rounds > 1) {
      // Medians over the rounds: each round ran every server once, in turn, so the machine's other
      // load falls on all of them alike over a run.
      const med = (xs: number[]) => {
        const o = [...xs].sort((a, b) => a - b);
        const m = o.length >> 1;
        return o.length % 2 ? o[m]! : (o[m - 1]! + o[m]!) / 2;
      };
      say('');
      say(`median over ${rounds} rounds (err/bad: sums):`);
      say(
        table(
          head.slice(1, 7).concat(['µs cpu/req']),
          wanted.map((sc) => {
            const rs = rows.filter((r) => r.scenario === sc);
            const cpu = rs.map(cpuPerRequest).filter((c): c is number => c !== undefined);
            const sum = (f: (r: AutocannonResult) => number) => int(rs.reduce((n, r) => n + f(r.result), 0));
            const bad = sum((r) => (sc === '304' ? r['2xx'] + r['4xx'] + r['5xx'] : r.non2xx));
            return [
              label(rs[0]!),
              int(med(rs.map((r) => r.result.requests.average))),
              ms(med(rs.map((r) => r.result.latency.p50))),
              ms(med(rs.map((r) => r.result.latency.p99))),
              `${sum((r) => r.errors + r.timeouts)}/${bad}`,
              mbps(med(rs.map((r) => r.result.throughput.average))),
              cpu.length ? int(med(cpu)) : '-',
            ];
          }),
          right.slice(1, 8),
        ),
      );
      if (ratios.length) say(`serve/bare throughput: median ${(100 * med(ratios)).toFixed(0)} % of ${ratios.length} rounds (${ratios.map((r) => `${(100 * r).toFixed(0)} %`).join(', ')}); target: at least 70 %`);
    }
    // Complete: a line for every answered request, and none for a request never sent (autocannon
    // stops with requests in flight, which the server may still answer and log).
    for (const r of rows) {
      const a = r.accessLog;
      if (a && (a.lines < a.responses || a.lines > a.sent)) say(`! ${r.scenario} round ${r.round}: the access log has ${int(a.lines)} request lines for ${int(a.responses)} responses (${int(a.sent)} requests sent)`);
    }
    const logged = wanted.filter((sc) => rows.some((r) => r.scenario === sc && r.accessLog));
    const total = (sc: ScenarioName, f: (a: NonNullable<Row['accessLog']>) => number) => int(rows.reduce((n, r) => n + (r.scenario === sc && r.accessLog ? f(r.accessLog) : 0), 0));
    if (logged.length) say(`access log, lines / responses / requests sent: ${logged.map((sc) => `${sc} ${total(sc, (a) => a.lines)} / ${total(sc, (a) => a.responses)} / ${total(sc, (a) => a.sent)}`).join(', ')}`);

    for (const r of rows.filter((x) => x.profile)) {
      say('');
      say(summariseProfile(r.profile!, r.window, r.label));
      if (v.keep) {
        mkdirSync(BENCH_DIR, { recursive: true });
        const kept = path.join(BENCH_DIR, `serve-bench-${r.scenario}.cpuprofile`);
        renameSync(r.profile!, kept);
        say(`profile kept: ${path.relative(REPO_ROOT, kept)}`);
      }
    }
  } finally {
    if (v.keep) say(`state, target and access logs kept in ${tree.dir}`);
    else rmSync(tree.dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      rounds: { type: 'string' },
      scenarios: { type: 'string' },
      'pdf-mib': { type: 'string' },
      profile: { type: 'boolean' },
      keep: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      // Internal: the bare server in a child process.
      child: { type: 'string' },
      root: { type: 'string' },
      key: { type: 'string' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${readFileSync(SCRIPT, 'utf8').match(/\/\*\*([\s\S]*?)\*\//)?.[1]?.replace(/^ \* ?/gm, '') ?? ''}\n`);
    return;
  }
  if (values.child === 'bare' || values.child === 'mem') {
    if (!values.root || !values.key) throw new Error('--child needs --root and --key');
    return runBareChild(values.child, values.root, values.key);
  }
  await orchestrate(values);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  });
}
