import type { Readable } from 'node:stream';

/** Where published objects go. Keys are relative to the configured prefix (`customers/{c}/…`). */
export interface PutOptions {
  contentType: string;
  /** sha256 (hex) of `body`: stored beside the object (S3: metadata `x-amz-meta-sha256`). */
  sha256: string;
}

/** What the target confirmed for a write. */
export interface PutResult {
  /**
   * The object's entity tag as the target reports it, kept in the manifest for `verify`, which only
   * compares it with a listing's: S3's is the quoted MD5 of the stored bytes for a single PUT, but
   * "<md5 of the parts' MD5s>-<parts>" for a multipart upload (and opaque with SSE-KMS).
   */
  etag?: string;
}

/** A key a delete could not remove; every key not listed was deleted (or was already gone). */
export interface DeleteFailure {
  key: string;
  error: string;
}

/** One object as a listing shows it, without reading its bytes (S3) or with them (local). */
export interface ListedObject {
  key: string;
  /** Stored size in bytes (after gzip, when the target compresses). */
  size: number;
  etag?: string;
  /** sha256 of the content, when the listing knows it (the local target computes it; S3 listings do not carry metadata). */
  sha256?: string;
  lastModified?: Date;
}

/**
 * One stored object. `body` is the bytes as stored: when `contentEncoding` is `gzip` they are
 * compressed, and a reader passes them through with that header (or gunzips them).
 */
export interface StoredObject {
  body: Buffer;
  contentType: string;
  /** Entity tag as HTTP writes it, quotes included: S3's ETag; the local target's is the sha256 of the file. */
  etag: string;
  cacheControl?: string;
  contentEncoding?: string;
  /** Length of `body`. */
  size: number;
  lastModified?: Date;
  /** sha256 of the uncompressed content, from the object's metadata (S3) or computed (local). */
  sha256?: string;
}

/** What identifies an object's bytes on a target that can tell without reading them (the local directory). */
export interface ObjectVersion {
  /**
   * Equal versions mean equal bytes. The local target's is the file's device, inode, size, mtime
   * and ctime: every write makes a new file and renames it into place, nothing is written in place.
   */
  version: string;
  size: number;
  lastModified: Date;
  /** When the version came to be (ctime, ms since the epoch): see SETTLE_MS in src/serve/reader.ts on why a reader keeps bytes only of settled versions. */
  changedMs: number;
}

/** An object opened for reading: version and bytes come from the same open file, so they belong together. */
export interface OpenedObject extends ObjectVersion {
  contentType: string;
  cacheControl?: string;
  /** The whole object, as get() returns it. */
  read(): Promise<StoredObject>;
  /** Its entity tag and sha256, reading the bytes as a stream (never the whole object in memory). */
  digest(): Promise<{ etag: string; sha256: string }>;
  /** The bytes from the start, as a stream that leaves the object open (close() does that). */
  stream(): Readable;
  close(): Promise<void>;
}

export interface Target {
  /** For logs: never includes credentials. */
  readonly description: string;
  /** Parallel requests the drain may make (default 8). */
  readonly concurrency?: number;
  /** Health check: fails fast, with a message naming the target, when it cannot be written. */
  check(): Promise<void>;
  /** Resolves only once the target holds the object; throws otherwise. */
  put(key: string, body: Buffer, opts: PutOptions): Promise<PutResult | void>;
  /**
   * Like put, for bytes in a file (PDFs, issue 6): the target reads `file` itself. The local target
   * copies it; S3 sends a small file as one PUT and a large one (s3.multipartThresholdMiB) as a
   * multipart upload streamed from disk, so a PDF's size does not decide the process's memory.
   */
  putFile(key: string, file: string, opts: PutOptions): Promise<PutResult | void>;
  /** Deletes the keys; a missing key is not an error. Per-key failures are returned, not thrown. */
  delete(keys: string[]): Promise<DeleteFailure[] | void>;
  /** Every object under the prefix, in no particular order. */
  list(): AsyncIterable<ListedObject>;
  /** The object, or undefined when there is no such key. */
  get(key: string): Promise<StoredObject | undefined>;
  /**
   * Optional, where it is cheap (the local directory: one stat): the object's current version
   * without reading it, or undefined when there is no such key. With open(), lets `serve` keep
   * bytes in memory and still never answer with those of a replaced object.
   */
  version?(key: string): Promise<ObjectVersion | undefined>;
  /** Optional: the object opened for reading, its version and bytes from the same open file (large PDFs are streamed, not buffered), or undefined when there is no such key. */
  open?(key: string): Promise<OpenedObject | undefined>;
  /**
   * Called after a drain with the keys whose earlier version a reader may have cached (overwritten
   * or deleted), e.g. to invalidate a CDN. Must not throw for problems the next cycle cannot fix.
   */
  published?(changed: string[]): Promise<void>;
  /**
   * The state's identity marker, kept beside the published tree (outside the prefix: never listed,
   * served or verified): which state published here and how far it had come. Undefined when absent.
   */
  readMarker?(): Promise<string | undefined>;
  writeMarker?(body: string): Promise<void>;
}
