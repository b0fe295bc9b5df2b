/**
 * Ingest benchmark: one generated export (see generate.ts) through vendre-pull, against the floor
 * of what parsing that file costs at all.
 *
 *   node --import tsx test/bench/ingest.ts [--lines 1000000] [--customers 20000] [--lines-per-order 5]
 *        [--years 3] [--seed 20251130] [--format csv|xml] [--quick] [--phases floor,ingest,...] [--profile] [--keep]
 *        [--regenerate] [--json] [--articles 100000] [--price-groups 500]
 *
 * The file goes to `.bench/` at the repo root (gitignored) and is reused when it is already there
 * with the same parameters. Each phase runs in its own child process (this script with `--phase`),
 * so its peak RSS (`process.resourceUsage().maxRSS`) is its own and no phase warms or litters the
 * heap of the next. The file is read once before the phases so every phase finds it in the page cache.
 *
 * Phases:
 *   floor         bare csv-parse, `columns: true`, after iconv-lite decoding: the least any CSV ingest pays.
 *                 XML: streaming UTF-8 decode + naive indexOf cut at the record tag + one fast-xml-parser
 *                 .parse per record chunk to a plain object; no validation, flattening or line numbers
 *                 (xml-floor.ts says exactly what it leaves out).
 *   floor-arrays  the same with `columns: false` (what vendre-pull's reader asks csv-parse for).   [not with --quick]
 *   read          vendre-pull's reader alone (readRecords: decode, parse, field maps, line numbers). [not with --quick]
 *   map           reader + the feed's mapper (numbers, dates, countries), no store.             [not with --quick]
 *   ingest        processFile(app, file, {move: false, reapply: true, publish: true}) into a fresh temp
 *                 state and target (the sample config's paths moved there), as `vendre-pull ingest FILE`
 *                 does; split into apply / plan+commit / drain (or apply / publish before the outbox
 *                 design) by hooks on app.publishContext and store.nextOutbox. Objects written are
 *                 counted at target.put.
 *   reingest      the same file again, in a new process on the same state: must write 0 objects.
 *   floor-write   the other floor: the files the ingest wrote (same folders, same sizes), written again into a
 *                 fresh folder the way any atomic writer must (temp file + rename, each folder made once,
 *                 16 at a time), with no reading, mapping, storing or rendering. What a target of one file
 *                 per document costs at least, next to the parser's floor.
 *   delta         a file with ONE changed order (the file's first document, its reference edited: it shows in
 *                 the document and in its customer's list pages), in a new process on the same state: the
 *                 time from the file to the target, and the keys written (its document and the list pages
 *                 that show it, nothing else).
 *   stock         issue 17's stock export (generate-exports.ts: lagersaldo, `--articles` articles in a few
 *                 warehouses) through processFile, into the ingest phase's state when it ran, else a fresh one.
 *   restock       the same stock export again: must write 0 objects.
 *   customers     the customer register with the price groups (`--customers`, `--price-groups`).
 *   prices        the price list: list, group and customer prices, quantity breaks, validity.
 *   compute       serve on that state, in the phase's process: median/p99 of 500 sequential requests of
 *                 /v1/prices?customer_no=…&articles=<50> and /v1/stock?articles=<50>.
 *                 These five are not in --quick; `--phases stock` is stock,restock,compute and
 *                 `--phases prices` customers,prices,compute.
 *
 * `--profile` runs the ingest phase under `node --cpu-prof`, prints the top self-time functions and
 * areas, and deletes the profile (kept under .bench/ with --keep). `--phase NAME --file F --dir D`
 * runs one phase in this process (what the children do; handy for a profiler of your own).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, mkdirSync, openSync, readSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { mkdir as mkdirCallback, rename as renameCallback, writeFile as writeFileCallback } from 'node:fs';
import { promisify } from 'node:util';
import { parse as parseCsv } from 'csv-parse';
import pLimit from 'p-limit';
import iconv from 'iconv-lite';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { openApp } from '../../src/app.ts';
import type { Config, FeedConfig } from '../../src/config/types.ts';
import { parseConfig } from '../../src/config/load.ts';
import { DataError } from '../../src/errors.ts';
import { feedFor } from '../../src/inbox/names.ts';
import { createLogger } from '../../src/ops/log.ts';
import { createMapper } from '../../src/mapping/map.ts';
import { processFile, type FileReport } from '../../src/ingest/process.ts';
import { readRecords } from '../../src/readers/index.ts';
import { startServeFor } from '../../src/serve/start.ts';
import { xmlFloor } from './xml-floor.ts';
import { EXPORT_OPTIONS, exportParamsFrom, generateExports, readExportStats, type ExportStats } from './generate-exports.ts';
import { BENCH_DIR, REPO_ROOT, benchFileName, generate, isUpToDate, PARAM_OPTIONS, paramsFileOf, paramsFromArgs } from './generate.ts';

const SCRIPT = fileURLToPath(import.meta.url);
const mkdirP = promisify(mkdirCallback);
const writeFileP = promisify(writeFileCallback);
const renameP = promisify(renameCallback);
const SAMPLE_CONFIG = path.join(REPO_ROOT, 'samples/vendre-pull.yaml');
const RESULT_MARK = 'BENCH_RESULT ';

type PhaseName = 'floor' | 'floor-arrays' | 'read' | 'map' | 'ingest' | 'reingest' | 'delta' | 'floor-write' | ExtPhase;
/** Issue 17's exports (generate-exports.ts), ingested into the state the phases before them left. */
type ExtPhase = 'stock' | 'restock' | 'customers' | 'prices' | 'compute';
const EXT_PHASES: readonly ExtPhase[] = ['stock', 'restock', 'customers', 'prices', 'compute'];
const isExt = (ph: string): boolean => (EXT_PHASES as readonly string[]).includes(ph);
const PHASES: readonly PhaseName[] = ['floor', 'floor-arrays', 'read', 'map', 'ingest', 'reingest', 'delta', 'floor-write', ...EXT_PHASES];
/** `--phases stock,prices`: the names stand for their groups. */
const PHASE_GROUPS: Record<string, readonly PhaseName[]> = { stock: ['stock', 'restock', 'compute'], prices: ['customers', 'prices', 'compute'] };

