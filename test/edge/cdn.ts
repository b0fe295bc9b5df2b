/**
 * The CDN path as CloudFront runs it (samples/aws/template.yaml), for tests: the emitted
 * viewer-request function (node:vm), then the origin it leaves the request on: S3 (s3rver), or
 * the compute origin's handler (src/edge/compute/lambda.ts) when the function selected it, or
 * when S3 has no such key (the origin group's failover on 403/404); a 404 from there too gets
 * the custom error response's body (not-found.json).
 */
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { COMPUTE_ORIGIN_ID } from '../../src/edge/cloudfront/kvs-keys.ts';
import type { UrlEvent, UrlResult } from '../../src/edge/compute/lambda.ts';
import { cfEvent, type LoadedFunction } from './cloudfront-sim.ts';

export interface CdnResponse {
  status: number;
  body: Buffer;
  /** Which origin answered: the function itself, s3, or compute. */
  via: 'function' | 's3' | 'compute';
}

export interface Cdn {
  fn: LoadedFunction;
  compute: (event: UrlEvent) => Promise<UrlResult>;
  s3: S3Client;
  bucket: string;
  /** The origin path (target s3://bucket/root), without slashes. */
  root: string;
}

const NOT_FOUND = Buffer.from(`${JSON.stringify({ error: 'not_found', message: 'no such document' })}\n`);

export async function cdnRequest(cdn: Cdn, method: string, path: string, query: string, headers: Record<string, string>, now: number): Promise<CdnResponse> {
  const out = await cdn.fn.run(cfEvent(method, path, query, headers), now);
  if (!('uri' in out)) {
    const body = out.body as { data: string };
    return { status: out.statusCode as number, body: Buffer.from(body.data), via: 'function' };
  }
  const uri = String(out.uri);
  const qs = out.querystring as Record<string, { value: string }>;
  const rawQueryString = Object.entries(qs)
    .map(([k, v]) => `${k}=${v.value}`)
    .join('&');
  const compute = async (): Promise<CdnResponse> => {
    const r = await cdn.compute({ rawPath: uri, rawQueryString, requestContext: { http: { method } } });
    if (r.statusCode === 404) return { status: 404, body: NOT_FOUND, via: 'compute' };
    return { status: r.statusCode, body: Buffer.from(r.body), via: 'compute' };
  };
  if (cdn.fn.origin === COMPUTE_ORIGIN_ID) return compute();
  try {
    const got = await cdn.s3.send(new GetObjectCommand({ Bucket: cdn.bucket, Key: `${cdn.root}${uri}` }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    return { status: 200, body: got.ContentEncoding === 'gzip' ? gunzipSync(bytes) : bytes, via: 's3' };
  } catch (err) {
    if ((err as { name?: string }).name !== 'NoSuchKey') throw err;
    return compute();
  }
}
