import { randomBytes } from 'node:crypto';
import { access, constants, mkdir, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PutOptions, Target } from './target.ts';

/**
 * A local directory as the publish target (the embedded default, and what `serve` reads).
 * Writes go to a temporary name and are renamed into place, so a reader never sees half a file.
 */
export class LocalTarget implements Target {
  readonly root: string;
  readonly description: string;
  /** Temporary files live beside the tree, not in it, so a crash never leaves debris in the served tree. */
  private readonly tmpDir: string;

  /** @param dir target directory; @param prefix key prefix (e.g. `v1`), a folder inside it. */
  constructor(dir: string, prefix: string) {
    this.root = path.join(dir, prefix);
    this.tmpDir = path.join(dir, '.tmp');
    this.description = `local directory ${this.root}`;
  }

  pathOf(key: string): string {
    const full = path.resolve(this.root, key);
    // Keys come from keys.ts and cannot escape, but a target must never trust its callers with paths.
    if (!full.startsWith(this.root + path.sep)) throw new Error(`key escapes the target: ${key}`);
    return full;
  }

  /** Health check; also clears temporary files a killed process left behind. */
  async check(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await access(this.root, constants.W_OK);
    await mkdir(this.tmpDir, { recursive: true });
    for (const name of await readdir(this.tmpDir)) {
      const pid = Number(name.split('.')[0]);
      if (!isAlive(pid)) await rm(path.join(this.tmpDir, name), { force: true });
    }
  }

  async put(key: string, body: Buffer, _opts: PutOptions): Promise<void> {
    const file = this.pathOf(key);
    await mkdir(path.dirname(file), { recursive: true });
    await mkdir(this.tmpDir, { recursive: true });
    const tmp = path.join(this.tmpDir, `${process.pid}.${randomBytes(6).toString('hex')}`);
    try {
      await writeFile(tmp, body);
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) {
      try {
        await unlink(this.pathOf(key));
      } catch (err) {
        // Already gone is the state we want.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }
}

/** Temporary files are named after their writer's pid: only those of dead processes are debris. */
function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
