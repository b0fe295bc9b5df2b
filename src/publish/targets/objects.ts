import { parseKey } from '../../layout/keys.ts';

/** Cache-Control per kind of object (config `publish.cacheControl`). */
export interface CacheControlPolicy {
  /** One order, invoice or PDF: changes rarely. */
  document: string;
  /** List pages and the backorder list: change with every new document, so they get the shorter lifetime. */
  list: string;
}

export const DEFAULT_CACHE_CONTROL: CacheControlPolicy = { document: 'max-age=300', list: 'max-age=60' };

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
export const PDF_CONTENT_TYPE = 'application/pdf';

/** `list` or `document`, from the key; anything the layout does not know counts as a list (the shorter lifetime). */
export function objectKind(key: string): 'list' | 'document' {
  const parsed = parseKey(key);
  return parsed?.type === 'document' || parsed?.type === 'pdf' ? 'document' : 'list';
}

export function cacheControlFor(key: string, policy: CacheControlPolicy): string {
  return policy[objectKind(key)];
}

export function contentTypeFor(key: string): string {
  return key.endsWith('.pdf') ? PDF_CONTENT_TYPE : JSON_CONTENT_TYPE;
}

/** Only JSON is worth compressing; PDFs are compressed already. */
export function isCompressible(contentType: string): boolean {
  return contentType.startsWith('application/json');
}

/** ETags compare without quotes and without a weak marker (`W/"…"`). */
export function normalizeEtag(etag: string | null | undefined): string | undefined {
  if (!etag) return undefined;
  return etag.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
}