interface PhaseResult {
  phase: PhaseName;
  /** Records (data rows / record elements) the phase went through. */
  records: number;
  ms: number;
  /** Peak resident set size of the phase's process, MiB. */
  maxRssMiB: number;
  /** Highest RSS seen by a 50 ms sampler during the timed part (a blocked event loop can miss peaks). */
  sampledRssMiB: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  errors?: number;
  firstErrors?: string[];
  ingest?: IngestDetail;
  compute?: ComputeDetail;
}

/** Latencies of N sequential GETs of one compute-path URL over serve (keep-alive, loopback). */
interface ComputeDetail {
  calls: Array<{ label: string; path: string; n: number; medianMs: number; p99Ms: number; items: number; found: number; status: number; bytes: number }>;
}

/**
 * What one processFile did. The report's shape follows the publish design of the day (it changed
 * from render-and-write to plan-into-outbox-then-drain while this benchmark was written), so its
 * parts are kept as plain counters (numbers; arrays as their length) and the benchmark's own
 * figures come from hooks that do not depend on that shape: target.put/delete calls, and the
 * moments the publish context and the outbox are first asked for.
 */
interface IngestDetail {
  outcome: string;
  /** Wall time of each step, in order: apply (with commit), publish. */
  steps: Array<[string, number]>;
  result: Record<string, number>;
  plan: Record<string, number>;
  publish: Record<string, number>;
  puts: number;
  deletes: number;
  /** The first keys written (all of them for a small delta). */
  written: string[];
  bytesWritten: number;
  targetRoot: string;
  state: string;
  /** Filled in by the orchestrator after the phase (the walk is not part of the measured process). */
  targetFiles?: number;
  targetBytes?: number;
  stateBytes?: number;
}

// ---------------------------------------------------------------------------------------------
// The app: the bundled sample config with every path in a temp folder (as test/e2e's sampleApp).

function benchConfig(dir: string): Readonly<Config> {
  const raw = parseYaml(readFileSync(SAMPLE_CONFIG, 'utf8')) as Record<string, unknown>;
  Object.assign(raw, { state: 'state.db', target: 'public', folders: { drop: 'inbox', archive: 'archive', quarantine: 'quarantine' } });
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'vendre-pull.yaml');
  writeFileSync(file, stringifyYaml(raw));
  return parseConfig(readFileSync(file, 'utf8'), file);
}

function feedOf(cfg: Readonly<Config>, file: string): FeedConfig {
  const feed = feedFor(path.basename(file), cfg.feeds);
  if (!feed) throw new Error(`no feed of ${SAMPLE_CONFIG} matches ${path.basename(file)}`);
  return feed;
}

// ---------------------------------------------------------------------------------------------
// One phase, in this process

const MiB = 1024 * 1024;

async function measure(phase: PhaseName, body: () => Promise<Omit<PhaseResult, 'phase' | 'ms' | 'maxRssMiB' | 'sampledRssMiB' | 'cpuUserMs' | 'cpuSystemMs'>>): Promise<PhaseResult> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  sampler.unref();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const out = await body();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    peak = Math.max(peak, process.memoryUsage.rss());
    return {
      phase,
      ms,
      maxRssMiB: (process.resourceUsage().maxRSS * 1024) / MiB,
      sampledRssMiB: peak / MiB,
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      ...out,
    };
  } finally {
    clearInterval(sampler);
  }
}

