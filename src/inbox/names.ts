/**
 * What a dropped file's name says: which feed it belongs to, which document a PDF is for, or that the
 * inbox leaves it alone. Names only: no folder is read here.
 */
import escapeStringRegexp from 'escape-string-regexp';
import picomatch from 'picomatch';
import type { FeedConfig, PdfConfig } from '../config/types.ts';

/**
 * A feed pattern is a file-name glob of `*` and `?` only, case-insensitive (the schema says so). picomatch
 * with its other syntax switched off; the regex groups it cannot switch off, `( | )`, and the backslash
 * are escaped, so a name such as `ordrar (1).csv` stays literal.
 */
const FEED_GLOB: picomatch.PicomatchOptions = {
  nocase: true,
  dot: true,
  nobrace: true,
  nobracket: true,
  noextglob: true,
  noglobstar: true,
  nonegate: true,
  keepQuotes: true,
};

export function globToRegExp(pattern: string): RegExp {
  return picomatch.makeRe(pattern.replace(/[()|\\]/g, '\\$&'), FEED_GLOB);
}

export function feedFor(name: string, feeds: readonly FeedConfig[]): FeedConfig | undefined {
  return feeds.find((f) => globToRegExp(f.pattern).test(name));
}

export interface PdfMatch {
  kind: PdfConfig['kind'];
  id: string;
}

/**
 * `faktura_{id}.pdf` → /^faktura_(.+?)\.pdf$/i; the captured part is the document number. Not a glob:
 * the text around `{id}` is literal, `*` included.
 */
export function pdfPatternToRegExp(pattern: string): RegExp {
  const [before, after] = pattern.split('{id}') as [string, string];
  return new RegExp(`^${escapeStringRegexp(before)}(.+?)${escapeStringRegexp(after)}$`, 'i');
}

/** Which configured PDF pattern a dropped file name matches, and the document it belongs to. */
export function pdfFor(name: string, pdfs: readonly PdfConfig[]): PdfMatch | undefined {
  for (const p of pdfs) {
    const m = pdfPatternToRegExp(p.pattern).exec(name);
    if (m && m[1]!.trim()) return { kind: p.kind, id: m[1]!.trim() };
  }
  return undefined;
}

/** Names the inbox never takes: temporary names of writers still at work, our own error reports. */
export function isIgnoredName(name: string, markerSuffixes: readonly string[] = []): boolean {
  return (
    name.startsWith('.') ||
    /\.(tmp|part|partial|filepart|crdownload)$/i.test(name) ||
    name.endsWith('.error.json') ||
    name.endsWith('.skipped.json') ||
    markerSuffixes.some((s) => name.toLowerCase().endsWith(s.toLowerCase()))
  );
}
