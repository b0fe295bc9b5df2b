import { chmod, mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildComputeHandler, buildViewerRequest, MAX_FUNCTION_BYTES } from '../edge/bundle.ts';
import { kvsEntries } from '../edge/kvs.ts';
import { edgeSettings } from '../edge/settings.ts';
import { loadFromOptions, type GlobalOptions } from './context.ts';

export const EDGE_FILES = { function: 'viewer-request.js', entries: 'kvs-entries.json', notFound: 'not-found.json', compute: 'compute/index.mjs' } as const;

/**
 * `vendre-pull edge --out DIR`: the CloudFront side of the deployment.
 * - viewer-request.js: the function (cloudfront-js-2.0), settings baked in, no secrets;
 * - kvs-entries.json: the KeyValueStore entries (token hashes, HMAC and PDF-link secrets), mode 0600;
 * - not-found.json: the body CloudFront answers a missing object with (custom error response);
 * - compute/index.mjs: the compute origin's Lambda handler (date ranges, offsets, past the end).
 * Prints file names, the function's size and the entry keys; never an entry's value.
 */
export async function edgeCommand(g: GlobalOptions, opts: { out: string }): Promise<number> {
  const cfg = loadFromOptions(g);
  const settings = edgeSettings(cfg);
  const entries = kvsEntries(cfg);
  const code = await buildViewerRequest(settings);
  const size = Buffer.byteLength(code);
  if (size > MAX_FUNCTION_BYTES) throw new Error(`edge: the function is ${size} bytes, over CloudFront's ${MAX_FUNCTION_BYTES}`);
  const out = path.resolve(opts.out);
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, EDGE_FILES.function), code);
  await writePrivate(path.join(out, EDGE_FILES.entries), `${JSON.stringify({ data: entries }, null, 2)}\n`);
  await mkdir(path.join(out, path.dirname(EDGE_FILES.compute)), { recursive: true });
  const compute = await buildComputeHandler({ prefix: settings.prefix, pageSize: cfg.pageSize, currency: cfg.currency, timeZone: cfg.timeZone });
  await writeFile(path.join(out, EDGE_FILES.compute), compute);
  await writeFile(path.join(out, EDGE_FILES.notFound), `${JSON.stringify({ error: 'not_found', message: 'no such document' })}\n`);
  const lines = [
    `${path.join(out, EDGE_FILES.function)}: ${size} bytes of ${MAX_FUNCTION_BYTES} (prefix ${settings.prefix}, modes ${cfg.auth.modes.join('+')})`,
    `${path.join(out, EDGE_FILES.entries)}: ${entries.length} KeyValueStore entries, mode 0600 (${entries.map((e) => (e.key.startsWith('token.') ? `token.${e.key.slice(6, 14)}…` : e.key)).join(', ') || 'none'})`,
    `${path.join(out, EDGE_FILES.notFound)}: the 404 body for CloudFront's custom error response`,
    `${path.join(out, EDGE_FILES.compute)}: ${Buffer.byteLength(compute)} bytes, the compute origin's Lambda handler (page size ${cfg.pageSize})`,
  ];
  if (settings.bearer && !entries.some((e) => e.key.startsWith('token.'))) lines.push('warning: bearer mode without tokens: the function refuses every bearer request');
  if (settings.signed && !entries.some((e) => e.key.startsWith('hmac.'))) lines.push('warning: signed mode without secrets: the function refuses every signed request');
  if (cfg.pdfs.length > 0 && !entries.some((e) => e.key.startsWith('pdf.'))) lines.push('warning: pdfs without pdfLinks.secrets: a shopper\'s browser gets 401 for every pdf_link (see README "PDF links")');
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** Created 0600 under a temporary name and renamed into place: the secrets are never readable by others, not even briefly. */
async function writePrivate(file: string, content: string): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(tmp, 0o600);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