async function floor(file: string, feed: FeedConfig, columns: boolean): Promise<number> {
  if (feed.format === 'xml' && columns) return xmlFloor(file, feed);
  if (feed.format !== 'csv') throw new Error('the csv-parse floor applies to CSV feeds only');
  const parser = parseCsv({ delimiter: feed.delimiter, columns, bom: true });
  const rows = pipeline(createReadStream(file), iconv.decodeStream(feed.encoding), parser, () => {
    /* errors surface in the loop */
  });
  let n = 0;
  for await (const _ of rows) n++;
  return n;
}

function walk(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      const sub = walk(p);
      files += sub.files;
      bytes += sub.bytes;
    } else {
      files++;
      bytes += statSync(p).size;
    }
  }
  return { files, bytes };
}

/** Numeric fields of a report part; arrays count as their length. */
function counters(part: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (part && typeof part === 'object') {
    for (const [k, v] of Object.entries(part)) {
      if (typeof v === 'number') out[k] = v;
      else if (Array.isArray(v)) out[k] = v.length;
    }
  }
  return out;
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * A delta export with one changed order: the first document of `file` (all its records), its
 * reference edited, in the file's own encoding and layout. Written beside the state, named so the
 * same feed takes it.
 */
function writeDeltaFile(file: string, feed: FeedConfig, dir: string): string {
  const head = Buffer.alloc(1 << 20);
  const fd = openSync(file, 'r');
  const n = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const out = path.join(dir, feed.format === 'csv' ? `ordrar_delta_${Date.now()}.csv` : `fakturor_delta_${Date.now()}.xml`);
  if (feed.format === 'csv') {
    const text = iconv.decode(head.subarray(0, n), feed.encoding ?? 'utf-8');
    const rows = text.split('\r\n');
    const header = rows[0]!.split(feed.delimiter ?? ';');
    const refCol = header.indexOf(feed.map.reference!);
    const id = rows[1]!.split(feed.delimiter ?? ';')[0];
    const mine: string[] = [];
    for (const r of rows.slice(1)) {
      if (r.split(feed.delimiter ?? ';')[0] !== id) break;
      mine.push(r);
    }
    const edited = mine.map((r) => {
      const f = r.split(feed.delimiter ?? ';');
      f[refCol] = `${f[refCol]} (ändrad)`;
      return f.join(feed.delimiter ?? ';');
    });
    writeFileSync(out, iconv.encode(`${[rows[0], ...edited].join('\r\n')}\r\n`, feed.encoding ?? 'utf-8'));
  } else {
    const text = head.subarray(0, n).toString('utf8');
    const start = text.indexOf('<Faktura ');
    const end = text.indexOf('</Faktura>', start) + '</Faktura>'.length;
    const record = text.slice(start, end).replace(/<ErReferens>([^<]*)<\/ErReferens>/, '<ErReferens>$1 (ändrad)</ErReferens>');
    writeFileSync(out, `${text.slice(0, start)}${record}\n</Fakturor>\n`);
  }
  return out;
}

/** Requests per compute-path URL (after 20 not counted) and the date prices are asked for. */
const COMPUTE_CALLS = 500;
const COMPUTE_DATE = '2026-01-15';

function getOnce(agent: http.Agent, url: URL, token: string): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/**
 * `/v1/prices?customer_no=…&articles=<50>` and `/v1/stock?articles=<50>` over serve, in this process
 * (serve as `vendre-pull serve` starts it, on loopback), one request at a time on a keep-alive
 * connection: the latency of one compute-path answer, not throughput.
 */
async function computePhase(probeFile: string, cfg: Readonly<Config>): Promise<PhaseResult> {
  const probe = (JSON.parse(readFileSync(probeFile, 'utf8')) as { stats: ExportStats }).stats.probe;
  const app = openApp(cfg, createLogger({ level: 'silent', pretty: false }));
  const server = await startServeFor(app, { host: '127.0.0.1', port: 0 });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const token = server.firstLiteral;
    if (!token) throw new Error('the sample config names no literal token for the compute phase');
    const list = probe.articles.map(encodeURIComponent).join(',');
    const urls: Array<[string, string]> = [
      [`prices, customer ${probe.customer} (group ${probe.group}), ${probe.articles.length} articles`, `/${cfg.prefix}/prices?customer_no=${probe.customer}&articles=${list}&date=${COMPUTE_DATE}`],
      [`stock, ${probe.articles.length} articles`, `/${cfg.prefix}/stock?articles=${list}`],
    ];
    const calls: ComputeDetail['calls'] = [];
    return await measure('compute', async () => {
      for (const [label, p] of urls) {
        const url = new URL(p, server.url);
        for (let i = 0; i < 20; i++) await getOnce(agent, url, token);
        const ms: number[] = [];
        let last: { status: number; body: Buffer } = { status: 0, body: Buffer.alloc(0) };
        for (let i = 0; i < COMPUTE_CALLS; i++) {
          const t = performance.now();
          last = await getOnce(agent, url, token);
          ms.push(performance.now() - t);
        }
        ms.sort((a, b) => a - b);
        const items = last.status === 200 ? ((JSON.parse(last.body.toString('utf8')) as { items?: Array<{ found?: boolean }> }).items ?? []) : [];
        calls.push({ label, path: p.length > 120 ? `${p.slice(0, 120)}…` : p, n: ms.length, medianMs: ms[Math.floor(ms.length / 2)]!, p99Ms: ms[Math.ceil(ms.length * 0.99) - 1]!, items: items.length, found: items.filter((x) => x.found !== false).length, status: last.status, bytes: last.body.length });
      }
      return { records: calls.reduce((n, c) => n + c.n, 0), compute: { calls }, errors: calls.filter((c) => c.status !== 200).length };
    });
  } finally {
    agent.destroy();
    await server.close();
    app.close();
  }
}

