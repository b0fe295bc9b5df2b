/**
 * PDF links end to end: config (`pdfLinks`), secrets from the environment or a file, the KeyValueStore
 * entries, `--print-config`, and a shopper's browser fetching a published pdf_link from `serve` with
 * no header at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfig } from '../../src/config/load.ts';
import { resolvePdfLinkSecrets } from '../../src/config/secrets.ts';
import { openApp } from '../../src/app.ts';
import { kvsEntries } from '../../src/edge/kvs.ts';
import { edgeCredentials } from '../../src/edge/settings.ts';
import { processFile } from '../../src/ingest/process.ts';
import { startServeFor } from '../../src/serve/start.ts';
import { ConfigError } from '../../src/errors.ts';
import { appIn, silent, tmpDir, writeBytes } from '../helpers.ts';
import { rawRequest } from '../serve/http.ts';

const SECRET = 'pdf-link-secret-in-a-file-0001';
const ENV_SECRET = 'pdf-link-secret-from-env-0002';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

const FEEDS = `
feeds:
  - name: invoices
    pattern: "inv*.csv"
    kind: invoices
    format: csv
    numberFormat: dot
    map: { id: No, customer_no: Cust, date: Date, line.model: Art, line.quantity: Qty, line.price: Price, line.vat_rate: Vat }
`;
const PDFS = `
publicBaseUrl: https://historik.example.se
pdfs:
  - { pattern: "faktura_{id}.pdf", kind: invoice }
`;

const parse = (yaml: string, dir = tmpDir('vp-pdfcfg')) => parseConfig(yaml, path.join(dir, 'vendre-pull.yaml'));
const configError = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  assert.fail('expected a ConfigError');
};

test('config: pdfLinks is required for pdfs on an s3:// target, optional on a local one', () => {
  const s3 = `target: s3://acme-history\ns3: { region: eu-north-1 }\n${PDFS}${FEEDS}`;
  const e = configError(() => parse(s3));
  assert.equal(e.key, 'pdfs');
  assert.match(e.message, /pdfLinks\.secrets/);
  assert.ok(parse(`${s3}pdfLinks:\n  secrets: [{ env: VP_PDF_LINK_SECRET }]\n`).pdfLinks);
  // A local target (the demo, a folder another server publishes) may do without: links carry no sig.
  assert.equal(parse(`${PDFS}${FEEDS}`).pdfLinks, undefined);
  // An s3 target without PDFs needs nothing.
  assert.equal(parse(`target: s3://acme-history\ns3: { region: eu-north-1 }\n${FEEDS}`).pdfLinks, undefined);
});

test('config: secrets come from env or file only (never a literal), at most 3, file paths relative to the config', () => {
  const dir = tmpDir('vp-pdfcfg');
  const cfg = parse(`${PDFS}${FEEDS}pdfLinks:\n  secrets:\n    - file: secrets/pdf-link\n    - env: VP_PDF_OLD\n`, dir);
  assert.deepEqual(cfg.pdfLinks, { secrets: [{ file: path.join(dir, 'secrets/pdf-link') }, { env: 'VP_PDF_OLD' }] });
  const literal = configError(() => parse(`${PDFS}${FEEDS}pdfLinks:\n  secrets: [{ value: ${SECRET} }]\n`));
  assert.match(literal.message, /`pdfLinks\.secrets\.0\.value` is not a known key/);
  assert.ok(!literal.message.includes(SECRET));
  assert.match(configError(() => parse(`${PDFS}${FEEDS}pdfLinks:\n  secrets: [{ env: A }, { env: B }, { env: C }, { env: D }]\n`)).message, /pdfLinks\.secrets/);
  assert.match(configError(() => parse(`${PDFS}${FEEDS}pdfLinks:\n  secrets: []\n`)).message, /pdfLinks\.secrets/);
  assert.match(configError(() => parse(`${PDFS}${FEEDS}pdfLinks: {}\n`)).message, /pdfLinks\.secrets` is required/);
});

test('secrets: read from the environment and files (newest first), errors name the entry and never the value', () => {
  const dir = tmpDir('vp-pdfsec');
  writeFileSync(path.join(dir, 'pdf-link'), `${SECRET}\n`);
  writeFileSync(path.join(dir, 'short'), 'too-short');
  const cfg = (secrets: Array<{ env: string } | { file: string }>) => ({ pdfLinks: { secrets } });
  assert.deepEqual(resolvePdfLinkSecrets(cfg([{ file: path.join(dir, 'pdf-link') }, { env: 'VP_PDF_OLD' }]), { VP_PDF_OLD: ENV_SECRET }), [SECRET, ENV_SECRET]);
  assert.deepEqual(resolvePdfLinkSecrets({}), []);
  const unset = configError(() => resolvePdfLinkSecrets(cfg([{ env: 'VP_PDF_OLD' }]), {}));
  assert.equal(unset.key, 'pdfLinks.secrets.0');
  assert.match(unset.message, /VP_PDF_OLD is not set/);
  assert.match(configError(() => resolvePdfLinkSecrets(cfg([{ file: path.join(dir, 'missing') }]))).message, /pdfLinks\.secrets\.0.*cannot read .*ENOENT/);
  const short = configError(() => resolvePdfLinkSecrets(cfg([{ env: 'A' }, { file: path.join(dir, 'short') }]), { A: ENV_SECRET }));
  assert.equal(short.key, 'pdfLinks.secrets.1');
  assert.ok(!short.message.includes('too-short'));
  assert.ok(configError(() => resolvePdfLinkSecrets(cfg([{ env: 'A' }]), { A: 'has a space in the secret' })));
});

test('the app refuses to start when the signing secret cannot be read (no document gets an unusable link)', () => {
  const dir = tmpDir('vp-pdfapp');
  const cfg = parse(`${PDFS}${FEEDS}pdfLinks:\n  secrets: [{ env: VP_PDF_UNSET_FOR_TEST }]\n`, dir);
  delete process.env.VP_PDF_UNSET_FOR_TEST;
  const e = configError(() => openApp(cfg, silent()));
  assert.match(e.message, /VP_PDF_UNSET_FOR_TEST/);
});

test('KeyValueStore entries and serve credentials: pdf.0.. in config order, whatever auth.modes says', () => {
  const cfg = {
    auth: { header: 'authorization', modes: ['bearer'] as Array<'bearer' | 'signed'>, tokens: [{ value: 'some-token-123' }], secrets: [], windowSeconds: 300 },
    pdfLinks: { secrets: [{ env: 'NEW' }, { env: 'OLD' }] },
  };
  const env = { NEW: SECRET, OLD: ENV_SECRET };
  const entries = kvsEntries(cfg, env);
  assert.deepEqual(entries.filter((e) => e.key.startsWith('pdf.')), [{ key: 'pdf.0', value: SECRET }, { key: 'pdf.1', value: ENV_SECRET }]);
  assert.deepEqual(edgeCredentials(cfg, env).credentials.pdfSecrets, [SECRET, ENV_SECRET]);
  assert.equal(configError(() => kvsEntries(cfg, { NEW: SECRET })).key, 'pdfLinks.secrets.1');
  assert.deepEqual(edgeCredentials({ auth: cfg.auth }, env).credentials.pdfSecrets, []);
});

test('serve: a published pdf_link opens the PDF without any header; without its sig, or on another path, 401', async () => {
  const dir = tmpDir('vp-pdfe2e');
  writeFileSync(path.join(dir, 'pdf-link.secret'), `${SECRET}\n`);
  const app = appIn(dir, `${PDFS}${FEEDS}auth:\n  tokens: [{ value: token-for-this-test-1 }]\npdfLinks:\n  secrets: [{ file: pdf-link.secret }]\n`);
  try {
    const ingest = (name: string, content: string | Buffer) => processFile(app, writeBytes(path.join(dir, 'in'), name, content), { move: false, publish: true });
    const inv = await ingest('inv1.csv', 'No;Cust;Date;Art;Qty;Price;Vat\n500;C1;2025-01-02;A;2;10.00;25\n501;C1;2025-01-03;A;1;10.00;25\n');
    assert.equal(inv.outcome, 'ingested', inv.errors.map((e) => e.message).join('\n'));
    assert.equal((await ingest('faktura_500.pdf', PDF)).outcome, 'ingested');
    const body = JSON.parse(readFileSync(app.target.pathOf('customers/C1/invoices/500.json'), 'utf8')) as { pdf_link: string };
    assert.match(body.pdf_link, /^https:\/\/historik\.example\.se\/v1\/customers\/C1\/invoices\/500\.pdf\?sig=[0-9a-f]{32}$/);
    const link = new URL(body.pdf_link);
    const server = await startServeFor(app, { host: '127.0.0.1', port: 0 });
    try {
      const got = await rawRequest(server.url, 'GET', `${link.pathname}${link.search}`);
      assert.equal(got.status, 200);
      assert.equal(got.headers['content-type'], 'application/pdf');
      assert.ok(got.body.equals(PDF), 'the PDF bytes');
      const head = await rawRequest(server.url, 'HEAD', `${link.pathname}${link.search}`);
      assert.equal(head.status, 200);
      assert.equal(head.headers['content-length'], String(PDF.length));
      assert.equal((await rawRequest(server.url, 'GET', link.pathname)).status, 401, 'without sig');
      assert.equal((await rawRequest(server.url, 'GET', `${link.pathname.replace('500.pdf', '501.pdf')}${link.search}`)).status, 401, 'the sig of another PDF');
      assert.equal((await rawRequest(server.url, 'GET', `/v1/customers/C1/invoices/500.json${link.search}`)).status, 401, 'the sig on the JSON document');
      assert.equal((await rawRequest(server.url, 'GET', `${link.pathname}${link.search}`, { authorization: 'Bearer wrong-token-000' })).status, 403, 'the sig beside a wrong token');
      const bearer = await rawRequest(server.url, 'GET', link.pathname, { authorization: 'Bearer token-for-this-test-1' });
      assert.equal(bearer.status, 200, 'the token still opens the PDF');
      assert.ok(bearer.body.equals(PDF));
    } finally {
      await server.close();
    }
  } finally {
    app.close();
  }
});

test('CLI: --print-config names the sources, never the secret; edge writes pdf.N entries and prints no secret', () => {
  const dir = tmpDir('vp-pdfcli');
  writeFileSync(path.join(dir, 'pdf-link.secret'), `${SECRET}\n`);
  const file = writeBytes(dir, 'vendre-pull.yaml', `${PDFS}${FEEDS}auth:\n  tokens: [{ env: VP_CLI_PDF_TOKEN }]\npdfLinks:\n  secrets:\n    - env: VP_CLI_PDF_SECRET\n    - file: pdf-link.secret\n`);
  const env = { ...process.env, VENDRE_PULL_LOG_LEVEL: 'warn', VENDRE_PULL_TOKEN: '', VP_CLI_PDF_SECRET: ENV_SECRET, VP_CLI_PDF_TOKEN: 'cli-token-000001' };
  const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', path.resolve('src/cli.ts'), '--config', file, ...args], { encoding: 'utf8', env, timeout: 60_000 });
  const printed = cli(['--print-config', 'status']);
  assert.equal(printed.status, 0, printed.stderr);
  assert.deepEqual(JSON.parse(printed.stdout).pdfLinks, { secrets: [{ env: 'VP_CLI_PDF_SECRET' }, { file: path.join(dir, 'pdf-link.secret') }] });
  for (const s of [SECRET, ENV_SECRET]) assert.ok(!printed.stdout.includes(s) && !printed.stderr.includes(s));
  const out = path.join(dir, 'edge');
  const edge = cli(['edge', '--out', out]);
  assert.equal(edge.status, 0, edge.stderr);
  for (const s of [SECRET, ENV_SECRET]) assert.ok(!edge.stdout.includes(s) && !edge.stderr.includes(s), 'no secret printed');
  assert.match(edge.stdout, /pdf\.0, pdf\.1/);
  assert.doesNotMatch(edge.stdout, /warning: pdfs without/);
  const { data } = JSON.parse(readFileSync(path.join(out, 'kvs-entries.json'), 'utf8')) as { data: Array<{ key: string; value: string }> };
  assert.deepEqual(data.filter((e) => e.key.startsWith('pdf.')), [{ key: 'pdf.0', value: ENV_SECRET }, { key: 'pdf.1', value: SECRET }]);
  assert.ok(!readFileSync(path.join(out, 'viewer-request.js'), 'utf8').includes(SECRET));
  // Without pdfLinks, `edge` still writes the function but warns that shoppers' links will be refused.
  const plain = writeBytes(dir, 'plain.yaml', `${PDFS}${FEEDS}auth:\n  tokens: [{ env: VP_CLI_PDF_TOKEN }]\n`);
  const warned = spawnSync(process.execPath, ['--import', 'tsx', path.resolve('src/cli.ts'), '--config', plain, 'edge', '--out', path.join(dir, 'edge2')], { encoding: 'utf8', env, timeout: 60_000 });
  assert.equal(warned.status, 0, warned.stderr);
  assert.match(warned.stdout, /warning: pdfs without pdfLinks\.secrets/);
});
