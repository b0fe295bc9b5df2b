import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import { tmpDir } from '../helpers.ts';

// s3rver's fixed credentials; the SDK's default chain finds them in the environment, as it would
// find real ones. Nothing here talks to AWS: endpoints are 127.0.0.1 only.
process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
delete process.env.AWS_SESSION_TOKEN;
delete process.env.AWS_PROFILE;
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 's3rver-child.cjs');

export interface S3rverHandle {
  url: string;
  port: number;
  /** A client straight to s3rver (no proxy), for checking and tampering behind the publisher's back. */
  client: S3Client;
  close(): Promise<void>;
}

/**
 * Starts s3rver on 127.0.0.1 and a free port in a child process, with the given (DNS-valid) buckets.
 * With VENDRE_PULL_TEST_S3=moto, moto's server instead (test/support/moto.ts): the same suites then
 * run against an S3 that checks multipart ETags, aborts and long listings (test/faults/s3-moto.test.ts).
 */
export async function startS3rver(buckets: string[]): Promise<S3rverHandle> {
  if (process.env.VENDRE_PULL_TEST_S3 === 'moto') return (await import('./moto.ts')).startMoto(buckets);
  const dir = tmpDir('vp-s3rver');
  const child: ChildProcess = spawn(process.execPath, ['--openssl-legacy-provider', CHILD, dir, buckets.join(',')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([
    once(lines, 'line').then(([l]) => String(l)),
    once(child, 'exit').then(([code]) => {
      throw new Error(`s3rver exited with ${code} before listening`);
    }),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('s3rver did not start within 15 s')), 15_000).unref()),
  ]);
  const { port } = JSON.parse(first) as { port: number };
  const url = `http://127.0.0.1:${port}`;
  const client = new S3Client({ region: 'us-east-1', endpoint: url, forcePathStyle: true, maxAttempts: 1 });
  return {
    url,
    port,
    client,
    async close() {
      client.destroy();
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        child.stdin!.end();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