async function runPhase(phase: PhaseName, file: string, dir: string): Promise<PhaseResult> {
  const cfg = benchConfig(dir);
  if (phase === 'compute') return computePhase(file, cfg);
  const feed = feedOf(cfg, file);
  switch (phase) {
    case 'floor':
    case 'floor-arrays':
      return measure(phase, async () => ({ records: await floor(file, feed, phase === 'floor') }));
    case 'read':
      return measure(phase, async () => {
        let records = 0;
        for await (const _ of readRecords(file, feed)) records++;
        return { records };
      });
    case 'floor-write': {
      // The tree the ingest phase left: relative paths and sizes (read before the clock starts).
      const root = path.join(dir, 'public');
      const files: Array<[string, number]> = [];
      const list = (d: string, rel: string) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          if (e.name.startsWith('.')) continue;
          if (e.isDirectory()) list(path.join(d, e.name), `${rel}${e.name}/`);
          else files.push([`${rel}${e.name}`, statSync(path.join(d, e.name)).size]);
        }
      };
      list(root, '');
      const out = path.join(dir, 'write-floor');
      const body = Buffer.alloc(files.reduce((m, [, n]) => Math.max(m, n), 1), 0x61);
      return measure(phase, async () => {
        const made = new Map<string, Promise<unknown>>();
        const ensure = (d: string): Promise<unknown> => {
          let p = made.get(d);
          if (!p) made.set(d, (p = d === out ? mkdirP(d, { recursive: true }) : ensure(path.dirname(d)).then(() => mkdirP(d)).catch(() => undefined)));
          return p;
        };
        await ensure(path.join(out, '.tmp'));
        let seq = 0;
        const limit = pLimit(16);
        await Promise.all(
          files.map(([rel, size]) =>
            limit(async () => {
              const dest = path.join(out, rel);
              await ensure(path.dirname(dest));
              const tmp = path.join(out, '.tmp', String(++seq));
              await writeFileP(tmp, body.subarray(0, size));
              await renameP(tmp, dest);
            }),
          ),
        );
        return { records: files.length };
      });
    }
    case 'map': {
      const map = createMapper(feed, { locale: cfg.locale, currency: cfg.currency, customerNoPattern: cfg.customerNoPattern });
      const name = path.basename(file);
      return measure(phase, async () => {
        let records = 0;
        const firstErrors: string[] = [];
        let errors = 0;
        for await (const raw of readRecords(file, feed)) {
          records++;
          try {
            map(raw, name);
          } catch (err) {
            if (!(err instanceof DataError)) throw err;
            if (errors++ < 3) firstErrors.push(err.message);
          }
        }
        return { records, errors, firstErrors };
      });
    }
    case 'ingest':
    case 'reingest':
    case 'delta':
    case 'stock':
    case 'restock':
    case 'customers':
    case 'prices': {
      if (phase === 'delta') file = writeDeltaFile(file, feed, dir);
      const app = openApp(cfg, createLogger({ level: 'silent', pretty: false }));
      try {
        await app.target.check();
        // Split point: the publish context is asked for once the file's records are committed.
        let tPlan: number | undefined;
        const publishContext = app.publishContext;
        app.publishContext = () => {
          tPlan ??= performance.now();
          return publishContext();
        };
        let bytesWritten = 0;
        let puts = 0;
        let deletes = 0;
        const written: string[] = [];
        const put = app.target.put.bind(app.target);
        app.target.put = (key, body, opts) => {
          puts++;
          bytesWritten += body.length;
          if (written.length < 20) written.push(key);
          return put(key, body, opts);
        };
        const del = app.target.delete.bind(app.target);
        app.target.delete = (keys) => {
          deletes += keys.length;
          return del(keys);
        };
        let report: FileReport | undefined;
        let t0 = 0;
        let t1 = 0;
        const res = await measure(phase, async () => {
          t0 = performance.now();
          report = await processFile(app, file, { move: false, reapply: true, publish: true });
          t1 = performance.now();
          const loose = report as unknown as Record<string, Record<string, unknown> | undefined>;
          const invalid = Number(loose.plan?.invalid ?? loose.publish?.invalid ?? 0);
          return {
            records: Number(loose.result?.records ?? 0),
            errors: report.errors.length + invalid,
            firstErrors: report.errors.slice(0, 3).map((e) => `${e.message} ${JSON.stringify(e.context)}`),
          };
        });
        const r = report! as unknown as Record<string, unknown>;
        // apply: read, map, store, commit; publish: render, validate and write (overlapped), confirm.
        const steps: Array<[string, number]> = [['apply', (tPlan ?? t1) - t0], ['publish', tPlan === undefined ? 0 : t1 - tPlan]];
        res.ingest = {
          outcome: String(r.outcome),
          steps,
          result: counters(r.result),
          plan: counters(r.plan),
          publish: counters(r.publish),
          puts,
          deletes,
          written,
          bytesWritten,
          targetRoot: (app.target as unknown as { root: string }).root,
          state: cfg.state,
        };
        if (res.firstErrors?.length === 0 && res.errors) {
          const rows = app.store.db.prepare('SELECT key, message FROM publish_errors LIMIT 3').all() as Array<{ key: string; message: string }>;
          res.firstErrors = rows.map((x) => `${x.key}: ${x.message}`);
        }
        return res;
      } finally {
        app.close();
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Orchestration: children, table, profile

function childArgs(profileDir: string | undefined): string[] {
  // The loader flags this process runs with (`--import tsx`), without any profiler flags.
  const args = process.execArgv.filter((a) => !a.startsWith('--cpu-prof') && !a.startsWith('--heap-prof'));
  return profileDir ? [...args, '--cpu-prof', `--cpu-prof-dir=${profileDir}`] : args;
}

function runChild(phase: PhaseName, file: string, dir: string, profileDir?: string): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...childArgs(profileDir), SCRIPT, '--phase', phase, '--file', file, '--dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_MARK));
      if (code !== 0 || !line) return reject(new Error(`phase ${phase} failed (exit ${code})\n${out}`));
      resolve(JSON.parse(line.slice(RESULT_MARK.length)) as PhaseResult);
    });
  });
}

