/**
 * XML reader: file -> DecodeStream -> RecordCutter -> fast-xml-parser, one RawRecord per record
 * element, streaming.
 *
 * fast-xml-parser parses whole documents, so RecordCutter cuts the decoded text into chunks, one
 * record element each, and only those chunks reach the parser: never the prolog or a DOCTYPE.
 * Memory stays bounded by the largest record (limit: XML_MAX_RECORD_SIZE), also for a caller that
 * keeps values: field values are copies, never views into the decoded text (see detach).
 *
 * RecordCutter is a small lexer, not a full XML parser. It knows comments, CDATA, processing
 * instructions, DOCTYPE, start/end tags (with quoted attribute values that may contain `>`) and keeps
 * the stack of open elements, so it never cuts inside a comment or CDATA that merely contains the
 * record tag's text, and it reports unbalanced tags with their exact line. Everything else about
 * well-formedness is checked per chunk by XMLValidator.
 *
 * Record path: `recordPath` is a path FROM THE DOCUMENT ROOT (as the config documents it):
 * `Fakturor/Faktura` takes <Faktura> elements whose parent is the root element <Fakturor>. Elements
 * of the same name elsewhere are not records; if the file has such elements but not one at the
 * configured path, that is an error (a renamed root would otherwise read as "no records").
 *
 * Entities: any `<!ENTITY` in the file rejects it (billion laughs, external entities). In records,
 * only the five predefined entities and numeric character references are allowed and decoded;
 * anything else (`&lol9;`, `&nbsp;`, a bare `&`) is an error, never left literal or expanded.
 *
 * Flattening a record into `fields` (paths relative to the record element):
 *   <Kund><Namn>x</Namn></Kund>   -> "Kund/Namn": "x"
 *   <Faktura nr="1">              -> "@nr": "1"          (attribute of the record itself)
 *   <Kund typ="f">                -> "Kund/@typ": "f"
 *   <Belopp valuta="SEK">12</…>   -> "Belopp": "12", "Belopp/@valuta": "SEK"
 *   <Tom/>                        -> "Tom": ""            (present but empty, unlike absent)
 *   text of the record element itself (rare) -> ".".
 *   Repeated elements: FIRST WINS. Only the first occurrence of a repeated element is flattened (as
 *   a whole, so two occurrences are never mixed); the ERP puts one value per path in the formats we
 *   read, and a silent "join" would invent values. Line elements are the exception, see linePath.
 *   Text is trimmed (trimValues), never converted: "006" stays "006". CDATA text is plain text.
 * Elements at `linePath` (relative to the record, e.g. `Rader/Rad`) are not flattened into
 * `fields`; each becomes a RawLine with its own fields (same rules, relative to the line element)
 * and the line where its start tag is. A single line element still gives a one-element list.
 */
import path from 'node:path';
import { XMLParser, XMLValidator, type EntityDecoderOptions } from 'fast-xml-parser';
import { ConfigError, DataError, ErrorCodes, type DataRule } from '../errors.ts';
import { asReadError, LineCounter, openDecoded } from './decode.ts';
import { setField, type RawLine, type RawRecord, type ReadHooks, type ReaderLimits, type ReaderOptions } from './types.ts';

/** A record element larger than this (characters) is an error. */
export const XML_MAX_RECORD_SIZE = 16 * 1024 * 1024;

export async function* readXml(file: string, opts: ReaderOptions, limits: ReaderLimits = {}, hooks: ReadHooks = {}): AsyncGenerator<RawRecord> {
  const recordPath = splitPath(opts.recordPath);
  if (!recordPath.length) throw new ConfigError(`${file}: an XML feed needs \`recordPath\``, 'recordPath', undefined, 'config-feed');
  const linePath = opts.linePath ? splitPath(opts.linePath).join('/') : undefined;
  const label = path.basename(file); // errors name the file as ops see it in quarantine
  const cutter = new RecordCutter(label, recordPath, linePath, limits.maxRecordSize ?? XML_MAX_RECORD_SIZE);
  const toRecord = recordBuilder(label, recordPath.at(-1)!, linePath);
  let record = 0;
  try {
    for await (const text of openDecoded(file, opts.encoding, label, hooks.onBytes) as AsyncIterable<string>) {
      for (const chunk of cutter.push(text)) yield toRecord(chunk, ++record);
    }
    for (const chunk of cutter.finish()) yield toRecord(chunk, ++record);
  } catch (err) {
    throw asReadError(err, file);
  }
}

