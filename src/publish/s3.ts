import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Logger } from 'pino';
import { ConfigError } from '../errors.ts';
import { cacheControlFor, isCompressible, JSON_CONTENT_TYPE, type CacheControlPolicy } from './objects.ts';
import type { DeleteFailure, ListedObject, PutOptions, PutResult, StoredObject, Target } from './target.ts';

const gzipAsync = promisify(gzip);

/** S3 accepts at most 1000 keys per DeleteObjects request. */
export const DELETE_BATCH = 1000;

// vendre-pull runs on Node 20 by design (better-sqlite3 v12); the SDK's notice that later SDK releases
// need Node 22 is for the maintainers (package-lock pins a release that supports 20), not for every run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface S3ClientSettings {
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  checksums: 'default' | 'when-required';
  maxAttempts: number;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** Sockets per host; the drain's concurrency plus a little. */
  maxSockets: number;
}

/**
 * The SDK client as the S3 target uses it. Credentials come from the SDK's default chain. Retries
 * are the SDK's standard mode (exponential backoff with full jitter, a retry quota, throttling
 * errors such as SlowDown with a longer base delay); the request handler turns stalled connects
 * and requests into TimeoutErrors, which that mode retries like 5xx answers and connection resets.
 */
export function createS3Client(s: S3ClientSettings): S3Client {
  const checksum = s.checksums === 'when-required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
  const agent = { keepAlive: true, maxSockets: s.maxSockets };
  return new S3Client({
    region: s.region,
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    forcePathStyle: s.forcePathStyle ?? false,
    maxAttempts: s.maxAttempts,
    retryMode: 'standard',
    requestChecksumCalculation: checksum,
    responseChecksumValidation: checksum,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: s.connectTimeoutMs,
      requestTimeout: s.requestTimeoutMs,
      throwOnRequestTimeout: true,
      httpAgent: agent,
      httpsAgent: agent,
    }),
  });
}

export interface S3TargetOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix from the target URL (`s3://bucket/PREFIX`), may be empty. */
  bucketPrefix: string;
  /** The Pull API prefix (`prefix` in the config, e.g. `v1`). */
  prefix: string;
  /** For messages: the endpoint of an S3-compatible store, and the region. */
  endpoint?: string;
  region: string;
  gzip: boolean;
  cacheControl: CacheControlPolicy;
  concurrency: number;
  log: Logger;
  /** Called with the overwritten and deleted keys after each drain (CloudFront invalidation). */
  onPublished?: (changed: string[]) => Promise<void>;
  /** Objects per ListObjectsV2 page (S3's maximum and default is 1000). */
  listPageSize?: number;
}

/**
 * A bucket (or a prefix in one) as the publish target. Objects are written from Buffers of known
 * length (never streams: no aws-chunked uploads), with Content-MD5 so the store verifies the bytes,
 * the sha256 in metadata, Content-Type and Cache-Control per kind, gzip optionally. A call resolves
 * only when S3 answered 2xx; anything else throws (or, for deletes, is returned per key), so the
 * outbox keeps the entry.
 */
export class S3Target implements Target {
  readonly description: string;
  readonly concurrency: number;
  readonly bucket: string;
  /** Prefix of every object key in the bucket, ending in `/`. */
  readonly root: string;
  private readonly client: S3Client;
  private readonly opts: S3TargetOptions;

  constructor(opts: S3TargetOptions) {
    this.opts = opts;
    this.client = opts.client;
    this.bucket = opts.bucket;
    this.concurrency = opts.concurrency;
    this.root = `${[opts.bucketPrefix, opts.prefix].filter(Boolean).join('/')}/`;
    this.description = `s3://${opts.bucket}/${this.root} (${opts.endpoint ? `endpoint ${opts.endpoint}, ` : ''}region ${opts.region})`;
  }

  /** Bucket key of a target key. */
  s3Key(key: string): string {
    return this.root + key;
  }

