import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type Tags } from 'yaml';
import { buildViewerRequest } from '../../src/edge/bundle.ts';
import { SETTINGS } from './cases.ts';
import { COMPUTE_ORIGIN_ID } from '../../src/edge/cloudfront/kvs-keys.ts';
import { ARTICLE_PARAMS, LIST_PARAMS } from '../../src/edge/compute/params.ts';
import { tmpDir } from '../helpers.ts';

/** CloudFormation's short-form functions, read as plain objects. */
const cfnTags: Tags = ['Ref', 'Sub', 'GetAtt', 'If', 'Equals', 'Not', 'And', 'Or', 'Join', 'Select', 'Split'].flatMap((name) => [
  { tag: `!${name}`, resolve: (v: unknown) => ({ [name]: v }) },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (v: unknown) => ({ [name]: (v as { toJSON(): unknown }).toJSON() }) },
]);

test('samples/aws: the rendered stack carries the generated function verbatim, a private bucket, OAC with ListBucket, and a cache key without auth', async () => {
  const dir = tmpDir('vp-aws');
  const code = await buildViewerRequest(SETTINGS);
  const codeFile = path.join(dir, 'viewer-request.js');
  writeFileSync(codeFile, code);
  const rendered = execFileSync(process.execPath, ['samples/aws/render-template.mjs', 'samples/aws/template.yaml', codeFile], { encoding: 'utf8' });
  const t = parse(rendered, { customTags: cfnTags }) as { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
  const r = t.Resources;
  const fn = r.ViewerRequestFunction!.Properties;
  assert.equal(fn.FunctionCode, code, 'the code survives YAML byte for byte');
  assert.equal(fn.FunctionConfig.Runtime, 'cloudfront-js-2.0');
  assert.deepEqual(fn.FunctionConfig.KeyValueStoreAssociations, [{ KeyValueStoreARN: { GetAtt: 'KeyValueStore.Arn' } }]);
  assert.deepEqual(r.Bucket!.Properties.PublicAccessBlockConfiguration, { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
  assert.deepEqual(r.Bucket!.Properties.LifecycleConfiguration, { Rules: [{ Id: 'AbortIncompleteMultipartUploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }] }, 'parts of an upload cut by a crash do not accumulate');
  const statements = r.BucketPolicy!.Properties.PolicyDocument.Statement as Array<{ Effect: string; Action: string; Principal: unknown }>;
  assert.ok(statements.some((s) => s.Effect === 'Allow' && s.Action === 's3:ListBucket'), 'ListBucket, so a missing key is a 404');
  assert.ok(statements.some((s) => s.Effect === 'Allow' && s.Action === 's3:GetObject'));
  assert.ok(!statements.some((s) => s.Effect === 'Allow' && s.Principal === '*'), 'nothing public');
  assert.equal(r.OriginAccessControl!.Properties.OriginAccessControlConfig.SigningBehavior, 'always');
  const key = r.CachePolicy!.Properties.CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin;
  assert.deepEqual([key.HeadersConfig.HeaderBehavior, key.CookiesConfig.CookieBehavior, key.QueryStringsConfig.QueryStringBehavior], ['none', 'none', 'whitelist']);
  // Exactly the parameters the function forwards to the compute path (route.ts), nothing that could carry a credential.
  assert.deepEqual([...key.QueryStringsConfig.QueryStrings].sort(), [...LIST_PARAMS, ...ARTICLE_PARAMS].sort());
  const dist = r.Distribution!.Properties.DistributionConfig;
  assert.deepEqual(dist.DefaultCacheBehavior.AllowedMethods, ['GET', 'HEAD']);
  assert.equal(dist.DefaultCacheBehavior.ViewerProtocolPolicy, 'https-only');
  assert.deepEqual(dist.DefaultCacheBehavior.FunctionAssociations, [{ EventType: 'viewer-request', FunctionARN: { GetAtt: 'ViewerRequestFunction.FunctionMetadata.FunctionARN' } }]);
  assert.equal(dist.Origins[0].S3OriginConfig.OriginAccessIdentity, '');
  // The compute origin: a function URL only CloudFront can call, chosen by id or by failover from S3.
  const compute = dist.Origins.find((o: { Id: string }) => o.Id === COMPUTE_ORIGIN_ID);
  assert.ok(compute, `an origin with the id the function selects (${COMPUTE_ORIGIN_ID})`);
  assert.deepEqual(compute.OriginAccessControlId, { GetAtt: 'ComputeOriginAccessControl.Id' });
  assert.equal(r.ComputeOriginAccessControl!.Properties.OriginAccessControlConfig.OriginAccessControlOriginType, 'lambda');
  assert.equal(r.ComputeOriginAccessControl!.Properties.OriginAccessControlConfig.SigningBehavior, 'always');
  assert.equal(r.ComputeUrl!.Properties.AuthType, 'AWS_IAM');
  for (const name of ['ComputeUrlPermission', 'ComputeInvokePermission']) {
    assert.equal(r[name]!.Properties.Principal, 'cloudfront.amazonaws.com', name);
    assert.match(r[name]!.Properties.SourceArn.Sub, /distribution\/\$\{Distribution\}$/, name);
  }
  assert.deepEqual([r.ComputeFunction!.Properties.Runtime, r.ComputeFunction!.Properties.Handler], ['nodejs20.x', 'index.handler']);
  const group = dist.OriginGroups.Items[0];
  assert.equal(dist.DefaultCacheBehavior.TargetOriginId, group.Id);
  assert.deepEqual(group.Members.Items, [{ OriginId: 'published' }, { OriginId: COMPUTE_ORIGIN_ID }]);
  assert.deepEqual(group.FailoverCriteria.StatusCodes.Items, [403, 404]);
  const policy = r.ComputeRole!.Properties.Policies[0].PolicyDocument.Statement as Array<{ Action: string }>;
  assert.deepEqual(policy.map((st) => st.Action), ['s3:GetObject', 's3:ListBucket'], 'the compute function only reads');
  assert.deepEqual(dist.CustomErrorResponses, [{ ErrorCode: 404, ResponseCode: 404, ResponsePagePath: '/_vendre-pull/not-found.json', ErrorCachingMinTTL: 30 }]);
  for (const s of ['deploy.sh', 'kvs-sync.sh', 'test-function.sh']) execFileSync('bash', ['-n', path.join('samples/aws', s)]);
});
