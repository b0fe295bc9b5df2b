/**
 * UTF-8 by hand, for code that also runs as a CloudFront Function (no Buffer, no TextDecoder,
 * ES5 syntax): the key encoding and the edge's percent-decoding share it.
 */

/** The UTF-8 bytes of a string; a lone surrogate becomes U+FFFD, as Buffer.from(s, 'utf8') writes it. */
export function utf8Bytes(value: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < value.length; i++) {
    let c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

/** Strict decoding: undefined for overlong forms, surrogates, code points past U+10FFFF and truncated sequences. */
export function utf8Decode(bytes: readonly number[]): string | undefined {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let cp: number;
    let n: number;
    let min: number;
    if (b < 0x80) {
      cp = b;
      n = 0;
      min = 0;
    } else if (b >= 0xc2 && b <= 0xdf) {
      cp = b & 0x1f;
      n = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      cp = b & 0x0f;
      n = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      cp = b & 0x07;
      n = 3;
      min = 0x10000;
    } else {
      return undefined;
    }
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    if (cp < 0x10000) out += String.fromCharCode(cp);
    else out += String.fromCharCode(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
    i += n + 1;
  }
  return out;
}

const HEX = '0123456789ABCDEF';

/** Two upper-case hex digits. */
export function hex2(byte: number): string {
  return HEX.charAt(byte >> 4) + HEX.charAt(byte & 15);
}