function splitPath(path: string | undefined): string[] {
  return (path ?? '').split('/').filter((s) => s !== '');
}

// ---------------------------------------------------------------------------------------------
// Cutting the text into record chunks

/** One record element's text, where it starts, and where its line elements start (document order). */
export interface Chunk {
  text: string;
  line: number;
  column: number;
  lineStarts: number[];
}

/** Markup whose end is not in the buffer yet: where to resume looking (so no rescans). */
interface Pending {
  kind: string;
  start: number;
  from: number;
  quote: string;
  depth: number;
}

type MarkupKind = 'comment' | 'cdata' | 'pi' | 'doctype' | 'end' | 'start';

/** Any entity declaration, wherever it is. Case-insensitive to be safe; XML itself is case-sensitive. */
const ENTITY_DECL = /<!ENTITY/i;
const NAME = /[^\s/>]+/y;
/** First character of an XML name (approximation: ASCII letters, _ and :, and anything non-ASCII). */
const isNameStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || c >= 0x80;
/** The end of a start tag or the start of a quoted attribute value. */
const TAG_END_OR_QUOTE = /[>"']/g;
const END_TAG = /<\/([^\s>]+)\s*>/y;
/** The references XML defines without a DTD. */
const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));/y;

export class RecordCutter {
  private readonly file: string;
  private readonly recordName: string;
  private readonly parentPath: string[];
  private readonly lineSegs: string[] | undefined;
  private readonly maxSize: number;

  /** Text not yet consumed; `pos` is where scanning continues. */
  private buf = '';
  private pos = 0;
  /** Where indexOf('<') continues inside a long text run (avoids rescanning it on every push). */
  private searchFrom = 0;
  private pending: Pending | null = null;
  /** Line/column at buf[countedTo]; only ever moves forward. */
  private readonly counter = new LineCounter();
  private countedTo = 0;
  /** Open elements outside a record, from the root. */
  private readonly outer: string[] = [];
  /** Open elements inside the current record (inner[0] is the record element); null outside. */
  private inner: string[] | null = null;
  private recStart = 0;
  private recLine = 0;
  private recColumn = 0;
  private lineStarts: number[] = [];
  private entityTail = '';
  private sawRoot = false;
  private records = 0;
  /** Path of the first record-named element that was not at recordPath (for the error hint). */
  private misplaced: string | undefined;

  constructor(file: string, recordPath: string[], linePath: string | undefined, maxSize: number) {
    this.file = file;
    this.recordName = recordPath.at(-1)!;
    this.parentPath = recordPath.slice(0, -1);
    this.lineSegs = linePath ? linePath.split('/') : undefined;
    this.maxSize = maxSize;
  }

  /** Adds decoded text; returns the records completed by it. */
  push(text: string): Chunk[] {
    this.compact();
    this.buf += text;
    this.rejectEntityDeclarations(text);
    return this.scan(false);
  }

  /** End of input: returns the last records and checks that the document was complete. */
  finish(): Chunk[] {
    const out = this.scan(true);
    if (this.inner) throw this.error(`record <${this.recordName}> starting here is not closed before the end of the file`, this.recLine, this.recColumn, 'xml-syntax');
    const at = this.lineAt(this.buf.length);
    if (this.outer.length) throw this.error(`file ends before </${this.outer.at(-1)}>`, at.line, at.column, 'xml-syntax', 'the file is truncated (still being written?)');
    if (!this.sawRoot) throw this.error('no root element: the file is empty or has only a prolog', at.line, at.column, 'xml-syntax');
    if (this.records === 0 && this.misplaced !== undefined) {
      throw new DataError(ErrorCodes.XML, `no <${this.recordName}> at the record path; found one at ${this.misplaced}`, {
        file: this.file,
        rule: 'xml-record-path',
        hint: `recordPath is ${[...this.parentPath, this.recordName].join('/')}, a path from the document root: check it against the file`,
      });
    }
    return out;
  }

  /** Drops consumed text so the buffer holds at most the current record or pending markup. */
  private compact(): void {
    const keep = this.inner ? this.recStart : this.pending ? this.pending.start : this.pos;
    if (keep === 0) return;
    if (this.countedTo < keep) this.lineAt(keep);
    this.buf = this.buf.slice(keep);
    this.pos -= keep;
    this.countedTo -= keep;
    this.searchFrom = Math.max(0, this.searchFrom - keep);
    if (this.inner) this.recStart -= keep;
    if (this.pending) {
      this.pending.start -= keep;
      this.pending.from -= keep;
    }
  }