async function sha256Of(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const sec = (ms: number): string => (ms / 1000).toFixed(2);
const mib = (n: number): string => n.toFixed(0);
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

function table(head: string[], rows: string[][], right: boolean[]): string {
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) => r.map((c, i) => (right[i] ? c.padStart(width[i]!) : c.padEnd(width[i]!))).join('  ').trimEnd();
  return [fmt(head), width.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

const LABELS: Record<PhaseName, string> = {
  floor: '(a) floor: iconv-lite + csv-parse columns:true',
  'floor-arrays': '    csv-parse arrays (columns:false)',
  read: '    vendre-pull reader only (readRecords)',
  map: '    reader + mapper (no store)',
  ingest: '(b) processFile ingest + publish',
  reingest: '(c) processFile again, same file',
  delta: '(d) one changed order, as a delta file',
  'floor-write': '(e) floor of the writes: same files, tmp+rename',
  stock: '(f) stock export (lagersaldo)',
  restock: '(g) the same stock export again',
  customers: '(h) customer register with price groups',
  prices: '(i) price export (prislista)',
  compute: '(j) compute path over serve, requests',
};

function notes(r: PhaseResult): string {
  const head: string[] = [];
  const more: string[] = [];
  if (r.ingest) {
    const i = r.ingest;
    const kv = (o: Record<string, number>) => Object.entries(o).map(([k, v]) => `${k} ${int(v)}`).join(', ');
    head.push(i.steps.map(([name, ms]) => `${name} ${sec(ms)} s`).join(' + '));
    head.push(`objects written ${int(i.puts)} (${mb(i.bytesWritten)}), deleted ${int(i.deletes)}`);
    if (i.outcome !== 'ingested') head.push(`OUTCOME ${i.outcome}`);
    if (r.phase === 'delta') more.push(`keys written: ${i.written.join(', ')}`);
    if (Object.keys(i.result).length) more.push(`result: ${kv(i.result)}`);
    if (Object.keys(i.plan).length) more.push(`plan: ${kv(i.plan)}`);
    if (Object.keys(i.publish).length) more.push(`publish: ${kv(i.publish)}`);
  }
  for (const c of r.compute?.calls ?? []) more.push(`${c.label}: median ${c.medianMs.toFixed(2)} ms, p99 ${c.p99Ms.toFixed(2)} ms of ${int(c.n)} requests; status ${c.status}, ${c.items} items (${c.found} found), ${int(c.bytes)} bytes`);
  if (r.errors) head.push(`ERRORS ${int(r.errors)}`);
  return [head.join('; '), ...more].filter(Boolean).join('\n    ');
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function and per area (package / source file / engine) of a .cpuprofile. */
function summariseProfile(file: string, top = 25): string {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n.callFrame]));
  const fn = new Map<string, number>();
  const area = new Map<string, number>();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const us = prof.timeDeltas[i + 1] ?? 0; // the delta after a sample is the time spent in it
    const f = byId.get(id);
    if (!f || f.functionName === '(idle)') return;
    total += us;
    const where = shortUrl(f.url);
    // Line numbers of .ts files are those of tsx's transpiled output, not of the source: left out.
    const key = `${f.functionName || '(anonymous)'}  ${where.endsWith('.ts') ? where : where ? `${where}:${f.lineNumber + 1}` : ''}`.trim();
    fn.set(key, (fn.get(key) ?? 0) + us);
    const a = areaOf(f.url, f.functionName);
    area.set(a, (area.get(a) ?? 0) + us);
  });
  const rows = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => [sec(us / 1000), `${((100 * us) / total).toFixed(1)} %`, k]);
  return [
    `CPU profile of the ingest phase: ${sec(total / 1000)} s of samples (idle excluded)`,
    '',
    table(['self s', 'share', 'function  location'], rows(fn, top), [true, true, false]),
    '',
    table(['self s', 'share', 'area'], rows(area, 15), [true, true, false]),
  ].join('\n');
}

