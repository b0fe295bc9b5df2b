import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { FLAT_HEADER, flatRow, tmpDir, writeBytes } from '../helpers.ts';

export const CLI = ['--import', 'tsx', path.resolve('src/cli.ts')];

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A folder with a config for the flat order feed (CSV) and an XML order feed, everything inside it. */
export function setup(tag: string, extra = ''): { dir: string; cfg: string; inbox: string; target: string; state: string } {
  const dir = tmpDir(`vp-${tag}`);
  const cfg = writeBytes(
    dir,
    'vendre-pull.yaml',
    `state: ${dir}/state/state.db
target: ${dir}/public
folders: { drop: ${dir}/inbox, archive: ${dir}/archive, quarantine: ${dir}/quarantine }
inbox: { stableMs: 150, rescanMs: 300, shutdownMs: 2000 }
admin: { port: 0 }
${extra}
feeds:
  - name: orders
    pattern: "orders*.csv"
    kind: orders
    format: csv
    delimiter: ";"
    dateFormat: YYYYMMDD
    numberFormat: comma
    mode: delta
    map: { id: Ordernr, customer_no: Kundnr, date: Datum, reference: Ref, customer.company: Namn, line.model: Art, line.name: Text, line.quantity: Antal, line.price: Pris, line.vat_rate: Moms }
  - name: xmlorders
    pattern: "orders*.xml"
    kind: orders
    format: xml
    recordPath: Orders/Order
    linePath: Rows/Row
    dateFormat: YYYY-MM-DD
    numberFormat: dot
    mode: delta
    map: { id: No, customer_no: Customer, date: Date, line.model: Art, line.quantity: Qty, line.price: Price, line.vat_rate: Vat }
`,
  );
  return { dir, cfg, inbox: path.join(dir, 'inbox'), target: path.join(dir, 'public'), state: path.join(dir, 'state', 'state.db') };
}

/** A CSV export of `n` orders numbered from `from`, for customers C1..C5. */
export function ordersCsv(from: number, n: number, tag = ''): string {
  const rows = [FLAT_HEADER];
  for (let i = from; i < from + n; i++) rows.push(flatRow({ id: `O${i}`, c: `C${(i % 5) + 1}`, date: '20251101', art: `A${tag}${i}` }));
  return `${rows.join('\n')}\n`;
}

export function xmlOrder(no: string, customer: string): string {
  return `  <Order><No>${no}</No><Customer>${customer}</Customer><Date>2025-11-02</Date><Rows><Row><Art>X1</Art><Qty>1</Qty><Price>10.00</Price><Vat>25</Vat></Row></Rows></Order>\n`;
}

export function cli(cfg: string, args: string[], opts: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {}) {
  return spawnSync(process.execPath, [...CLI, '--config', cfg, ...args], {
    encoding: 'utf8',
    env: { ...process.env, VENDRE_PULL_LOG_LEVEL: 'warn', ...opts.env },
    timeout: 120_000,
    ...(opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.gid }),
  });
}

export interface Daemon {
  child: ChildProcess;
  out(): string;
  waitFor(what: () => boolean, label: string, ms?: number): Promise<void>;
  /** Resolves with the exit code (or the signal that ended it). */
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

export function daemon(cfg: string, args: string[] = ['--no-serve'], env: NodeJS.ProcessEnv = {}): Daemon {
  const child = spawn(process.execPath, [...CLI, '--config', cfg, 'run', ...args], { env: { ...process.env, VENDRE_PULL_LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  // 'close', not 'exit': only then has all of the output been read (a daemon that stops fast can exit before its last lines arrive).
  let closed = false;
  const exited = once(child, 'close').then(([code, sig]) => {
    closed = true;
    return (code ?? sig) as number | string;
  });
  const d: Daemon = {
    child,
    out: () => out,
    exited,
    async waitFor(what, label, ms = 60_000) {
      const until = Date.now() + ms;
      while (!what()) {
        if (Date.now() > until) assert.fail(`timed out waiting for ${label}\n${out.slice(-6000)}`);
        if (closed && !what()) assert.fail(`daemon exited (${child.exitCode ?? child.signalCode}) while waiting for ${label}\n${out.slice(-6000)}`);
        await sleep(50);
      }
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  return d;
}

/** Files under a folder, recursively, relative names. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

export function archived(dir: string): Array<{ name: string; bytes: Buffer }> {
  const root = path.join(dir, 'archive');
  return filesUnder(root)
    .filter((f) => !f.endsWith('.json'))
    .map((f) => ({ name: path.basename(f), bytes: readFileSync(path.join(root, f)) }));
}

export function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

export function marker(target: string): { state: string; files: number; manifest: number } | undefined {
  try {
    return JSON.parse(readFileSync(path.join(target, '.vendre-pull-state.json'), 'utf8'));
  } catch {
    return undefined;
  }
}
