import { randomBytes } from 'node:crypto';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import type { Logger } from 'pino';
import { logCode } from '../../errors.ts';
import { describeError } from './s3.ts';

export interface InvalidationPlanOptions {
  /** The Pull API prefix (`v1`): CloudFront paths are `/{prefix}/{key}` (the bucket prefix is the origin path). */
  prefix: string;
  /** More changed paths than this for one customer → `/{prefix}/customers/{c}/*`. */
  maxPathsPerCustomer: number;
  /** CloudFront allows 3,000 individual paths in progress per distribution. */
  maxPaths?: number;
  /** …and 15 wildcard paths in progress. */
  maxWildcards?: number;
}

/** Characters that stand in a path as they are; anything else (`~` of encoded ids included) is left to a wildcard. */
const PLAIN = /^[A-Za-z0-9_.\-/]+$/;

/**
 * The paths of one invalidation batch for the keys a publish cycle overwrote or deleted. Pure.
 * A customer with many changed paths (a new order shifts every list page) collapses to one
 * wildcard; so does one whose key would need URL-encoding. When the batch would still exceed
 * CloudFront's limits for paths in progress, everything under the prefix is invalidated at once.
 * Sorted and without duplicates; empty for no keys.
 */
export function planInvalidation(keys: readonly string[], opts: InvalidationPlanOptions): string[] {
  const maxPaths = opts.maxPaths ?? 3000;
  const maxWildcards = opts.maxWildcards ?? 15;
  const root = `/${opts.prefix}/`;
  const byCustomer = new Map<string, Set<string>>();
  const other = new Set<string>();
  let wildcardAll = false;
  for (const key of new Set(keys)) {
    const m = /^customers\/([^/]+)\//.exec(key);
    if (m) {
      let set = byCustomer.get(m[1]!);
      if (!set) byCustomer.set(m[1]!, (set = new Set()));
      set.add(key);
    } else if (PLAIN.test(key)) {
      other.add(`${root}${key}`);
    } else {
      wildcardAll = true;
    }
  }
  const paths = new Set<string>(other);
  let wildcards = 0;
  for (const [customer, set] of byCustomer) {
    const plain = [...set].every((k) => PLAIN.test(k));
    if (set.size > opts.maxPathsPerCustomer || !plain || !PLAIN.test(customer)) {
      paths.add(`${root}customers/${customer}/*`);
      wildcards++;
    } else {
      for (const k of set) paths.add(`${root}${k}`);
    }
  }
  if (wildcardAll || wildcards > maxWildcards || paths.size > maxPaths) return [`${root}*`];
  return [...paths].sort();
}

/** The one call this module makes; a CloudFrontClient, or a fake in tests. */
export interface CloudFrontLike {
  send(command: CreateInvalidationCommand): Promise<{ Invalidation?: { Id?: string } }>;
}

export interface InvalidatorOptions extends InvalidationPlanOptions {
  distributionId: string;
  log: Logger;
  client?: CloudFrontLike;
  maxAttempts?: number;
}

/**
 * Sends one invalidation per publish cycle. Keys of a failed call are kept (in memory) and sent
 * with the next cycle's; after a restart, the objects' max-age bounds how long a cache stays stale.
 */
export class CloudFrontInvalidator {
  private readonly client: CloudFrontLike;
  private readonly opts: InvalidatorOptions;
  private pending = new Set<string>();
  /** Too many keys kept from failed calls: the next call invalidates the whole prefix. */
  private everything = false;

  constructor(opts: InvalidatorOptions) {
    this.opts = opts;
    // CloudFront is a global service whose API lives in us-east-1.
    this.client = opts.client ?? new CloudFrontClient({ region: 'us-east-1', maxAttempts: opts.maxAttempts ?? 5, retryMode: 'standard' });
  }

  /** Returns the invalidation id, or undefined when nothing needed invalidating or the call failed (logged). */
  async invalidate(changed: readonly string[]): Promise<string | undefined> {
    for (const k of changed) this.pending.add(k);
    if (this.pending.size > 10 * (this.opts.maxPaths ?? 3000)) {
      this.everything = true;
      this.pending = new Set();
    }
    const keys = [...this.pending];
    const paths = this.everything ? [`/${this.opts.prefix}/*`] : planInvalidation(keys, this.opts);
    if (paths.length === 0) return undefined;
    try {
      const res = await this.client.send(
        new CreateInvalidationCommand({
          DistributionId: this.opts.distributionId,
          InvalidationBatch: { CallerReference: `vendre-pull-${Date.now()}-${randomBytes(4).toString('hex')}`, Paths: { Quantity: paths.length, Items: paths } },
        }),
      );
      this.pending = new Set();
      this.everything = false;
      const id = res.Invalidation?.Id;
      this.opts.log.info({ distribution: this.opts.distributionId, invalidation: id, paths: paths.length, keys: keys.length }, 'CloudFront invalidation created');
      return id;
    } catch (err) {
      this.opts.log.error(
        { ...logCode('after-publish-failed'), distribution: this.opts.distributionId, paths: paths.length, keys: keys.length, err: describeError(err) },
        'CloudFront invalidation failed; its paths are retried with the next publish cycle (caches expire by max-age meanwhile)',
      );
      return undefined;
    }
  }
}
