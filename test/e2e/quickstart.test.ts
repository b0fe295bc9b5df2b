import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { tmpDir, writeBytes } from '../helpers.ts';

const CLI = ['--import', 'tsx', path.resolve('src/cli.ts')];

/** The README's "Quick start" section: every figure in it must come from this run. */
function quickStart(): string {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('## Quick start');
  const end = readme.indexOf('\n## ', start + 1);
  assert.ok(start >= 0 && end > start, 'README has a Quick start section');
  return readme.slice(start, end).replace(/\s+/g, ' ');
}

function claim(text: string, re: RegExp): RegExpExecArray {
  const m = re.exec(text);
  assert.ok(m, `the quick start states ${re}`);
  return m;
}

test('the README quick start matches a run of its job: the seed, published files, customers, the curl line, the waiting PDF, no warnings', async () => {
  const text = quickStart();
  const sample = parse(readFileSync('samples/vendre-pull.yaml', 'utf8')) as Record<string, any>;

  // `npm start` is `run --config samples/vendre-pull.yaml --seed samples/exports`.
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  assert.match(pkg.scripts.start!, /run --config samples\/vendre-pull\.yaml --seed samples\/exports$/);
  const exports = readdirSync('samples/exports');
  const [, dataFiles, pdfFiles] = claim(text, /(\d+) CSV and XML files and (\d+) PDFs/);
  assert.equal(exports.filter((n) => /\.(csv|xml)$/.test(n)).length, Number(dataFiles));
  assert.equal(exports.filter((n) => n.endsWith('.pdf')).length, Number(pdfFiles));

  // The URLs in the text are the sample config's ports.
  const [, servePort] = claim(text, /serves them on `http:\/\/127\.0\.0\.1:(\d+)`/);
  assert.equal(sample.serve.port, Number(servePort));
  const [, adminPort] = claim(text, /admin pages at `http:\/\/127\.0\.0\.1:(\d+)\/`/);
  assert.equal(sample.admin.port, Number(adminPort));

  // The same job in a temp folder, on free ports.
  const dir = tmpDir('vp-quickstart');
  const cfg = writeBytes(
    dir,
    'vendre-pull.yaml',
    stringify({ ...sample, state: 'state.db', target: 'public', folders: { drop: 'inbox', archive: 'archive', quarantine: 'quarantine' }, inbox: { stableMs: 200 }, serve: { ...sample.serve, port: 0 }, admin: { ...sample.admin, port: 0 } }),
  );
  const child = spawn(process.execPath, [...CLI, '--config', cfg, 'run', '--seed', 'samples/exports'], { env: { ...process.env, VENDRE_PULL_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const waitFor = async (what: () => boolean, label: string) => {
    while (!what()) {
      if (child.exitCode !== null) assert.fail(`the daemon exited (${child.exitCode}) before ${label}\n${stdout}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const archived = () => stdout.split('\n').filter((l) => l.includes('"file archived"')).length;
  try {
    await waitFor(() => archived() === exports.length && readdirSync(path.join(dir, 'inbox')).filter((n) => !n.startsWith('.')).length === 0, 'every sample file is archived');
    await waitFor(() => stderr.includes('curl -s'), 'the curl line');
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await new Promise((r) => child.once('exit', r)), 0, stderr);

  // Published files, JSON documents, PDFs, customers.
  const root = path.join(dir, 'public', sample.prefix ?? 'v1');
  const files = readdirSync(root, { recursive: true }).map(String).filter((f) => /\.(json|pdf)$/.test(f));
  const [, all, json, pdfs, customers] = claim(text, /publishes (\d+) files \((\d+) JSON files and (\d+) PDFs\) for (\d+) customers/);
  assert.equal(files.length, Number(all));
  assert.equal(files.filter((f) => f.endsWith('.json')).length, Number(json));
  assert.equal(files.filter((f) => f.endsWith('.pdf')).length, Number(pdfs));
  assert.equal(readdirSync(path.join(root, 'customers')).length, Number(customers));

  // The curl line as printed, but for the port.
  const [, readmeCurl] = claim(text, /(curl -s -H '[^']+' http:\/\/127\.0\.0\.1:\d+\/\S+)/);
  const printed = /curl -s -H '[^']+' http:\/\/127\.0\.0\.1:\d+\/\S+/.exec(stderr)?.[0];
  assert.equal(printed?.replace(/:\d+\//, ':PORT/'), readmeCurl!.replace(/:\d+\//, ':PORT/'));

  // The PDF the text says waits for its document.
  const [, waiting] = claim(text, /`(\S+\.pdf)`, has no document in the exports/);
  const status = spawnSync(process.execPath, [...CLI, '--config', cfg, 'status', '--json'], { encoding: 'utf8' });
  const pdfsWaiting = (JSON.parse(status.stdout) as { pdfs_waiting: Array<{ file: string }> }).pdfs_waiting.map((p) => p.file);
  assert.deepEqual(pdfsWaiting, [waiting]);

  // status: the parts of "published" add up to its total, and the total is what the target holds.
  const human = spawnSync(process.execPath, [...CLI, '--config', cfg, 'status'], { encoding: 'utf8' });
  const [, total, parts] = /published\s+(\d+) objects: (.*)/.exec(human.stdout) ?? [];
  assert.equal(Number(total), files.length, human.stdout);
  assert.equal([...parts!.matchAll(/(\d+) [a-zA-Z ]+/g)].reduce((t, m) => t + Number(m[1]), 0), files.length, parts);
  assert.match(parts!, /\d+ orders, \d+ invoices, \d+ credit invoices, \d+ backorder lists, 7 PDFs, \d+ list pages, \d+ index objects, \d+ address lists, \d+ stock documents, \d+ price objects$/);

  // A quiet start: no warning or error line.
  const loud = stdout.split('\n').filter((l) => /"level":(40|50|60)/.test(l));
  assert.deepEqual(loud, []);
});
