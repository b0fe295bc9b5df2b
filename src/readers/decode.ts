/**
 * Bytes -> text for the readers. One job: turn a file's bytes into JavaScript strings in the feed's
 * declared encoding, and refuse bytes that cannot be text in that encoding, naming file, line and
 * byte offset. Both readers (CSV and XML) read through DecodeStream.
 *
 * - UTF-8: a fatal streaming TextDecoder, so invalid bytes are an error instead of a silent U+FFFD
 *   (a Windows-1252 export declared as UTF-8 would otherwise turn every å into "�" unnoticed).
 *   The BOM is stripped (TextDecoder does that at the start of the stream).
 * - Windows-1252 / ISO-8859-1: iconv-lite. Not `latin1` and not TextDecoder: both map 0x80 to
 *   U+0080 instead of €. The five bytes Windows-1252 leaves undefined come out of iconv-lite as
 *   U+FFFD; we refuse them for the same reason as invalid UTF-8.
 * - NUL bytes are refused in every encoding: no ERP text contains them, and a file full of them is
 *   usually UTF-16, which we do not read.
 */
import { createReadStream } from 'node:fs';
import { pipeline, Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import type { Encoding } from '../config/types.ts';
import { DataError, ErrorCodes, type DataRule } from '../errors.ts';

const EMPTY = Buffer.alloc(0);
const HINT_NOT_UTF8 = 'the file is not UTF-8; exports from Windows ERPs are often windows-1252: if so, set `encoding: windows-1252` for this feed';

/**
 * Counts physical lines of a text that arrives in pieces. A line break is `\r\n`, `\n` or a lone
 * `\r` (what editors show), and a `\r\n` split across two pieces counts once.
 */
export class LineCounter {
  /** 1-based line of the next character to be fed. */
  line = 1;
  /** 1-based column (UTF-16 units) of the next character to be fed. */
  column = 1;
  private afterCR = false;

  clone(): LineCounter {
    const c = new LineCounter();
    c.line = this.line;
    c.column = this.column;
    c.afterCR = this.afterCR;
    return c;
  }

  /** Advances over text[from, to). */
  feed(text: string, from = 0, to = text.length): void {
    let i = from;
    if (i >= to) return;
    // The "\n" of a "\r\n" whose "\r" ended the previous piece: already counted.
    if (this.afterCR && text.charCodeAt(i) === 10) i++;
    this.afterCR = false;
    const start = i;
    let lastBreak = -1;
    // Searches stay inside [i, to): text.indexOf(c, i) would run on to the end of `text`, and the XML
    // reader feeds its buffer piece by piece (one call per record and line element), which made
    // LF-only and single-line files quadratic in the buffer size. A slice of a flat string is a view.
    const part = i === 0 && to === text.length ? text : text.slice(i, to);
    if (part.indexOf('\r') === -1) {
      // Fast path for LF-only text: indexOf is much faster than a char loop.
      for (let nl = part.indexOf('\n'); nl !== -1; nl = part.indexOf('\n', nl + 1)) {
        this.line++;
        lastBreak = i + nl;
      }
    } else {
      for (; i < to; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 || c === 13) {
          this.line++;
          if (c === 13 && i + 1 < to && text.charCodeAt(i + 1) === 10) i++;
          lastBreak = i;
        }
      }
      this.afterCR = lastBreak === to - 1 && text.charCodeAt(to - 1) === 13;
    }
    this.column = lastBreak === -1 ? this.column + (to - start) : to - lastBreak;
  }
}

/** Offset of the first byte that starts an invalid UTF-8 sequence; -1 if none (an incomplete sequence at the very end is not an error yet). */
export function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    // Allowed range of the first continuation byte excludes overlongs, surrogates and > U+10FFFF.
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= b.length) return -1;
      const d = b[i + k]!;
      if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** The trailing bytes of `b` that start a UTF-8 character not yet complete (what a streaming decoder holds back). */