  /** `<!ENTITY` anywhere rejects the file, also when split across two pieces of text. */
  private rejectEntityDeclarations(text: string): void {
    const probe = this.entityTail + text;
    const idx = probe.search(ENTITY_DECL);
    this.entityTail = probe.slice(-8);
    if (idx === -1) return;
    const at = this.lineAt(Math.max(this.countedTo, this.buf.length - probe.length + idx));
    throw this.error('the file declares an entity (<!ENTITY ...>)', at.line, at.column, 'xml-entity-declaration', 'entity declarations are disabled for safety (entity expansion and external entities); export the file without a DTD');
  }

  private scan(final: boolean): Chunk[] {
    const out: Chunk[] = [];
    for (;;) {
      let lt: number;
      if (this.pending) lt = this.pending.start;
      else {
        lt = this.buf.indexOf('<', Math.max(this.pos, this.searchFrom));
        if (lt === -1) {
          // Outside a record, text is of no interest; inside, the text run is checked once complete.
          if (this.inner) this.searchFrom = this.buf.length;
          else this.pos = this.buf.length;
          break;
        }
        if (this.inner) this.checkReferences(this.pos, lt);
        this.pos = lt;
      }
      const markup = this.markupEnd(lt, final);
      if (!markup) break;
      this.pending = null;
      this.handle(markup.kind, lt, markup.end, out);
      this.pos = markup.end;
    }
    this.checkSize();
    return out;
  }

  private checkSize(): void {
    const held = this.buf.length - (this.inner ? this.recStart : this.pos);
    if (held <= this.maxSize) return;
    const [line, column] = this.inner ? [this.recLine, this.recColumn] : [this.lineAt(this.pos).line, this.lineAt(this.pos).column];
    throw this.error(`${this.inner ? `record <${this.recordName}>` : 'markup'} is larger than the limit of ${this.maxSize} characters`, line, column, 'max-record-size', 'is `recordPath` right for this feed? is a tag or comment left open?');
  }

  /** Kind and end (exclusive) of the markup starting at `lt`, or null when the buffer ends first. */
  private markupEnd(lt: number, final: boolean): { kind: MarkupKind; end: number } | null {
    const b = this.buf;
    if (b.length - lt < 2) return this.needMore(lt, lt + 1, final, 'tag');
    const next = b[lt + 1];
    if (next === '!') {
      if (b.startsWith('<!--', lt)) return this.until(lt, '-->', 4, 'comment', final);
      if (b.startsWith('<![CDATA[', lt)) return this.until(lt, ']]>', 9, 'cdata', final);
      if (b.startsWith('<!DOCTYPE', lt)) return this.doctypeEnd(lt, final);
      const head = b.slice(lt, lt + 9);
      if (!final && head.length < 9 && ['<!--', '<![CDATA[', '<!DOCTYPE'].some((p) => p.startsWith(head))) return this.needMore(lt, lt, final, 'markup');
      const at = this.lineAt(lt);
      throw this.error(`unexpected markup ${JSON.stringify(head)}`, at.line, at.column, 'xml-syntax');
    }
    if (next === '?') return this.until(lt, '?>', 2, 'pi', final);
    if (next === '/') return this.until(lt, '>', 2, 'end', final);
    if (!isNameStart(b.charCodeAt(lt + 1))) {
      const at = this.lineAt(lt);
      throw this.error('"<" not followed by a tag name (write &lt; in text)', at.line, at.column, 'xml-syntax');
    }
    return this.startTagEnd(lt, final);
  }

  private until(lt: number, terminator: string, skip: number, kind: MarkupKind, final: boolean): { kind: MarkupKind; end: number } | null {
    const from = this.resume(kind)?.from ?? lt + skip;
    const idx = this.buf.indexOf(terminator, from);
    if (idx !== -1) return { kind, end: idx + terminator.length };
    return this.needMore(lt, Math.max(from, this.buf.length - terminator.length + 1), final, kind);
  }

