import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSegment, encodeSegment } from '../../src/layout/keys.ts';
import { utf8Bytes, utf8Decode } from '../../src/layout/utf8.ts';

/** The encoding as it was first written, with Buffer and TextDecoder: the portable one must match it. */
function referenceEncode(value: string): string {
  let out = '';
  let i = 0;
  for (const ch of value) {
    if (/[A-Za-z0-9_.-]/.test(ch) && !(i === 0 && ch === '.')) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `~${b.toString(16).toUpperCase().padStart(2, '0')}`;
    i++;
  }
  return out;
}

function referenceDecode(segment: string): string | undefined {
  if (!/^(?:[A-Za-z0-9_.-]|~[0-9A-F]{2})+$/.test(segment) || segment.startsWith('.')) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < segment.length; ) {
    if (segment[i] === '~') {
      bytes.push(parseInt(segment.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      bytes.push(segment.charCodeAt(i));
      i++;
    }
  }
  try {
    const d = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Uint8Array.from(bytes));
    return referenceEncode(d) === segment ? d : undefined;
  } catch {
    return undefined;
  }
}

/** A deterministic pseudo-random sequence (no flaky tests). */
function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

test('the portable key encoding (no Buffer, no TextDecoder) matches the Buffer-based one byte for byte', () => {
  const alphabet = ['a', 'Z', '0', '.', '-', '_', '~', ' ', '/', '\\', '%', '+', 'å', '€', '\u0000', '\u007f', '\uFEFF', '日', '😀', '\uD800', '\uDC00', '\uFFFF'];
  const next = rng(42);
  for (let t = 0; t < 20000; t++) {
    let s = '';
    const len = 1 + Math.floor(next() * 6);
    for (let k = 0; k < len; k++) s += alphabet[Math.floor(next() * alphabet.length)];
    const seg = encodeSegment(s);
    assert.equal(seg, referenceEncode(s), JSON.stringify(s));
    assert.equal(decodeSegment(seg), referenceDecode(seg), seg);
  }
  const pieces = ['~', 'A', '0', '~C0', '~AF', '~ED~A0~80', '~F4~90~80~80', '~E2~82', '~E2~82~AC', '.', 'a', '~41', '~2F', '~2f', '~EF~BB~BF'];
  for (let t = 0; t < 20000; t++) {
    let s = '';
    const len = 1 + Math.floor(next() * 5);
    for (let k = 0; k < len; k++) s += pieces[Math.floor(next() * pieces.length)];
    assert.equal(decodeSegment(s), referenceDecode(s), s);
  }
});

test('UTF-8 by hand agrees with Buffer, and refuses what TextDecoder refuses', () => {
  for (const s of ['', 'abc', 'åäö', '€', '😀', 'a\uD800b', '\uDC00', '\uFFFF']) assert.deepEqual(utf8Bytes(s), [...Buffer.from(s, 'utf8')], JSON.stringify(s));
  for (const bytes of [[0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xff], [0xe2, 0x82], [0x80]]) assert.equal(utf8Decode(bytes), undefined, bytes.join(','));
  assert.equal(utf8Decode([0xf0, 0x9f, 0x98, 0x80]), '😀');
});
