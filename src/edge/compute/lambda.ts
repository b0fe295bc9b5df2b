/**
 * The compute origin on AWS: a Lambda function URL (payload 2.0) behind CloudFront with Origin
 * Access Control, so only the distribution can call it, after the viewer-request function has
 * checked the credentials. Two kinds of request reach it:
 *
 * - `/{prefix}/{list}?…` with the known parameters only: the function chose this origin
 *   (selectRequestOriginById) for a list call no published object answers;
 * - `/{prefix}/customers/…`: a published key S3 does not have (the origin group's failover on
 *   403/404): a page past the end, an unknown customer, a credit invoice under invoices/.
 *
 * It answers with answer.ts, the code `serve` runs, over the index objects in the bucket.
 * `vendre-pull edge` bundles this file (compute-handler.mjs); the AWS SDK comes with the runtime.
 */
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { gunzipSync } from 'node:zlib';
import { parseQueryString } from '../query.ts';
import type { ComputeKind } from '../route.ts';
import { answerList, answerMissing, COMPUTED_CACHE_CONTROL, type ComputeAnswer, type ComputeSettings, type ReadJson } from './answer.ts';

export interface ComputeOrigin extends ComputeSettings {
  /** Key prefix without slashes (`v1`). */
  prefix: string;
  bucket: string;
  /** The /path of target s3://BUCKET/path, without slashes, or ''. */
  root: string;
}

/** The parts of a function URL event (payload format 2.0) this handler reads. */
export interface UrlEvent {
  rawPath: string;
  rawQueryString?: string;
  requestContext?: { http?: { method?: string } };
}

export interface UrlResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const LISTS: Record<string, ComputeKind> = { orders: 'orders', invoices: 'invoices', 'credit-invoices': 'credit-invoices', stock: 'stock', prices: 'prices' };

export function computeHandler(origin: ComputeOrigin, s3: S3Client): (event: UrlEvent) => Promise<UrlResult> {
  const base = origin.root ? `${origin.root}/${origin.prefix}/` : `${origin.prefix}/`;
  const readText = async (key: string): Promise<string | undefined> => {
    try {
      const out = await s3.send(new GetObjectCommand({ Bucket: origin.bucket, Key: base + key }));
      const bytes = Buffer.from(await out.Body!.transformToByteArray());
      return (out.ContentEncoding === 'gzip' ? gunzipSync(bytes) : bytes).toString('utf8');
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw err;
    }
  };
  const readJson: ReadJson = async (key) => {
    const text = await readText(key);
    return text === undefined ? undefined : (JSON.parse(text) as unknown);
  };
  const reply = async (a: ComputeAnswer): Promise<UrlResult> => {
    if ('key' in a) {
      const text = await readText(a.key);
      if (text !== undefined) return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'max-age=300' }, body: text };
      return reply({ status: 404, body: { error: 'not_found', message: 'no such document' } });
    }
    const cache = a.status === 200 ? COMPUTED_CACHE_CONTROL : 'no-store';
    return { statusCode: a.status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': cache }, body: `${JSON.stringify(a.body)}\n` };
  };
  return async (event) => {
    const method = event.requestContext?.http?.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') return { statusCode: 405, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', allow: 'GET, HEAD' }, body: '{"error":"method_not_allowed","message":"only GET and HEAD"}\n' };
    const head = `/${origin.prefix}/`;
    const rest = event.rawPath.startsWith(head) ? event.rawPath.slice(head.length) : undefined;
    if (rest !== undefined && (rest.startsWith('customers/') || rest.startsWith('stock/'))) return reply(await answerMissing(rest, readJson, origin));
    const list = rest !== undefined && Object.prototype.hasOwnProperty.call(LISTS, rest) ? LISTS[rest]! : undefined;
    if (list === undefined) return reply({ status: 404, body: { error: 'not_found', message: 'no such document' } });
    return reply(await answerList(list, parseQueryString(event.rawQueryString ?? ''), readJson, origin));
  };
}

/** Baked in by `vendre-pull edge` (prefix, page size); the bucket and its path come from the environment. */
declare const VP_COMPUTE_SETTINGS: { prefix: string; pageSize: number; currency?: string; timeZone?: string };

let lambdaHandler: ((event: UrlEvent) => Promise<UrlResult>) | undefined;

/** The Lambda entry point (environment: BUCKET, ORIGIN_PATH). */
export async function handler(event: UrlEvent): Promise<UrlResult> {
  lambdaHandler ??= computeHandler(
    { ...VP_COMPUTE_SETTINGS, bucket: process.env.BUCKET ?? '', root: (process.env.ORIGIN_PATH ?? '').replace(/^\/+|\/+$/g, '') },
    new S3Client({}),
  );
  return lambdaHandler(event);
}
