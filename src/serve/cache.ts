import { LRUCache } from 'lru-cache';

/**
 * A least-recently-used map with a byte budget, for what `serve` keeps between requests (object
 * bytes, compressed variants): lru-cache, behind the small interface serve uses. A hit makes its
 * entry the most recent; the least recent go first when the bytes or the entries exceed the budget.
 */
export class Lru<V extends {}> {
  private readonly cache: LRUCache<string, V>;

  constructor(
    readonly maxBytes: number,
    readonly maxEntries: number,
  ) {
    this.cache = new LRUCache<string, V>({ max: maxEntries, maxSize: maxBytes });
  }

  get size(): number {
    return this.cache.size;
  }

  /** Bytes held, as the callers of set() counted them. */
  get bytes(): number {
    return this.cache.calculatedSize;
  }

  get(key: string): V | undefined {
    return this.cache.get(key);
  }

  /** Keeps `value` as costing `bytes` (a positive integer); a value bigger than the whole budget is not kept, and the key's old value is gone. */
  set(key: string, value: V, bytes: number): void {
    // Delete first: lru-cache keeps the old size when the same value is set again.
    this.cache.delete(key);
    this.cache.set(key, value, { size: bytes });
  }

  delete(key: string): void {
    this.cache.delete(key);
  }
}
