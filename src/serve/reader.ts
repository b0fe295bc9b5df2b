import type { Readable } from 'node:stream';
import type { ObjectVersion, OpenedObject, StoredObject, Target } from '../publish/targets/target.ts';
import { Lru } from './cache.ts';

/** What serve answers with: the object's headers and its bytes, in memory or (large objects) as a stream. */
export interface Servable {
  contentType: string;
  /** Quotes included. */
  etag: string;
  /** sha256 of the uncompressed content, when known: with the ETag, names the bytes for the compressed-variant cache. */
  sha256?: string;
  cacheControl?: string;
  contentEncoding?: string;
  lastModified?: Date;
  /** Stored size in bytes. */
  size: number;
  /** The bytes as stored; absent for an object over `maxObjectBytes`, which is streamed. */
  body?: Buffer;
  /** The bytes as a stream (only when there is no body). */
  stream?(): Readable;
  /** Lets go of what reading holds (an open file): once, after the response. */
  release(): Promise<void>;
}

export interface ReaderOptions {
  /** Objects up to this size are read whole and may be kept; larger ones (PDFs) are streamed. */
  maxObjectBytes: number;
  /** Budget of the bytes kept between requests. */
  cacheBytes: number;
  cacheEntries: number;
  /** ms since the epoch (tests). */
  now?: () => number;
}

export const DEFAULT_READER_OPTIONS: ReaderOptions = { maxObjectBytes: 1024 * 1024, cacheBytes: 64 * 1024 * 1024, cacheEntries: 20_000 };

/**
 * A version is trusted for keeping only once it is this old: file times tick coarsely (jiffies;
 * whole seconds on some file systems), so a file written, replaced and written again within one
 * tick, with the same size and a reused inode number, could carry the same version as the bytes
 * kept. Two seconds after its last change a version is settled: any later replacement has a later
 * ctime. (Git's "racy clean" rule, for the same reason.) Until then every request reads the file.
 */
export const SETTLE_MS = 2000;

/** Rough cost of an entry beside its bytes (key, version string, headers). */
const ENTRY_OVERHEAD = 512;

interface Kept {
  /** The ObjectVersion.version the object was read under. */
  version: string;
  object: Omit<Servable, 'release' | 'stream'>;
}

const released = async (): Promise<void> => {};

/**
 * Reads objects for serve. A target that can tell an object's version cheaply (the local
 * directory: one stat, see Target.version) gets a cache: a request costs that stat, and the bytes
 * come from memory when the version is the one they were read under; otherwise the file is opened
 * and read (small objects, then kept) or streamed (large ones: only their ETag is kept, never their
 * bytes). Any other target (S3) is read with get() on every request, as before.
 */
export function objectReader(target: Pick<Target, 'get' | 'version' | 'open'>, opts: ReaderOptions = DEFAULT_READER_OPTIONS): (key: string) => Promise<Servable | undefined> {
  if (!target.version || !target.open) {
    return async (key) => {
      const obj = await target.get(key);
      return obj && { ...obj, release: released };
    };
  }
  const version = target.version.bind(target);
  const open = target.open.bind(target);
  const now = opts.now ?? Date.now;
  const kept = new Lru<Kept>(opts.cacheBytes, opts.cacheEntries);

  const keep = (key: string, v: ObjectVersion, object: Kept['object']) => {
    if (v.changedMs > now() - SETTLE_MS) return kept.delete(key);
    kept.set(key, { version: v.version, object }, ENTRY_OVERHEAD + (object.body?.length ?? 0));
  };

  const readOpened = async (key: string, opened: OpenedObject, known: Kept | undefined): Promise<Servable> => {
    if (opened.size <= opts.maxObjectBytes) {
      try {
        const stored: StoredObject = await opened.read();
        keep(key, opened, stored);
        return { ...stored, release: released };
      } finally {
        await opened.close();
      }
    }
    try {
      const etag = known && known.version === opened.version ? known.object.etag : (await opened.digest()).etag;
      const object = { contentType: opened.contentType, etag, size: opened.size, lastModified: opened.lastModified, ...(opened.cacheControl ? { cacheControl: opened.cacheControl } : {}) };
      keep(key, opened, object);
      return { ...object, stream: () => opened.stream(), release: () => opened.close() };
    } catch (err) {
      await opened.close();
      throw err;
    }
  };

  return async (key) => {
    const v = await version(key);
    if (!v) {
      kept.delete(key);
      return undefined;
    }
    const known = kept.get(key);
    if (known && known.version === v.version && known.object.body) return { ...known.object, release: released };
    const opened = await open(key);
    if (!opened) {
      kept.delete(key);
      return undefined;
    }
    return readOpened(key, opened, known);
  };
}