  /** Start tag: the first `>` outside a quoted attribute value. */
  private startTagEnd(lt: number, final: boolean): { kind: MarkupKind; end: number } | null {
    const b = this.buf;
    const resume = this.resume('start');
    let i = resume?.from ?? lt + 1;
    let quote = resume?.quote ?? '';
    for (;;) {
      if (quote) {
        const close = b.indexOf(quote, i);
        if (close === -1) return this.needMore(lt, b.length, final, 'start', quote);
        i = close + 1;
        quote = '';
        continue;
      }
      const re = TAG_END_OR_QUOTE;
      re.lastIndex = i;
      const m = re.exec(b);
      if (!m) return this.needMore(lt, b.length, final, 'start');
      if (m[0] === '>') return { kind: 'start', end: m.index + 1 };
      quote = m[0];
      i = m.index + 1;
    }
  }

  /** DOCTYPE with an optional internal subset in [...], which may contain quoted strings and `>`. */
  private doctypeEnd(lt: number, final: boolean): { kind: MarkupKind; end: number } | null {
    const b = this.buf;
    const resume = this.resume('doctype');
    let i = resume?.from ?? lt + 9;
    let quote = resume?.quote ?? '';
    let depth = resume?.depth ?? 0;
    const re = /[[\]>"']/g;
    for (;;) {
      if (quote) {
        const close = b.indexOf(quote, i);
        if (close === -1) return this.needMore(lt, b.length, final, 'doctype', quote, depth);
        i = close + 1;
        quote = '';
        continue;
      }
      re.lastIndex = i;
      const m = re.exec(b);
      if (!m) return this.needMore(lt, b.length, final, 'doctype', '', depth);
      i = m.index + 1;
      if (m[0] === '[') depth++;
      else if (m[0] === ']') depth--;
      else if (m[0] === '>') {
        if (depth <= 0) return { kind: 'doctype', end: i };
      } else quote = m[0];
    }
  }

  private needMore(lt: number, from: number, final: boolean, what: string, quote = '', depth = 0): null {
    if (final) {
      const at = this.lineAt(lt);
      throw this.error(`${what === 'comment' ? 'comment' : what === 'cdata' ? 'CDATA section' : 'tag'} starting here is not closed before the end of the file`, at.line, at.column, 'xml-syntax');
    }
    this.pending = { kind: what, start: lt, from, quote, depth };
    return null;
  }

  /** The saved scan state, if the pending markup was already known to be of this kind. */
  private resume(kind: string): Pending | undefined {
    return this.pending?.kind === kind ? this.pending : undefined;
  }

  private handle(kind: MarkupKind, lt: number, end: number, out: Chunk[]): void {
    if (kind === 'doctype' && this.inner) {
      const at = this.lineAt(lt);
      throw this.error('DOCTYPE inside a record', at.line, at.column, 'xml-syntax');
    }
    // Comments, CDATA, PIs and the DOCTYPE need nothing here: the parser reads CDATA as text.
    if (kind === 'start') this.startTag(lt, end, out);
    else if (kind === 'end') this.endTag(lt, end, out);
  }

  private startTag(lt: number, end: number, out: Chunk[]): void {
    const name = this.nameAt(lt + 1, lt);
    const selfClosing = this.buf.charCodeAt(end - 2) === 47; /* "/" */
    if (this.inner) {
      this.checkReferences(lt, end);
      if (this.isLineElement(name)) this.lineStarts.push(this.lineAt(lt).line);
      if (!selfClosing) this.inner.push(name);
      return;
    }
    this.sawRoot = true;
    if (name === this.recordName && sameList(this.outer, this.parentPath)) {
      const at = this.lineAt(lt);
      this.recStart = lt;
      this.recLine = at.line;
      this.recColumn = at.column;
      this.lineStarts = [];
      this.checkReferences(lt, end);
      if (selfClosing) this.emit(end, out);
      else this.inner = [name];
      return;
    }
    if (name === this.recordName) this.misplaced ??= [...this.outer, name].join('/');
    if (!selfClosing) this.outer.push(name);
  }

  private endTag(lt: number, end: number, out: Chunk[]): void {
    END_TAG.lastIndex = lt;
    const m = END_TAG.exec(this.buf);
    if (!m || END_TAG.lastIndex !== end) {
      const at = this.lineAt(lt);
      throw this.error('malformed end tag', at.line, at.column, 'xml-syntax');
    }
    const name = m[1]!;
    const stack = this.inner ?? this.outer;
    const open = stack.pop();
    if (open !== name) {
      const at = this.lineAt(lt);
      throw this.error(open === undefined ? `end tag </${name}> without a start tag` : `expected </${open}>, found </${name}>`, at.line, at.column, 'xml-syntax');
    }
    if (this.inner && this.inner.length === 0) {
      this.emit(end, out);
      this.inner = null;
    }
  }

  /** Is the element named `name`, about to open under `inner`, at linePath relative to the record? */
  private isLineElement(name: string): boolean {
    const segs = this.lineSegs;
    if (!segs || !this.inner || this.inner.length !== segs.length || segs[segs.length - 1] !== name) return false;
    for (let i = 1; i < this.inner.length; i++) if (this.inner[i] !== segs[i - 1]) return false;
    return true;
  }

  private emit(end: number, out: Chunk[]): void {
    out.push({ text: this.buf.slice(this.recStart, end), line: this.recLine, column: this.recColumn, lineStarts: this.lineStarts });
    this.records++;
  }

  private nameAt(i: number, lt: number): string {
    NAME.lastIndex = i;
    const m = NAME.exec(this.buf);
    if (!m) {
      const at = this.lineAt(lt);
      throw this.error('"<" not followed by a tag name (write &lt; in text)', at.line, at.column, 'xml-syntax');
    }
    return m[0];
  }

  /**
   * Every `&` in buf[from, to) must start a predefined entity or a numeric reference to an XML character.
   * The search stays inside [from, to): `buf.indexOf('&', from)` would run on to the end of the
   * buffer on every text run and tag of a file without `&`, quadratic in the piece size.
   */
  private checkReferences(from: number, to: number): void {
    const b = this.buf;
    for (let amp = from; amp < to; amp++) {
      if (b.charCodeAt(amp) !== 38 /* & */) continue;
      REFERENCE.lastIndex = amp;
      const m = REFERENCE.exec(b);
      if (m && REFERENCE.lastIndex <= to) {
        if (m[1] || isXmlChar(m[2] !== undefined ? Number(m[2]) : parseInt(m[3]!, 16))) continue;
        const at = this.lineAt(amp);
        throw this.error(`character reference ${m[0]} is not a character allowed in XML`, at.line, at.column, 'xml-entity', undefined, m[0]);
      }
      const at = this.lineAt(amp);
      const ref = /^&[^\s&<;]{0,30};/.exec(b.slice(amp, Math.min(to, amp + 33)))?.[0];
      if (ref) {
        throw this.error(
          `entity reference ${ref} is not defined`,
          at.line,
          at.column,
          'xml-entity',
          'only &amp; &lt; &gt; &quot; &apos; and numeric references (&#229;) are allowed; HTML names such as &nbsp; are not XML',
          ref,
        );
      }
      throw this.error('"&" not starting an entity reference', at.line, at.column, 'xml-entity', 'write a literal & as &amp;', b.slice(amp, Math.min(to, amp + 20)));
    }
  }

  /** Line/column of buf[p]; positions asked for only ever increase. */
  private lineAt(p: number): LineCounter {
    if (p > this.countedTo) {
      this.counter.feed(this.buf, this.countedTo, p);
      this.countedTo = p;
    }
    return this.counter;
  }

  private error(message: string, line: number, column: number, rule: DataRule, hint?: string, value?: string): DataError {
    return new DataError(ErrorCodes.XML, message, { file: this.file, line, column, rule, ...(hint ? { hint } : {}), ...(value !== undefined ? { value } : {}) });
  }
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** XML 1.0 Char production. */
function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

// ---------------------------------------------------------------------------------------------
// Parsing one chunk and flattening it

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * fast-xml-parser's entity hook, replacing its own decoder: the five predefined entities and numeric
 * references, decoded in one pass (so `&amp;lt;` stays `&lt;`). Anything else was refused already by
 * RecordCutter. The parser never sees a DOCTYPE, so addInputEntities cannot be called; if it were,
 * we refuse rather than expand.
 */
const XML_ENTITIES: EntityDecoderOptions = {
  setExternalEntities: () => undefined,
  addInputEntities: () => {
    throw new DataError(ErrorCodes.XML, 'entity declarations are not supported', { rule: 'xml-entity-declaration' });
  },
  reset: () => undefined,
  setXmlVersion: () => undefined,
  decode: (text) =>
    text.indexOf('&') === -1
      ? text
      : text.replace(/&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));/g, (_m, name: string | undefined, dec: string | undefined, hex: string | undefined) =>
          name ? PREDEFINED[name]! : String.fromCodePoint(dec !== undefined ? Number(dec) : parseInt(hex!, 16)),
        ),
};

