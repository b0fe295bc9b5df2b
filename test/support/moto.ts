import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3rverHandle } from './s3rver.ts';

const INSTALL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../.ci/install-moto.sh');

/**
 * How to start moto's server: `moto_server` on the PATH, or `python3 -m moto.server`. When neither
 * works, .ci/install-moto.sh installs it (Debian's python3-moto; no Python package index is
 * needed); when that fails too, the error says so and how to install it.
 */
export function motoCommand(): string[] {
  const works = (cmd: string[]) => spawnSync(cmd[0]!, [...cmd.slice(1), '--help'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
  const candidates = [['moto_server'], ['python3', '-m', 'moto.server']];
  for (const c of candidates) if (works(c)) return c;
  try {
    execFileSync('sh', [INSTALL], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
  } catch (err) {
    throw new Error(`moto's S3 server is not installed and ${INSTALL} could not install it (${(err as Error).message}). Install moto[server] or Debian's python3-moto, python3-flask and python3-flask-cors.`);
  }
  for (const c of candidates) if (works(c)) return c;
  throw new Error(`moto's S3 server is still not runnable after ${INSTALL}`);
}

async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/**
 * moto's server on 127.0.0.1 with the given buckets: an S3 that checks what s3rver does not
 * (multipart ETags, AbortMultipartUpload, listings past 20,000 keys). Same handle as startS3rver.
 */
export async function startMoto(buckets: string[]): Promise<S3rverHandle> {
  const cmd = motoCommand();
  const port = await freePort();
  const child: ChildProcess = spawn(cmd[0]!, [...cmd.slice(1), '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + String(d)).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode} before listening: ${stderr}`);
    try {
      const res = await fetch(`${url}/moto-api/`);
      await res.arrayBuffer();
      break;
    } catch {
      if (Date.now() > until) {
        child.kill('SIGKILL');
        throw new Error(`moto_server did not answer on ${url} within 30 s: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const client = new S3Client({ region: 'us-east-1', endpoint: url, forcePathStyle: true, maxAttempts: 1 });
  for (const Bucket of buckets) await client.send(new CreateBucketCommand({ Bucket }));
  return {
    url,
    port,
    client,
    async close() {
      client.destroy();
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