function incompleteUtf8Tail(b: Buffer): Buffer {
  for (let j = b.length - 1; j >= Math.max(0, b.length - 3); j--) {
    const c = b[j]!;
    if ((c & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    if (c < 0xc0) return EMPTY; // ASCII: everything before is complete
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    return b.length - j < need ? Buffer.from(b.subarray(j)) : EMPTY;
  }
  return EMPTY;
}

function hexBytes(b: Uint8Array, from: number, count = 4): string {
  return [...b.subarray(from, from + count)].map((x) => `0x${x.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');
}

/**
 * Transform: Buffer chunks in, strings out (readable side in object mode, one string per chunk).
 * Errors are DataError(ENCODING) with file, line, column and the byte offset in the message.
 */
export class DecodeStream extends Transform {
  private readonly file: string;
  private readonly encoding: Encoding;
  private readonly utf8: TextDecoder | undefined;
  private readonly single: ReturnType<typeof iconv.getDecoder> | undefined;
  /** Position (line/column) after all text pushed so far. */
  private readonly lines = new LineCounter();
  /** Bytes of all chunks before the current one. */
  private bytes = 0;
  /** UTF-8 only: bytes of an unfinished character that the decoder holds from the previous chunk. */
  private tail: Buffer = EMPTY;
  private first = true;
  /** Single-byte encodings: still looking at the first non-ASCII bytes to tell UTF-8 apart (see looksUtf8). */
  private sniffing: boolean;

  constructor(file: string, encoding: Encoding) {
    super({ readableObjectMode: true });
    this.file = file;
    this.encoding = encoding;
    this.sniffing = encoding !== 'utf-8';
    if (encoding === 'utf-8') this.utf8 = new TextDecoder('utf-8', { fatal: true });
    else this.single = iconv.getDecoder(encoding);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      const text = this.decodeChunk(chunk);
      if (text) this.push(text);
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      if (this.utf8) {
        try {
          this.utf8.decode(); // throws when the file ends inside a multi-byte character
        } catch {
          throw this.encodingError(`file ends in the middle of a UTF-8 character at byte offset ${this.bytes - this.tail.length}`, this.lines, this.tail, 0, 'utf-8', HINT_NOT_UTF8);
        }
      } else {
        const rest = this.single!.end();
        if (rest) this.push(rest);
      }
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  private decodeChunk(chunk: Buffer): string {
    if (this.first) {
      this.first = false;
      this.checkStart(chunk);
    }
    // Bytes as the decoder sees them: the held-back tail of the previous chunk, then this chunk.
    // Only built on the error paths (the concat would cost on every chunk).
    const combined = (): Buffer => (this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk);
    const nul = chunk.indexOf(0);
    let text: string;
    if (this.utf8) {
      try {
        text = this.utf8.decode(chunk, { stream: true });
      } catch {
        const all = combined();
        const bad = firstInvalidUtf8(all);
        const nulAt = nul === -1 ? -1 : nul + this.tail.length;
        if (nulAt !== -1 && (bad === -1 || nulAt < bad)) throw this.nulError(all, nulAt);
        throw this.utf8Error(all, Math.max(bad, 0));
      }
      if (nul !== -1) throw this.nulError(combined(), nul + this.tail.length);
      this.tail = chunk.length >= 3 ? incompleteUtf8Tail(chunk) : incompleteUtf8Tail(combined());
    } else {
      text = this.single!.write(chunk);
      if (nul !== -1) throw this.nulError(chunk, nul);
      if (this.sniffing) this.sniff(chunk);
      // Single-byte encodings: text index === byte index, and only an undefined byte gives U+FFFD.
      const undef = text.indexOf('\uFFFD');
      if (undef !== -1) {
        throw this.encodingError(
          `byte ${hexBytes(chunk, undef, 1)} at byte offset ${this.bytes + undef} is not defined in ${this.encoding}`,
          this.at(chunk, undef),
          chunk,
          undef,
          this.encoding,
          'the file is probably in another encoding (UTF-8?); check `encoding` for this feed',
        );
      }
    }
    this.lines.feed(text);
    this.bytes += chunk.length;
    return text;
  }

  /** Byte-order marks that show the file is not in the declared encoding at all. */
  private checkStart(chunk: Buffer): void {
    if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
      throw this.encodingError('file starts with a UTF-16 byte-order mark; UTF-16 is not supported', this.lines, chunk, 0, 'utf-16', 'export the file as UTF-8 or Windows-1252');
    }
    if (this.encoding !== 'utf-8' && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
      throw this.encodingError(`file starts with a UTF-8 byte-order mark but the feed is declared ${this.encoding}`, this.lines, chunk, 0, 'encoding-bom', 'set `encoding: utf-8` for this feed');
    }
  }

  /**
   * A UTF-8 file on a single-byte feed decodes without error but publishes mojibake (`GodsmÃ¤rke`).
   * The first chunk with non-ASCII bytes decides: if those bytes are all well-formed UTF-8 sequences,
   * the file is UTF-8 (real Windows-1252 text has lone high bytes such as 0xE4 for ä, which are not
   * valid UTF-8, and "Ã¤" in a real export is next to impossible); otherwise it is what it says.
   */
  private sniff(chunk: Buffer): void {
    let h = -1;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i]! >= 0x80) {
        h = i;
        break;
      }
    }
    if (h === -1) return;
    this.sniffing = false;
    const lead = chunk[h]!;
    const len = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    if (h + len > chunk.length || firstInvalidUtf8(chunk) !== -1) return;
    const seq = chunk.subarray(h, h + len);
    const meant = new TextDecoder('utf-8').decode(seq);
    const shown = iconv.decode(seq, this.encoding);
    throw this.encodingError(
      `the file looks UTF-8 but the feed says ${this.encoding}: bytes ${hexBytes(seq, 0, len)} at byte offset ${this.bytes + h} are "${meant}" in UTF-8 and would be published as "${shown}"`,
      this.at(chunk, h),
      chunk,
      h,
      'encoding-mismatch',
      'set `encoding: utf-8` for this feed (or have the ERP export windows-1252)',
    );
  }

  /** Line/column of byte `idx` of `bytes` (which start where the text pushed so far ends). */
  private at(bytes: Buffer, idx: number): LineCounter {
    const prefix = bytes.subarray(0, idx);
    const text = this.utf8 ? new TextDecoder('utf-8').decode(prefix) : iconv.decode(prefix, this.encoding);
    const pos = this.lines.clone();
    pos.feed(text);
    return pos;
  }

  private utf8Error(bytes: Buffer, idx: number): DataError {
    const offset = this.bytes - this.tail.length + idx;
    return this.encodingError(`invalid UTF-8 byte sequence at byte offset ${offset}`, this.at(bytes, idx), bytes, idx, 'utf-8', HINT_NOT_UTF8);
  }

  private nulError(bytes: Buffer, idx: number): DataError {
    const offset = this.bytes - this.tail.length + idx;
    return this.encodingError(
      `NUL byte (0x00) at byte offset ${offset}`,
      this.at(bytes, idx),
      bytes,
      idx,
      'no-nul',
      'text exports never contain NUL bytes; a file full of them is usually UTF-16, export it as UTF-8 or Windows-1252',
    );
  }

  private encodingError(message: string, pos: LineCounter, bytes: Uint8Array, idx: number, rule: DataRule, hint: string): DataError {
    return new DataError(ErrorCodes.ENCODING, message, { file: this.file, line: pos.line, column: pos.column, value: hexBytes(bytes, idx), rule, hint });
  }
}

/**
 * The file's text as a stream of strings: createReadStream -> DecodeStream. Errors of either stage
 * end the returned stream (iterate it with for await; wrap errors with asReadError).
 */
export function openDecoded(file: string, encoding: Encoding, label = file, onBytes?: (bytesRead: number) => void): DecodeStream {
  return pipeline(countBytes(createReadStream(file), onBytes), new DecodeStream(label, encoding), () => {
    /* errors reach the consumer through the destroyed DecodeStream */
  });
}

/** Reports the bytes a file stream has read so far to `onBytes` (progress); the stream is returned as is. */
export function countBytes<S extends NodeJS.ReadableStream>(stream: S, onBytes?: (bytesRead: number) => void): S {
  if (onBytes) {
    let n = 0;
    stream.on('data', (chunk: Buffer | string) => onBytes((n += chunk.length)));
  }
  return stream;
}

/** File-system errors (ENOENT, EACCES, EISDIR, ...) -> DataError(READ); DataErrors and bugs pass unchanged. */
export function asReadError(err: unknown, file: string): unknown {
  if (err instanceof DataError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e === 'object' && typeof e.syscall === 'string') {
    return new DataError(ErrorCodes.READ, `cannot read file: ${e.code ?? e.message}`, { file, rule: 'read' }, { cause: err });
  }
  return err;
}