  /** HeadBucket: the bucket exists and these credentials may use it. Errors name bucket and endpoint, never secrets. */
  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      throw new ConfigError(`target ${this.description}: ${explainHeadBucket(err, this.bucket)}`, 'target');
    }
  }

  async put(key: string, body: Buffer, opts: PutOptions): Promise<PutResult> {
    const compress = this.opts.gzip && isCompressible(opts.contentType);
    const stored = compress ? await gzipAsync(body) : body;
    try {
      const res = await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.s3Key(key),
          Body: stored,
          ContentLength: stored.length,
          ContentMD5: createHash('md5').update(stored).digest('base64'),
          ContentType: opts.contentType,
          CacheControl: cacheControlFor(key, this.opts.cacheControl),
          ...(compress ? { ContentEncoding: 'gzip' } : {}),
          Metadata: { sha256: opts.sha256 },
        }),
      );
      return res.ETag ? { etag: res.ETag } : {};
    } catch (err) {
      throw new Error(`PUT ${this.s3Key(key)}: ${describeError(err)}`, { cause: err });
    }
  }

  /** A file's bytes (a dropped PDF), read whole: S3 objects here are small, and a Buffer has a known length. */
  async putFile(key: string, file: string, opts: PutOptions): Promise<PutResult> {
    return this.put(key, await readFile(file), opts);
  }

  async delete(keys: string[]): Promise<DeleteFailure[]> {
    const failures: DeleteFailure[] = [];
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const chunk = keys.slice(i, i + DELETE_BATCH);
      try {
        const res = await this.client.send(
          new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: chunk.map((k) => ({ Key: this.s3Key(k) })), Quiet: true } }),
        );
        for (const e of res.Errors ?? []) {
          const key = e.Key?.startsWith(this.root) ? e.Key.slice(this.root.length) : (e.Key ?? '');
          failures.push({ key, error: `DELETE ${e.Key}: ${e.Code ?? 'error'}: ${e.Message ?? ''}`.trim() });
        }
      } catch (err) {
        const message = `DeleteObjects (${chunk.length} keys): ${describeError(err)}`;
        for (const key of chunk) failures.push({ key, error: message });
      }
    }
    return failures;
  }

  /** ListObjectsV2 over the prefix, page by page. Only `verify` lists: publishing never does. */
  async *list(): AsyncIterable<ListedObject> {
    let token: string | undefined;
    const seen = new Set<string>();
    do {
      let res;
      try {
        res = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.root, ContinuationToken: token, MaxKeys: this.opts.listPageSize ?? 1000 }),
        );
      } catch (err) {
        throw new Error(`LIST s3://${this.bucket}/${this.root}: ${describeError(err)}`, { cause: err });
      }
      for (const o of res.Contents ?? []) {
        if (!o.Key?.startsWith(this.root)) continue;
        yield { key: o.Key.slice(this.root.length), size: o.Size ?? 0, ...(o.ETag ? { etag: o.ETag } : {}), ...(o.LastModified ? { lastModified: o.LastModified } : {}) };
      }
      const next = res.IsTruncated ? res.NextContinuationToken : undefined;
      // A store that hands out the same token twice would loop forever.
      if (next !== undefined && seen.has(next)) throw new Error(`LIST s3://${this.bucket}/${this.root}: the store repeated a continuation token`);
      if (next !== undefined) seen.add(next);
      token = next;
    } while (token !== undefined);
  }

  async get(key: string): Promise<StoredObject | undefined> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.s3Key(key) }));
      const body = Buffer.from((await res.Body?.transformToByteArray()) ?? []);
      return {
        body,
        contentType: res.ContentType ?? JSON_CONTENT_TYPE,
        etag: res.ETag ?? '',
        ...(res.CacheControl ? { cacheControl: res.CacheControl } : {}),
        ...(res.ContentEncoding ? { contentEncoding: res.ContentEncoding } : {}),
        size: body.length,
        ...(res.LastModified ? { lastModified: res.LastModified } : {}),
        ...(res.Metadata?.sha256 ? { sha256: res.Metadata.sha256 } : {}),
      };
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return undefined;
      throw new Error(`GET ${this.s3Key(key)}: ${describeError(err)}`, { cause: err });
    }
  }

  async published(changed: string[]): Promise<void> {
    await this.opts.onPublished?.(changed);
  }

  /** Closes the client's sockets (the daemon keeps one client for its lifetime). */
  destroy(): void {
    this.client.destroy();
  }
}

/** "SlowDown (HTTP 503, 5 attempts): Please reduce your request rate." — what a log line needs. */
export function describeError(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
  const status = e?.$metadata?.httpStatusCode;
  const attempts = e?.$metadata?.attempts;
  const details = [status ? `HTTP ${status}` : '', e?.code && e.code !== e.name ? e.code : '', attempts && attempts > 1 ? `${attempts} attempts` : ''].filter(Boolean).join(', ');
  const message = e?.message && e.message !== e.name && e.message !== 'UnknownError' ? `: ${e.message}` : '';
  return `${e?.name ?? 'Error'}${details ? ` (${details})` : ''}${message}`;
}

function explainHeadBucket(err: unknown, bucket: string): string {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $response?: { headers?: Record<string, string> } };
  const status = e?.$metadata?.httpStatusCode;
  if (e?.name === 'CredentialsProviderError' || /credential/i.test(String((err as Error)?.message ?? ''))) {
    return 'no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment, or run with an instance or container role';
  }
  if (status === 404 || e?.name === 'NotFound' || e?.name === 'NoSuchBucket') return `bucket "${bucket}" does not exist`;
  if (status === 403) return `access denied to bucket "${bucket}": the credentials need s3:ListBucket on the bucket and s3:GetObject, s3:PutObject, s3:DeleteObject on its objects`;
  if (status === 301 || status === 400) {
    const region = e?.$response?.headers?.['x-amz-bucket-region'];
    return `bucket "${bucket}" answered HTTP ${status}${region ? `: it is in region ${region}, set s3.region` : ' (wrong region or endpoint?)'}`;
  }
  return `cannot reach the bucket: ${describeError(err)}`;
}
