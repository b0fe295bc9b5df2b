/**
 * The "1 % of the orders changed" inputs of the S3 benchmark (publish-s3.ts), made from a flat
 * order export of generate.ts (CSV dialect: Windows-1252, `;`, CRLF, decimal comma):
 *
 * - the FULL export again, byte for byte, except on the rows of the changed orders: what an ERP
 *   that always sends its whole history sends the day after. Records stay in place and keep their
 *   physical line numbers (a quoted CRLF in a comment stays where it was).
 * - a DELTA export: the header row and every row of the changed orders only (a file that names an
 *   order carries its complete set of lines), in the same order and dialect.
 *
 * Which orders: 1 in 100, by a hash of the order number (deterministic, independent of the file's
 * size), skipping orders the export already cancels. Of those, in order of appearance, 4 in 5 get
 * one more unit on their line 1, with that line's `Radbelopp` recomputed as the generator computes
 * it (so the order's total, its list pages and, as `Levererat` stays, the customer's backorders
 * change too), and 1 in 5 is cancelled (`Status` = Makulerad on every line: the feed deletes it).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';

export interface ChangeSet {
  /** The full export with the changes in place. */
  full: string;
  /** The changed orders only. */
  delta: string;
  changed: number;
  cancelled: number;
  /** Data rows of the delta file (= rows of the full file that differ from the base, cancelled orders' rows included). */
  deltaRows: number;
  /** Data rows of the full file (= of the base). */
  fullRows: number;
}

/** `name_full1pct.csv` and `name_delta1pct.csv` beside `base` (both still match the feed's `ordrar_*.csv`). */
export function makeChanges(base: string, outDir = path.dirname(base)): ChangeSet {
  const stem = path.basename(base).replace(/\.csv$/i, '');
  const full = path.join(outDir, `${stem}_full1pct.csv`);
  const delta = path.join(outDir, `${stem}_delta1pct.csv`);
  const records = splitRecords(iconv.decode(readFileSync(base), 'windows-1252'));
  const header = splitFields(records[0]!).map(unquote);
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`column ${name} not in ${base}`);
    return i;
  };
  const c = { id: col('Ordernr'), status: col('Status'), no: col('Radnr'), qty: col('Antal'), price: col('À-pris'), discount: col('Rabatt %'), amount: col('Radbelopp') };
  const pick = (order: string) => createHash('sha256').update(`delta\u0000${order}`).digest().readUInt32BE(0) % 100;

  // Orders the base already cancels are not picked (cancelling them again changes nothing).
  const cancelledInBase = new Set<string>();
  for (const r of records.slice(1)) {
    const f = splitFields(r);
    if (unquote(f[c.status]!) === 'Makulerad') cancelledInBase.add(unquote(f[c.id]!));
  }

  const what = new Map<string, 'change' | 'cancel'>();
  const outFull = [records[0]!];
  const outDelta = [records[0]!];
  for (const r of records.slice(1)) {
    const f = splitFields(r);
    const order = unquote(f[c.id]!);
    if (pick(order) !== 0 || cancelledInBase.has(order)) {
      outFull.push(r);
      continue;
    }
    let w = what.get(order);
    if (!w) what.set(order, (w = what.size % 5 === 4 ? 'cancel' : 'change'));
    if (w === 'cancel') f[c.status] = 'Makulerad';
    else if (unquote(f[c.no]!) === '1') {
      const qty = tenths(unquote(f[c.qty]!)) + 10;
      const price = minor(unquote(f[c.price]!));
      const discount = Number(unquote(f[c.discount]!));
      if (!Number.isInteger(discount)) throw new Error(`order ${order}: discount ${f[c.discount]} is not a whole number`);
      f[c.qty] = formatTenths(qty);
      f[c.amount] = formatMinorGrouped(roundDiv(qty * price * (100 - discount), 1000));
    }
    const changed = f.join(';');
    outFull.push(changed);
    outDelta.push(changed);
  }
  const baseBytes = readFileSync(base);
  const fullBytes = iconv.encode(`${outFull.join('\r\n')}\r\n`, 'windows-1252');
  // Unchanged records are written back byte for byte, and every record stays on its physical lines.
  if (!iconv.encode(`${records.join('\r\n')}\r\n`, 'windows-1252').equals(baseBytes)) throw new Error(`${base}: not CRLF-terminated records in the generator's dialect`);
  if (lineBreaks(fullBytes) !== lineBreaks(baseBytes)) throw new Error(`${full}: line structure differs from ${base}`);
  writeFileSync(full, fullBytes);
  writeFileSync(delta, iconv.encode(`${outDelta.join('\r\n')}\r\n`, 'windows-1252'));
  const cancelled = [...what.values()].filter((v) => v === 'cancel').length;
  return { full, delta, changed: what.size - cancelled, cancelled, deltaRows: outDelta.length - 1, fullRows: records.length - 1 };
}

function lineBreaks(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
}

/** Records of a CSV text (CRLF or LF outside quotes ends one), without their line break. */
function splitRecords(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34) quoted = !quoted; // a doubled quote toggles twice
    else if (ch === 10 && !quoted) {
      out.push(text.slice(start, i > start && text.charCodeAt(i - 1) === 13 ? i - 1 : i));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** Fields of one record as written (quotes kept), so unchanged fields are written back byte for byte. */
function splitFields(record: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const ch = record.charCodeAt(i);
    if (ch === 34) quoted = !quoted;
    else if (ch === 59 && !quoted) {
      out.push(record.slice(start, i));
      start = i + 1;
    }
  }
  out.push(record.slice(start));
  return out;
}

const unquote = (f: string): string => (f.startsWith('"') ? f.slice(1, -1).replaceAll('""', '"') : f);

/** "15,7" → 157, "4" → 40. */
function tenths(v: string): number {
  const m = /^(\d+)(?:,(\d))?$/.exec(v);
  if (!m) throw new Error(`quantity ${JSON.stringify(v)} is not in the generator's form`);
  return Number(m[1]) * 10 + Number(m[2] ?? 0);
}
const formatTenths = (t: number): string => (t % 10 === 0 ? String(t / 10) : `${Math.floor(t / 10)},${t % 10}`);

/** "1 255,82" → 125582 (öre/cent). */
function minor(v: string): number {
  const m = /^(\d+),(\d\d)$/.exec(v.replaceAll(' ', ''));
  if (!m) throw new Error(`amount ${JSON.stringify(v)} is not in the generator's form`);
  return Number(m[1]) * 100 + Number(m[2]);
}

/** As generate.ts writes row amounts: thousands grouped with a space, decimal comma. */
function formatMinorGrouped(n: number): string {
  const int = String(Math.floor(n / 100)).replace(/\B(?=(\d{3})+$)/g, ' ');
  return `${int},${String(n % 100).padStart(2, '0')}`;
}

/** a / b rounded half-up (generate.ts's roundDiv). */
const roundDiv = (a: number, b: number): number => Math.floor((2 * a + b) / (2 * b));