interface FlattenContext {
  linePath: string | undefined;
  lines: Record<string, string>[];
}

/** Chunk -> RawRecord: validate (line numbers made absolute), parse, flatten. */
function recordBuilder(file: string, recordName: string, linePath: string | undefined): (chunk: Chunk, record: number) => RawRecord {
  const linePathFromRecord = linePath ? [recordName, ...linePath.split('/')] : undefined;
  const lineName = linePathFromRecord?.at(-1);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    htmlEntities: false,
    entityDecoder: XML_ENTITIES,
    // Callbacks get the parser's path matcher, not a path string built for every element and text.
    jPath: false,
    cdataPropName: false,
    ignorePiTags: true,
    ignoreDeclaration: true,
    // Line elements are always a list, even when there is one.
    isArray: (name, matcher, _leaf, isAttribute) =>
      !isAttribute && name === lineName && typeof matcher === 'object' && matcher.getDepth() === linePathFromRecord!.length && sameList(matcher.toArray(), linePathFromRecord!),
  });
  return (chunk, record) => {
    const valid = XMLValidator.validate(chunk.text);
    if (valid !== true) {
      const { msg, line, col } = valid.err;
      throw new DataError(ErrorCodes.XML, `malformed XML: ${msg}`, {
        file,
        line: chunk.line + line - 1,
        column: line === 1 ? chunk.column + col - 1 : col,
        record,
        rule: 'xml-syntax',
      });
    }
    let doc: Record<string, unknown>;
    try {
      doc = parser.parse(chunk.text) as Record<string, unknown>;
    } catch (err) {
      // E.g. fast-xml-parser refuses names such as __proto__ (prototype pollution guard).
      throw new DataError(ErrorCodes.XML, `cannot parse record: ${(err as Error).message}`, { file, line: chunk.line, column: chunk.column, record, rule: 'xml-syntax' }, { cause: err });
    }
    const fields: Record<string, string> = {};
    const ctx: FlattenContext = { linePath, lines: [] };
    flatten(doc[recordName], '', fields, ctx);
    const out: RawRecord = { line: chunk.line, record, fields };
    if (linePath) out.lines = ctx.lines.map((f, i): RawLine => ({ line: chunk.lineStarts[i] ?? chunk.line, fields: f }));
    return out;
  };
}

