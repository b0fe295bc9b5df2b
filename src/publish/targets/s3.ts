import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { ConfigError } from '../../errors.ts';
import { cacheControlFor, isCompressible, JSON_CONTENT_TYPE, type CacheControlPolicy } from './objects.ts';
import type { DeleteFailure, ListedObject, PutOptions, PutResult, StoredObject, Target } from './target.ts';

const gzipAsync = promisify(gzip);

/** S3 accepts at most 1000 keys per DeleteObjects request. */
export const DELETE_BATCH = 1000;

export const MIB = 1024 * 1024;
/** S3's smallest part size (every part but the last). */
export const MIN_PART_SIZE = 5 * MIB;
/** Defaults of `s3.multipartThresholdMiB` and `s3.partSizeMiB`. */
export const DEFAULT_MULTIPART_THRESHOLD = 16 * MIB;
export const DEFAULT_PART_SIZE = 8 * MIB;
/** Parts of one upload in flight: lib-storage holds about (queue + 1) × part size in memory per upload. */
export const MULTIPART_QUEUE = 4;
/** Multipart uploads at once per target, whatever the drain's concurrency, so memory stays bounded. */
const MULTIPART_AT_ONCE = 2;

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
  /** putFile sends a file of at least this many bytes as a multipart upload (default 16 MiB). */
  multipartThreshold?: number;
  /** Bytes per part of a multipart upload (default 8 MiB, at least S3's 5 MiB). */
  partSize?: number;
}

/**
 * A bucket (or a prefix in one) as the publish target. Objects are written from Buffers of known
 * length (never streams: no aws-chunked uploads), with Content-MD5 so the store verifies the bytes,
 * the sha256 in metadata, Content-Type and Cache-Control per kind, gzip optionally. Large files
 * (PDFs from `multipartThreshold` on) are read from disk part by part as a multipart upload; each
 * part is again a Buffer of known length with its Content-MD5. A call resolves only when S3
 * answered 2xx; anything else throws (or, for deletes, is returned per key), so the outbox keeps
 * the entry.
 */
export class S3Target implements Target {
  readonly description: string;
  readonly concurrency: number;
  readonly bucket: string;
  /** Prefix of every object key in the bucket, ending in `/`. */
  readonly root: string;
  readonly multipartThreshold: number;
  readonly partSize: number;
  private readonly client: S3Client;
  private readonly opts: S3TargetOptions;
  private readonly multipartLimit = pLimit(MULTIPART_AT_ONCE);

