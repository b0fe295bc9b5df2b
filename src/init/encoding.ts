/**
 * Which encoding a sample export is in, from its bytes: a byte-order mark decides; otherwise text
 * that is valid UTF-8 is UTF-8; otherwise it is a single-byte Windows export (Windows-1252, or
 * ISO-8859-1 when it holds one of the five bytes Windows-1252 leaves undefined). Pure.
 */
import type { Encoding } from '../config/types.ts';
import { firstInvalidUtf8 } from '../readers/decode.ts';

export interface EncodingGuess {
  encoding: Encoding;
  /** The text starts with a UTF-8 byte-order mark (the readers skip it). */
  bom: boolean;
  /** Why, in a few words, for the YAML comment. */
  reason: string;
}

export class UnsupportedEncoding extends Error {}

/** Bytes Windows-1252 does not define; ISO-8859-1 maps them to C1 controls. */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

export function detectEncoding(bytes: Uint8Array, declared?: string): EncodingGuess {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bom: true, reason: 'UTF-8 byte-order mark' };
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new UnsupportedEncoding('the file is UTF-16 (byte-order mark); vendre-pull reads UTF-8, Windows-1252 and ISO-8859-1: export it as UTF-8');
  }
  if (bytes.indexOf(0) !== -1) throw new UnsupportedEncoding('the file contains NUL bytes: not a text export (UTF-16 without a byte-order mark?)');
  const bad = firstInvalidUtf8(bytes);
  if (bad === -1) {
    let nonAscii = 0;
    for (const b of bytes) if (b >= 0x80) nonAscii++;
    return nonAscii > 0
      ? { encoding: 'utf-8', bom: false, reason: `valid UTF-8 (${nonAscii} non-ASCII bytes)` }
      : { encoding: 'utf-8', bom: false, reason: 'ASCII only in the sample: utf-8 reads it, and so would windows-1252' };
  }
  const byte = `0x${bytes[bad]!.toString(16).toUpperCase().padStart(2, '0')}`;
  const iso = /^iso-?8859-?1$|^latin-?1$/i.test(declared ?? '');
  for (const b of bytes) {
    if (CP1252_UNDEFINED.has(b)) return { encoding: 'iso-8859-1', bom: false, reason: `not UTF-8 (byte ${byte} at offset ${bad}), and byte 0x${b.toString(16).toUpperCase()} is undefined in Windows-1252` };
  }
  if (iso) return { encoding: 'iso-8859-1', bom: false, reason: `not UTF-8 (byte ${byte} at offset ${bad}); the file declares ${declared}` };
  return { encoding: 'windows-1252', bom: false, reason: `not UTF-8 (byte ${byte} at offset ${bad}): a Windows single-byte export` };
}

/** The `encoding="…"` of an XML declaration, if the text starts with one. */
export function xmlDeclaredEncoding(head: string): string | undefined {
  return /^\uFEFF?<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/.exec(head)?.[1];
}