function setFirst(fields: Record<string, string>, key: string, value: unknown): void {
  if (!Object.hasOwn(fields, key)) setField(fields, key, detach(String(value)));
}

/**
 * A copy of `s` that keeps no larger string alive. fast-xml-parser returns CDATA text and attribute
 * values as substrings of the record chunk, and V8 makes a substring of 13+ characters a view into
 * its parent: the chunk, itself a view into the cutter's buffer of one 64 KiB decoded piece. A
 * caller that keeps one such value per record (a product name in a map, a customer name in a set)
 * would keep the whole file's text in memory. `(" " + s)` is a new flat string of s.length + 1;
 * the slice is a view into that copy only. Shorter strings are always copied by V8.
 */
function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/**
 * Writes the element `node` (parsed by fast-xml-parser) at `path` into `fields` (null: collect line
 * elements only, used for the 2nd+ occurrence of a repeated element that leads to linePath).
 */
function flatten(node: unknown, path: string, fields: Record<string, string> | null, ctx: FlattenContext): void {
  if (node === undefined || node === null) return;
  const own = path === '' ? '.' : path;
  if (typeof node !== 'object') {
    // Text-only element. The record/line element itself: only when it has text.
    if (fields && (path !== '' || node !== '')) setFirst(fields, own, node);
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === '#text') {
      if (fields) setFirst(fields, own, value);
      continue;
    }
    const child = path === '' ? key : `${path}/${key}`;
    if (key.startsWith('@')) {
      if (fields) setFirst(fields, child, value);
      continue;
    }
    if (child === ctx.linePath) {
      for (const item of asArray(value)) {
        const lineFields: Record<string, string> = {};
        flatten(item, '', lineFields, { linePath: undefined, lines: [] });
        ctx.lines.push(lineFields);
      }
      continue;
    }
    const items = asArray(value);
    flatten(items[0], child, fields, ctx);
    // First wins for fields; but line elements under later occurrences are still lines.
    if (ctx.linePath?.startsWith(`${child}/`)) for (const item of items.slice(1)) flatten(item, child, null, ctx);
  }
}