function shortUrl(url: string): string {
  if (!url) return '';
  let p = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (p.startsWith(REPO_ROOT + path.sep)) p = path.relative(REPO_ROOT, p);
  return p;
}

function areaOf(url: string, functionName: string): string {
  // No script: the engine's own entries ("(garbage collector)", "(program)") or a native function
  // (better-sqlite3's run/get/all, crypto, fs bindings, RegExp/String builtins).
  if (!url) return functionName.startsWith('(') ? functionName : `native ${functionName || '(anonymous)'}`;
  const p = shortUrl(url);
  const nm = p.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (nm) return `npm ${nm[1]}`;
  if (p.startsWith('node:')) return 'node internals';
  return p;
}

/** `expected`: records the file holds (CSV: data rows = lines; XML: record elements = invoices). */
function checkFindings(results: PhaseResult[], expected: number): string[] {
  const out: string[] = [];
  const first = results.find((r) => r.phase === 'ingest');
  const again = results.find((r) => r.phase === 'reingest');
  if (first && first.ingest?.outcome !== 'ingested') out.push(`FIRST INGEST WAS ${first?.ingest?.outcome ?? 'missing'}`);
  if (first && first.records !== expected) out.push(`first ingest read ${first.records} records, the file has ${expected}`);
  if (again?.ingest && again.ingest.puts + again.ingest.deletes !== 0) out.push(`SECOND INGEST WROTE ${again.ingest.puts} AND DELETED ${again.ingest.deletes} OBJECTS (expected 0)`);
  const delta = results.find((r) => r.phase === 'delta');
  if (delta?.ingest) {
    const w = delta.ingest.written ?? [];
    const docs = w.filter((k) => !k.includes('/pages/') && !k.endsWith('backorders.json'));
    if (docs.length !== 1 || delta.ingest.deletes !== 0) out.push(`DELTA WROTE ${docs.length} DOCUMENTS AND DELETED ${delta.ingest.deletes} (expected 1 document, its list pages, 0 deletes): ${w.join(', ')}`);
  }
  const restock = results.find((r) => r.phase === 'restock');
  if (restock?.ingest && restock.ingest.puts + restock.ingest.deletes !== 0) out.push(`SECOND STOCK INGEST WROTE ${restock.ingest.puts} AND DELETED ${restock.ingest.deletes} OBJECTS (expected 0)`);
  for (const ph of ['stock', 'customers', 'prices'] as const) {
    const r = results.find((x) => x.phase === ph);
    if (r?.ingest && r.ingest.outcome !== 'ingested') out.push(`${ph.toUpperCase()} INGEST WAS ${r.ingest.outcome}`);
  }
  for (const r of results) for (const e of r.firstErrors ?? []) out.push(`${r.phase}: ${e}`);
  return out;
}

