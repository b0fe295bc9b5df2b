import { createHash, randomBytes } from 'node:crypto';
import { access, constants, copyFile, mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cacheControlFor, contentTypeFor, type CacheControlPolicy } from './objects.ts';
import type { ListedObject, PutOptions, StoredObject, Target } from './target.ts';

/**
 * A local directory as the publish target (the embedded default, and what `serve` reads).
 * Writes go to a temporary name and are renamed into place, so a reader never sees half a file.
 */
export class LocalTarget implements Target {
  readonly root: string;
  readonly description: string;
  /** Temporary files live beside the tree, not in it, so a crash never leaves debris in the served tree. */
  private readonly tmpDir: string;

  /** Cache-Control that get() reports (a directory stores no headers); none when not given. */
  private readonly cacheControl: CacheControlPolicy | undefined;

  /** @param dir target directory; @param prefix key prefix (e.g. `v1`), a folder inside it. */
  constructor(dir: string, prefix: string, opts: { cacheControl?: CacheControlPolicy } = {}) {
    this.root = path.join(dir, prefix);
    this.cacheControl = opts.cacheControl;
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
    await this.atomically(key, (tmp) => writeFile(tmp, body));
  }

  async putFile(key: string, source: string, _opts: PutOptions): Promise<void> {
    await this.atomically(key, (tmp) => copyFile(source, tmp));
  }

  /** Writes to a temporary name beside the tree, then renames into place: readers never see half a file. */
  private async atomically(key: string, write: (tmp: string) => Promise<void>): Promise<void> {
    const file = this.pathOf(key);
    await this.ensureDir(path.dirname(file));
    await this.ensureDir(this.tmpDir);
    const tmp = path.join(this.tmpDir, `${process.pid}.${randomBytes(6).toString('hex')}`);
    try {
      await write(tmp);
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /** mkdir once per directory and process: a publish writes thousands of files into few folders. */
  private readonly made = new Set<string>();
  private async ensureDir(dir: string): Promise<void> {
    if (this.made.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.made.add(dir);
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

  /** Every file under the prefix, with the sha256 of its content (read here: a directory keeps no checksums). */
  async *list(): AsyncIterable<ListedObject> {
    const walk = async function* (dir: string, rel: string): AsyncGenerator<ListedObject> {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw err;
      }
      for (const d of entries) {
        const key = rel ? `${rel}/${d.name}` : d.name;
        const full = path.join(dir, d.name);
        if (d.isDirectory()) {
          yield* walk(full, key);
        } else if (d.isFile()) {
          const [body, st] = await Promise.all([readFile(full), stat(full)]);
          const sha256 = createHash('sha256').update(body).digest('hex');
          yield { key, size: body.length, sha256, etag: `"${sha256}"`, lastModified: st.mtime };
        }
      }
    };
    yield* walk(this.root, '');
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const file = this.pathOf(key);
    let body: Buffer;
    let mtime: Date;
    try {
      [body, { mtime }] = await Promise.all([readFile(file), stat(file)]);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
      throw err;
    }
    const sha256 = createHash('sha256').update(body).digest('hex');
    return {
      body,
      contentType: contentTypeFor(key),
      etag: `"${sha256}"`,
      ...(this.cacheControl ? { cacheControl: cacheControlFor(key, this.cacheControl) } : {}),
      size: body.length,
      lastModified: mtime,
      sha256,
    };
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
