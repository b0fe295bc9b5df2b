/** Where published objects go. Keys are relative to the configured prefix (`customers/{c}/…`). */
export interface PutOptions {
  contentType: string;
  /** sha256 (hex) of `body`: stored beside the object (S3: metadata `x-amz-meta-sha256`). */
  sha256: string;
}

/** What the target confirmed for a write. */
export interface PutResult {
  /** The object's entity tag as the target reports it (S3: quoted MD5 of the stored bytes), kept in the manifest for `verify`. */
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
   * copies it; S3 reads it into one Buffer and sends a single PUT (no multipart: PDFs are small).
   */
  putFile(key: string, file: string, opts: PutOptions): Promise<PutResult | void>;
  /** Deletes the keys; a missing key is not an error. Per-key failures are returned, not thrown. */
  delete(keys: string[]): Promise<DeleteFailure[] | void>;
  /** Every object under the prefix, in no particular order. */
  list(): AsyncIterable<ListedObject>;
  /** The object, or undefined when there is no such key. */
  get(key: string): Promise<StoredObject | undefined>;
  /**
   * Called after a drain with the keys whose earlier version a reader may have cached (overwritten
   * or deleted), e.g. to invalidate a CDN. Must not throw for problems the next cycle cannot fix.
   */
  published?(changed: string[]): Promise<void>;
}