  constructor(opts: S3TargetOptions) {
    this.opts = opts;
    this.client = opts.client;
    this.multipartThreshold = opts.multipartThreshold ?? DEFAULT_MULTIPART_THRESHOLD;
    this.partSize = opts.partSize ?? DEFAULT_PART_SIZE;
    if (this.partSize < MIN_PART_SIZE) throw new ConfigError(`s3.partSizeMiB: a part must be at least 5 MiB (S3's minimum), got ${this.partSize} bytes`, 's3.partSizeMiB', undefined, 'config-invalid');
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
      throw new ConfigError(`target ${this.description}: ${explainHeadBucket(err, this.bucket)}`, 'target', undefined, 'config-target');
    }
  }

  /** What every write of `key` carries, single PUT or multipart: the one place these are set. */
  private objectParams(key: string, opts: PutOptions, gzipped: boolean) {
    return {
      Bucket: this.bucket,
      Key: this.s3Key(key),
      ContentType: opts.contentType,
      CacheControl: cacheControlFor(key, this.opts.cacheControl),
      ...(gzipped ? { ContentEncoding: 'gzip' } : {}),
      Metadata: { sha256: opts.sha256 },
    } satisfies PutObjectCommandInput;
  }

  async put(key: string, body: Buffer, opts: PutOptions): Promise<PutResult> {
    const compress = this.opts.gzip && isCompressible(opts.contentType);
    const stored = compress ? await gzipAsync(body) : body;
    try {
      const res = await this.client.send(
        new PutObjectCommand({
          ...this.objectParams(key, opts, compress),
          Body: stored,
          ContentLength: stored.length,
          ContentMD5: createHash('md5').update(stored).digest('base64'),
        }),
      );
      return res.ETag ? { etag: res.ETag } : {};
    } catch (err) {
      throw new Error(`PUT ${this.s3Key(key)}: ${describeError(err)}`, { cause: err });
    }
  }

  /**
   * A file's bytes (a dropped PDF). Below `multipartThreshold` it is read whole and sent as one PUT;
   * from there on it is streamed from disk as a multipart upload, so memory stays at a few parts
   * whatever the file's size.
   */
  async putFile(key: string, file: string, opts: PutOptions): Promise<PutResult> {
    const cannotRead = (err: unknown) => new Error(`PUT ${this.s3Key(key)}: cannot read ${file}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
    const size = await stat(file).then((s) => s.size, (err: unknown) => Promise.reject(cannotRead(err)));
    // gzip needs the whole body; only JSON is compressed, and files come here as PDFs.
    if (size < this.multipartThreshold || (this.opts.gzip && isCompressible(opts.contentType))) {
      return this.put(key, await readFile(file).catch((err: unknown) => Promise.reject(cannotRead(err))), opts);
    }
    return this.multipartLimit(() => this.putMultipart(key, file, size, opts));
  }

  /**
   * lib-storage's Upload from a file stream: CreateMultipartUpload (with the same type, cache
   * lifetime and metadata as a PUT), parts of `partSize` bytes, MULTIPART_QUEUE of them at once,
   * CompleteMultipartUpload; on a failure it sends AbortMultipartUpload (leavePartsOnError: false),
   * so no parts stay behind to be billed. The ETag is the one CompleteMultipartUpload returned.
   */
  private async putMultipart(key: string, file: string, size: number, opts: PutOptions): Promise<PutResult> {
    const where = `PUT ${this.s3Key(key)} (multipart upload, ${Math.ceil(size / this.partSize)} parts)`;
    const steps = new MultipartSteps();
    const body = createReadStream(file);
    try {
      const upload = new Upload({
        client: multipartClient(this.client, steps),
        params: { ...this.objectParams(key, opts, false), Body: body },
        partSize: this.partSize,
        queueSize: MULTIPART_QUEUE,
        leavePartsOnError: false,
      });
      const res = await upload.done();
      return res.ETag ? { etag: res.ETag } : {};
    } catch (err) {
      throw new Error(`${where}: ${steps.explain(err, file)}`, { cause: err });
    } finally {
      body.destroy();
    }
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

  /** `{root without its slash}.vendre-pull-state.json`: beside the prefix, outside every listing of it. */
  private get markerKey(): string {
    return `${this.root.replace(/\/$/, '')}.vendre-pull-state.json`;
  }

  async readMarker(): Promise<string | undefined> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.markerKey }));
      return Buffer.from((await res.Body?.transformToByteArray()) ?? []).toString('utf8');
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return undefined;
      throw new Error(`GET ${this.markerKey}: ${describeError(err)}`, { cause: err });
    }
  }

  async writeMarker(body: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.markerKey, Body: body, ContentType: 'application/json', CacheControl: 'no-store' }));
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
  if (status === 403) return `access denied to bucket "${bucket}": the credentials need s3:ListBucket on the bucket and s3:GetObject, s3:PutObject, s3:DeleteObject, s3:AbortMultipartUpload on its objects`;
  if (status === 301 || status === 400) {
    const region = e?.$response?.headers?.['x-amz-bucket-region'];
    return `bucket "${bucket}" answered HTTP ${status}${region ? `: it is in region ${region}, set s3.region` : ' (wrong region or endpoint?)'}`;
  }
  return `cannot reach the bucket: ${describeError(err)}`;
}

/** The requests of one multipart upload that failed, and whether its AbortMultipartUpload went through. */
class MultipartSteps {
  readonly failures: Array<{ step: string; err: unknown }> = [];
  aborted = false;

  /** "UploadPart 2 failed: InternalError (HTTP 500, 5 attempts): …; the upload was aborted". */
  explain(err: unknown, file: string): string {
    const failed = this.failures.find((f) => f.step !== 'AbortMultipartUpload');
    // Not a request: reading the file (or lib-storage's own checks, e.g. the file changed size).
    const what = failed ? `${failed.step} failed: ${describeError(failed.err)}` : `reading ${file} failed: ${describeError(err).split('\n')[0]}`;
    const abort = this.failures.find((f) => f.step === 'AbortMultipartUpload');
    if (abort) return `${what}; AbortMultipartUpload failed too (${describeError(abort.err)}): the parts already sent stay in the bucket (billed, not listed) until an AbortIncompleteMultipartUpload lifecycle rule removes them`;
    return this.aborted ? `${what}; the upload was aborted` : what;
  }
}

/**
 * The client as one Upload sees it: the same client (configuration, sockets, retries), except that
 * each request's outcome is noted for the error message, parts and single PUTs get Content-MD5
 * like put() sends (with `checksums: when-required` nothing else would let the store check a
 * part), and after a failure no further part is sent (lib-storage would send all remaining parts
 * before it aborts).
 */
function multipartClient(client: S3Client, steps: MultipartSteps): S3Client {
  const view = Object.create(client) as S3Client;
  const send = async (command: Parameters<S3Client['send']>[0]) => {
    const step = stepOf(command);
    if (command instanceof UploadPartCommand || command instanceof PutObjectCommand) {
      if (steps.failures.length > 0 && command instanceof UploadPartCommand) throw new Error('part not sent: an earlier request of this upload failed');
      addContentMd5(command);
    }
    try {
      const res = await client.send(command);
      if (command instanceof AbortMultipartUploadCommand) steps.aborted = true;
      return res;
    } catch (err) {
      steps.failures.push({ step, err });
      throw err;
    }
  };
  view.send = send as S3Client['send'];
  return view;
}

function stepOf(command: unknown): string {
  if (command instanceof UploadPartCommand) return `UploadPart ${command.input.PartNumber ?? '?'}`;
  if (command instanceof CreateMultipartUploadCommand) return 'CreateMultipartUpload';
  if (command instanceof CompleteMultipartUploadCommand) return 'CompleteMultipartUpload';
  if (command instanceof AbortMultipartUploadCommand) return 'AbortMultipartUpload';
  if (command instanceof PutObjectCommand) return 'PutObject';
  return (command as { constructor?: { name?: string } })?.constructor?.name?.replace(/Command$/, '') ?? 'request';
}

/** Content-MD5 of a Buffer body, set before signing (lib-storage cannot pass a per-part value). */
function addContentMd5(command: UploadPartCommand | PutObjectCommand): void {
  const options = { step: 'build', name: 'vendrePullContentMd5' } as const;
  // Two identical calls: the two commands' middleware stacks have incompatible types.
  if (command instanceof UploadPartCommand) command.middlewareStack.add((next) => async (args) => next(setContentMd5(args)), options);
  else command.middlewareStack.add((next) => async (args) => next(setContentMd5(args)), options);
}

function setContentMd5<A extends { request: unknown }>(args: A): A {
  const request = args.request as { headers?: Record<string, string>; body?: unknown } | undefined;
  if (request?.headers && request.body instanceof Uint8Array && !request.headers['content-md5']) {
    request.headers['content-md5'] = createHash('md5').update(request.body).digest('base64');
  }
  return args;
}
