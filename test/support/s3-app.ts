import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { parse, stringify } from 'yaml';
import { openApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config/load.ts';
import type { TargetDeps } from '../../src/publish/targets/open.ts';
import { processFile } from '../../src/ingest/process.ts';
import { localApp, silent, writeBytes, type LocalApp } from '../helpers.ts';

export const SAMPLES = path.resolve('samples/exports');

/** The bundled sample config as it ships, with every path in `dir` and the given overrides. */
export function plainSampleConfigFile(dir: string, overrides: Record<string, unknown> = {}): string {
  const raw = parse(readFileSync('samples/vendre-pull.yaml', 'utf8')) as Record<string, unknown>;
  Object.assign(raw, { state: 'state.db', target: 'public', folders: { drop: 'inbox', archive: 'archive', quarantine: 'quarantine' } }, overrides);
  return writeBytes(dir, 'vendre-pull.yaml', stringify(raw));
}

/** The bundled sample app on a local target, every path in `dir` (the sample config as it ships: unsigned PDF links). */
export function sampleApp(dir: string, overrides: Record<string, unknown> = {}): LocalApp {
  const file = plainSampleConfigFile(dir, overrides);
  return localApp(openApp(parseConfig(readFileSync(file, 'utf8'), file), silent()));
}

/** The bundled sample config with every path in `dir` and the given target/s3/publish settings. */
export function sampleConfigFile(dir: string, overrides: Record<string, unknown>): string {
  // PDFs on an s3:// target need signed links; local and S3 apps sign alike so their trees compare byte for byte.
  process.env.VP_TEST_PDF_LINK_SECRET ??= 'test-only-pdf-link-secret-0123456789';
  const pdfLinks = { secrets: [{ env: 'VP_TEST_PDF_LINK_SECRET' }] };
  return plainSampleConfigFile(dir, { pdfLinks, ...overrides });
}

export function sampleAppWith(dir: string, overrides: Record<string, unknown>, deps: TargetDeps = {}): App {
  const file = sampleConfigFile(dir, overrides);
  return openApp(parseConfig(readFileSync(file, 'utf8'), file), silent(), deps);
}

/** S3 settings for a bucket behind `endpoint` (s3rver or the proxy in front of it). */
export function s3Overrides(endpoint: string, bucket: string, s3: Record<string, unknown> = {}, prefix = 'tenant-a'): Record<string, unknown> {
  return {
    target: `s3://${bucket}/${prefix}`,
    // moto's server (VENDRE_PULL_TEST_S3=moto) lists a few hundred keys slower than s3rver on a busy machine.
    s3: { region: 'us-east-1', endpoint, forcePathStyle: true, maxAttempts: 3, connectTimeoutMs: 2000, requestTimeoutMs: process.env.VENDRE_PULL_TEST_S3 === 'moto' ? 20_000 : 2000, ...s3 },
  };
}

/** Ingests and publishes the bundled sample exports, in name order. */
export async function ingestSamples(app: App) {
  const reports = [];
  for (const name of readdirSync(SAMPLES).sort()) reports.push(await processFile(app, path.join(SAMPLES, name), { move: false, reapply: true, publish: true }));
  return reports;
}

/** Every file under `root` as key → bytes. */
export function readTree(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string, rel: string) => {
    for (const n of readdirSync(dir).sort()) {
      const p = path.join(dir, n);
      const key = rel ? `${rel}/${n}` : n;
      if (statSync(p).isDirectory()) walk(p, key);
      else out.set(key, readFileSync(p));
    }
  };
  walk(root, '');
  return out;
}

/** Every object under `prefix` (ending in `/`) as key (without the prefix) → ETag, straight from s3rver. */
export async function listBucket(client: S3Client, bucket: string, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let token: string | undefined;
  do {
    const res = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of res.Contents ?? []) out.set(o.Key!.slice(prefix.length), o.ETag!);
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token);
  return out;
}

export async function getObject(client: S3Client, bucket: string, key: string) {
  const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { ...res, bytes: Buffer.from(await res.Body!.transformToByteArray()) };
}