async function orchestrate(values: Record<string, string | boolean | undefined>): Promise<void> {
  const p = paramsFromArgs(values as Record<string, string | undefined>);
  const file = path.join(BENCH_DIR, benchFileName(p));
  const say = (s: string) => process.stdout.write(`${s}\n`);
  const quick = values.quick === true;
  const only = typeof values.phases === 'string' ? values.phases.split(',').flatMap((n): readonly string[] => PHASE_GROUPS[n] ?? [n]) : undefined;
  // Issue 17's exports take minutes more: not in --quick unless named.
  const phases = PHASES.filter((ph) => (p.format === 'csv' || ph !== 'floor-arrays') && (!quick || !['floor-arrays', 'read', 'map', ...EXT_PHASES].includes(ph)) && (!only || only.includes(ph)));
  // The order export only when a phase reads it.
  const needOrders = phases.some((ph) => !isExt(ph));

  let gen = { bytes: 0, documents: 0, cancelled: 0, customersUsed: 0, maxDocumentsPerCustomer: 0, firstDate: '', lastDate: '' };
  let sha = '';
  let shaMs = 0;
  if (needOrders) {
    if (values.regenerate || !isUpToDate(file, p)) {
      say(`generating ${path.relative(REPO_ROOT, file)} ...`);
      const g = await generate(p, BENCH_DIR);
      say(`  ${mb(g.bytes)} in ${sec(g.ms)} s`);
    } else {
      say(`reusing ${path.relative(REPO_ROOT, file)} (same parameters)`);
    }
    gen = (JSON.parse(readFileSync(paramsFileOf(file), 'utf8')) as { stats: { bytes: number; documents: number; cancelled: number; customersUsed: number; maxDocumentsPerCustomer: number; firstDate: string; lastDate: string } }).stats;
    const t0 = performance.now();
    sha = await sha256Of(file); // also puts the file in the page cache for every phase
    shaMs = performance.now() - t0;
  }
  const ext = phases.some(isExt) ? exportParamsFrom({ ...values, customers: String(p.customers), seed: String(p.seed) } as Record<string, string | undefined>) : undefined;
  let exp: ExportStats | undefined;
  if (ext) {
    exp = values.regenerate ? undefined : readExportStats(ext);
    if (exp) say(`reusing ${path.relative(REPO_ROOT, exp.files.stock)}, ${path.basename(exp.files.customers)}, ${path.basename(exp.files.prices)} (same parameters)`);
    else {
      say('generating the stock, customer register and price exports ...');
      exp = await generateExports(ext);
      say(`  ${mb(exp.bytes.stock + exp.bytes.customers + exp.bytes.prices)} in ${sec(exp.ms)} s`);
    }
    for (const f of [exp.files.stock, exp.files.customers, exp.files.prices]) await sha256Of(f); // into the page cache
  }
  const fileOf = (ph: PhaseName): string =>
    !exp ? file : ph === 'stock' || ph === 'restock' ? exp.files.stock : ph === 'customers' ? exp.files.customers : ph === 'prices' ? exp.files.prices : ph === 'compute' ? `${exp.files.prices}.params.json` : file;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vp-bench-'));
  const profileDir = values.profile ? path.join(dir, 'cpu-profile') : undefined;
  const results: PhaseResult[] = [];
  try {
    for (const ph of phases) {
      process.stderr.write(`  phase ${ph} ...\n`);
      // Each phase but ingest/reingest gets its own fresh folder; those two share one state.
      // Issue 17's phases go into the 1M state when the ingest phase made one, else into a fresh one of their own.
      const shared = ph === 'ingest' || ph === 'reingest' || ph === 'delta' || ph === 'floor-write' || (isExt(ph) && phases.includes('ingest'));
      const phaseDir = shared ? path.join(dir, 'app') : isExt(ph) ? path.join(dir, 'ext') : path.join(dir, ph);
      const r = await runChild(ph, fileOf(ph), phaseDir, ph === 'ingest' ? profileDir : undefined);
      if (r.ingest) {
        const target = walk(r.ingest.targetRoot);
        Object.assign(r.ingest, { targetFiles: target.files, targetBytes: target.bytes, stateBytes: sizeOf(r.ingest.state) + sizeOf(`${r.ingest.state}-wal`) });
      }
      results.push(r);
    }

    const floorMs = results.find((r) => r.phase === 'floor')?.ms;
    const ingest = results.find((r) => r.phase === 'ingest');
    const again = results.find((r) => r.phase === 'reingest');
    if (values.json) {
      say(JSON.stringify({ params: p, file: path.relative(REPO_ROOT, file), bytes: gen.bytes, sha256: sha, results }, null, 2));
    }
    say('');
    say(`vendre-pull ingest benchmark: ${needOrders ? path.relative(REPO_ROOT, file) : 'issue 17 exports only'}`);
    if (needOrders) say(`  ${mb(gen.bytes)}, ${int(p.lines)} lines, ${int(gen.documents)} ${p.format === 'csv' ? 'orders' : 'invoices'} (${int(gen.cancelled)} cancelled), ${int(gen.customersUsed)} of ${int(p.customers)} customers used (max ${int(gen.maxDocumentsPerCustomer)} per customer), ${gen.firstDate} .. ${gen.lastDate}`);
    if (needOrders) say(`  params ${JSON.stringify(p)}; sha256 of the file ${sec(shaMs)} s (processFile hashes it too)`);
    say(`  node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${os.platform()} ${os.arch()}; state and target in ${os.tmpdir()}`);
    say('');
    say(
      table(
        ['phase', 'wall s', 'records/s', 'peak RSS MiB', 'cpu user+sys s'],
        results.map((r) => [r.phase === 'floor' && p.format === 'xml' ? '(a) floor: TextDecoder + cut + fast-xml-parser' : LABELS[r.phase], sec(r.ms), int(r.records / (r.ms / 1000)), mib(r.maxRssMiB), `${sec(r.cpuUserMs)}+${sec(r.cpuSystemMs)}`]),
        [false, true, true, true, true],
      ),
    );
    say('');
    for (const r of results) {
      const n = notes(r);
      if (n) say(`${r.phase}: ${n}`);
    }
    if (exp && ext) {
      say(`issue 17 exports: ${int(ext.articles)} articles, ${int(ext.customers)} customers in ${int(ext.priceGroups)} price groups; stock ${int(exp.rows.stock)} rows (${mb(exp.bytes.stock)}), customer register ${int(exp.rows.customers)} rows (${mb(exp.bytes.customers)}), prices ${int(exp.rows.prices)} rows (${mb(exp.bytes.prices)}: ${int(exp.groupPrices)} group prices, ${int(exp.customerPrices)} customer prices of ${int(exp.customersWithPrices)} customers); ${phases.includes('ingest') ? 'into the state of the ingest phase' : 'into a fresh state'}`);
      for (const r of results) if (r.ingest && isExt(r.phase)) say(`  after ${r.phase}: target holds ${int(r.ingest.targetFiles ?? 0)} files (${mb(r.ingest.targetBytes ?? 0)}), state ${mb(r.ingest.stateBytes ?? 0)}`);
    }
    if (ingest?.ingest) say(`after ingest: target holds ${int(ingest.ingest.targetFiles ?? 0)} files (${mb(ingest.ingest.targetBytes ?? 0)}), state ${mb(ingest.ingest.stateBytes ?? 0)}`);
    if (floorMs && ingest) say(`ratio ingest/floor: ${(ingest.ms / floorMs).toFixed(1)}x${again ? `; second ingest/floor: ${(again.ms / floorMs).toFixed(1)}x` : ''}`);
    const writeFloor = results.find((r) => r.phase === 'floor-write');
    if (floorMs && ingest && writeFloor) say(`floors together (parse ${sec(floorMs)} s + writes ${sec(writeFloor.ms)} s): ingest is ${(ingest.ms / (floorMs + writeFloor.ms)).toFixed(1)}x their sum`);
    for (const f of checkFindings(results, p.format === 'csv' ? p.lines : gen.documents)) say(`! ${f}`);

    if (profileDir) {
      const prof = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
      if (prof) {
        say('');
        say(summariseProfile(path.join(profileDir, prof)));
        if (values.keep) {
          const kept = path.join(BENCH_DIR, `ingest_${p.lines}.cpuprofile`);
          renameSync(path.join(profileDir, prof), kept);
          say(`profile kept: ${path.relative(REPO_ROOT, kept)}`);
        }
      }
    }
  } finally {
    if (values.keep) say(`state and target kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ...PARAM_OPTIONS,
      ...EXPORT_OPTIONS,
      phase: { type: 'string' },
      file: { type: 'string' },
      dir: { type: 'string' },
      quick: { type: 'boolean' },
      phases: { type: 'string' },
      profile: { type: 'boolean' },
      keep: { type: 'boolean' },
      regenerate: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${readFileSync(SCRIPT, 'utf8').match(/\/\*\*([\s\S]*?)\*\//)?.[1]?.replace(/^ \* ?/gm, '') ?? ''}\n`);
    return;
  }
  if (values.phase) {
    if (!PHASES.includes(values.phase as PhaseName)) throw new Error(`--phase must be one of ${PHASES.join(', ')}`);
    if (!values.file || !values.dir) throw new Error('--phase needs --file and --dir');
    const r = await runPhase(values.phase as PhaseName, path.resolve(values.file), path.resolve(values.dir));
    process.stdout.write(`${RESULT_MARK}${JSON.stringify(r)}\n`);
    return;
  }
  await orchestrate(values);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  });
}
