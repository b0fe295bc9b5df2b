import { createHash, randomBytes } from 'node:crypto';
import { mkdir as mkdirCallback, rename as renameCallback, stat as statCallback, writeFile as writeFileCallback, type Stats } from 'node:fs';
import { access, constants, copyFile, mkdir, open, readdir, readFile, rename, rm, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { walkFiles } from '../../fs/walk.ts';
import { cacheControlFor, contentTypeFor, type CacheControlPolicy } from './objects.ts';
import type { ListedObject, ObjectVersion, OpenedObject, PutOptions, StoredObject, Target } from './target.ts';

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

  /** Beside the prefix folder, like .tmp: not part of the served tree. */
  get markerPath(): string {
    return path.join(path.dirname(this.tmpDir), '.vendre-pull-state.json');
  }

  async readMarker(): Promise<string | undefined> {
    try {
      return await readFile(this.markerPath, 'utf8');
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async writeMarker(body: string): Promise<void> {
    await mkdir(path.dirname(this.markerPath), { recursive: true });
    const tmp = `${this.markerPath}.${process.pid}.tmp`;
    await writeFile(tmp, body);
    await rename(tmp, this.markerPath);
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
    await this.atomically(key, (tmp) => writeFileCb(tmp, body));
  }

  async putFile(key: string, source: string, _opts: PutOptions): Promise<void> {
    await this.atomically(key, (tmp) => copyFile(source, tmp));
  }

  /** Writes to a temporary name beside the tree, then renames into place: readers never see half a file. */
  private async atomically(key: string, write: (tmp: string) => Promise<void>, again = true): Promise<void> {
    const file = this.pathOf(key);
    // pid first: check() removes what a dead process left; then this instance and a counter (no random bytes per file).
    const tmp = path.join(this.tmpDir, `${process.pid}.${this.instance}.${++this.seq}`);
    try {
      // Inside the retry: a new folder under one that was made and then removed fails here, not in the write.
      await this.ensureDir(path.dirname(file));
      await this.ensureDir(this.tmpDir);
      await write(tmp);
      await renameCb(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      if (again && isMissing(err)) {
        // A folder this process made was removed behind it (by hand, a clean-up): forget what was made, once.
        this.made.clear();
        return this.atomically(key, write, false);
      }
      throw err;
    }
  }

  private readonly instance = randomBytes(4).toString('hex');
  private seq = 0;

  /**
   * mkdir once per directory and process, parent first, one syscall each (a recursive mkdir of a new
   * customer's `orders/years/2025/pages` probes every level): a first publish creates tens of
   * thousands of folders. Concurrent writes into one new folder share its promise.
   */
  private readonly made = new Map<string, Promise<void>>();
  private ensureDir(dir: string): Promise<void> {
    let made = this.made.get(dir);
    if (!made) {
      const parent = path.dirname(dir);
      made = (parent === dir || dir === this.root || dir === this.tmpDir ? mkdir(dir, { recursive: true }) : this.ensureDir(parent).then(() => mkdirCb(dir)))
        .then(
          () => undefined,
          (err: NodeJS.ErrnoException) => {
            if (err.code !== 'EEXIST') throw err;
          },
        )
        .catch((err: unknown) => {
          this.made.delete(dir);
          throw err;
        });
      this.made.set(dir, made);
    }
    return made;
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
    for await (const f of walkFiles(this.root)) {
      const [body, st] = await Promise.all([readFile(f.path), stat(f.path)]);
      const sha256 = createHash('sha256').update(body).digest('hex');
      yield { key: f.rel, size: body.length, sha256, etag: `"${sha256}"`, lastModified: st.mtime };
    }
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const opened = await this.open(key);
    if (!opened) return undefined;
    try {
      return await opened.read();
    } finally {
      await opened.close();
    }
  }

  /** One stat: what `serve` checks before answering from the bytes it keeps (on every request, hence the callback API: a third less CPU than fs/promises). */
  async version(key: string): Promise<ObjectVersion | undefined> {
    try {
      const st = await statQuick(this.pathOf(key));
      return st.isFile() ? versionOf(st) : undefined;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  /** The file opened once: its stat, bytes, stream and digest all come from that one inode, whatever a publish renames over the name meanwhile. */
  async open(key: string): Promise<OpenedObject | undefined> {
    let fh: FileHandle;
    try {
      fh = await open(this.pathOf(key), 'r');
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    let st: Stats;
    try {
      st = await fh.stat();
    } catch (err) {
      await fh.close();
      throw err;
    }
    if (!st.isFile()) {
      await fh.close();
      return undefined;
    }
    const contentType = contentTypeFor(key);
    const cacheControl = this.cacheControl ? cacheControlFor(key, this.cacheControl) : undefined;
    const fromStart = () => fh.createReadStream({ start: 0, autoClose: false, emitClose: false });
    return {
      ...versionOf(st),
      contentType,
      ...(cacheControl ? { cacheControl } : {}),
      read: async () => {
        const body = await fh.readFile();
        const sha256 = createHash('sha256').update(body).digest('hex');
        return { body, contentType, etag: `"${sha256}"`, ...(cacheControl ? { cacheControl } : {}), size: body.length, lastModified: st.mtime, sha256 };
      },
      digest: async () => {
        const hash = createHash('sha256');
        for await (const chunk of fromStart()) hash.update(chunk as Buffer);
        const sha256 = hash.digest('hex');
        return { etag: `"${sha256}"`, sha256 };
      },
      stream: fromStart,
      close: () => fh.close(),
    };
  }
}

const statQuick = promisify(statCallback);
// The callback API through promisify: per call, a good part less CPU than fs/promises (no FileHandle), which shows when a publish writes 100,000 files.
const writeFileCb = promisify(writeFileCallback);
const renameCb = promisify(renameCallback);
const mkdirP = promisify(mkdirCallback);
const mkdirCb = (dir: string): Promise<unknown> => mkdirP(dir);

function versionOf(st: Stats): ObjectVersion {
  return { version: `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`, size: st.size, lastModified: st.mtime, changedMs: st.ctimeMs };
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
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
