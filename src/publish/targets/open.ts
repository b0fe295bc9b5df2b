import type { Logger } from 'pino';
import { targetOf, type Config } from '../../config/types.ts';
import { CloudFrontInvalidator, type CloudFrontLike } from './invalidate.ts';
import { LocalTarget } from './local.ts';
import { createS3Client, MIB, S3Target } from './s3.ts';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Target } from './target.ts';

/** Clients a test may inject instead of the real ones. */
export interface TargetDeps {
  s3Client?: S3Client;
  cloudFront?: CloudFrontLike;
}

/** The configured target: a local directory (the default) or an S3 bucket. Opens no connection yet; check() does. */
export function openTarget(cfg: Readonly<Config>, log: Logger, deps: TargetDeps = {}): Target {
  const where = targetOf(cfg.target);
  if (where.kind === 'local') return new LocalTarget(where.dir, cfg.prefix, { cacheControl: cfg.publish.cacheControl });
  const s3 = cfg.s3;
  const region = s3.region ?? 'us-east-1'; // the loader requires it for an s3:// target
  const inv = s3.invalidation;
  const invalidator =
    inv.enabled && inv.distributionId
      ? new CloudFrontInvalidator({
          distributionId: inv.distributionId,
          prefix: cfg.prefix,
          maxPathsPerCustomer: inv.maxPathsPerCustomer,
          maxAttempts: s3.maxAttempts,
          log: log.child({ component: 'cloudfront' }),
          ...(deps.cloudFront ? { client: deps.cloudFront } : {}),
        })
      : undefined;
  return new S3Target({
    client:
      deps.s3Client ??
      createS3Client({
        region,
        ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
        forcePathStyle: s3.forcePathStyle,
        checksums: s3.checksums,
        maxAttempts: s3.maxAttempts,
        connectTimeoutMs: s3.connectTimeoutMs,
        requestTimeoutMs: s3.requestTimeoutMs,
        maxSockets: cfg.publish.concurrency + 4,
      }),
    bucket: where.bucket,
    bucketPrefix: where.prefix,
    prefix: cfg.prefix,
    region,
    ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
    gzip: s3.gzip,
    cacheControl: cfg.publish.cacheControl,
    concurrency: cfg.publish.concurrency,
    multipartThreshold: s3.multipartThresholdMiB * MIB,
    partSize: s3.partSizeMiB * MIB,
    log,
    ...(invalidator ? { onPublished: async (changed: string[]) => void (await invalidator.invalidate(changed)) } : {}),
  });
}
