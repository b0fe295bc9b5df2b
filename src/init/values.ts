/**
 * Formats read from the values themselves: which date pattern parses every date, which number format
 * parses every number, and markers (cancelled, credit) found in status-like columns. Pure; the
 * parsers are the ones ingest uses, so what is detected here is what will parse.
 */
import { compileDateFormat } from '../mapping/dates.ts';
import { parseDecimal } from '../mapping/numbers.ts';

export const DATE_FORMATS = ['YYYY-MM-DD', 'YYYYMMDD', 'DD.MM.YYYY', 'D.M.YYYY', 'DD/MM/YYYY', 'D/M/YYYY', 'MM/DD/YYYY', 'M/D/YYYY', 'YYYY/MM/DD', 'DD-MM-YYYY', 'YYYY.MM.DD'] as const;

export interface FormatGuess<T> {
  value: T;
  reason: string;
  /** Other candidates that parse the sample just as well. */
  alternatives: T[];
}

function tryAll<T>(values: string[], candidates: readonly T[], parse: (c: T, v: string) => unknown): Array<{ c: T; ok: number }> {
  return candidates.map((c) => {
    let ok = 0;
    for (const v of values) {
      try {
        parse(c, v);
        ok++;
      } catch {
        /* not this one */
      }
    }
    return { c, ok };
  });
}

export function detectDateFormat(values: readonly string[]): FormatGuess<string> {
  const vs = [...new Set(values.map((v) => v.trim()).filter(Boolean))].slice(0, 500);
  if (vs.length === 0) return { value: 'YYYY-MM-DD', reason: 'no date values in the sample; the default', alternatives: [] };
  const results = tryAll(vs, DATE_FORMATS, (f, v) => compileDateFormat(f)(v));
  const full = results.filter((r) => r.ok === vs.length).map((r) => r.c);
  if (full.length) {
    // Day first wins over month first when the sample cannot tell (no day above 12): Europe.
    const [first, ...rest] = full;
    const note = rest.some((f) => f.startsWith('M')) ? `; day/month order cannot be told from the sample (no day above 12): ${first} assumed` : '';
    return { value: first!, reason: `parses all ${vs.length} distinct date values, e.g. "${vs[0]}"${note}`, alternatives: rest };
  }
  const best = results.sort((a, b) => b.ok - a.ok)[0]!;
  return { value: best.c, reason: `parses ${best.ok} of ${vs.length} date values only (e.g. "${vs[0]}"): check the date columns`, alternatives: [] };
}

export function detectNumberFormat(values: readonly string[], hint: 'comma' | 'dot' = 'comma'): FormatGuess<'comma' | 'dot'> {
  const vs = [...new Set(values.map((v) => v.trim()).filter(Boolean))].slice(0, 2000);
  if (vs.length === 0) return { value: hint, reason: 'no numbers in the sample; a guess', alternatives: [] };
  const results = tryAll(vs, ['comma', 'dot'] as const, (f, v) => parseDecimal(v, f));
  const comma = results[0]!.ok;
  const dot = results[1]!.ok;
  const example = (re: RegExp) => vs.find((v) => re.test(v));
  if (comma === vs.length && dot < vs.length) return { value: 'comma', reason: `decimal comma (e.g. "${example(/,/) ?? vs[0]}")`, alternatives: [] };
  if (dot === vs.length && comma < vs.length) return { value: 'dot', reason: `decimal point (e.g. "${example(/\./) ?? vs[0]}")`, alternatives: [] };
  if (comma === vs.length && dot === vs.length) {
    // Both parse everything: whole numbers only, or "1,234"/"1.234" that read differently in each.
    if (vs.some((v) => /\d,\d{1,2}$/.test(v))) return { value: 'comma', reason: `"${example(/\d,\d{1,2}$/)}" reads as a decimal comma`, alternatives: ['dot'] };
    if (vs.some((v) => /\d\.\d{1,2}$/.test(v))) return { value: 'dot', reason: `"${example(/\d\.\d{1,2}$/)}" reads as a decimal point`, alternatives: ['comma'] };
    return { value: hint, reason: 'the sample has whole numbers only: either format reads them; check one with decimals', alternatives: [hint === 'comma' ? 'dot' : 'comma'] };
  }
  const best = comma >= dot ? 'comma' : 'dot';
  return { value: best, reason: `parses ${Math.max(comma, dot)} of ${vs.length} number values only: check the number columns`, alternatives: [] };
}

const CANCELLED = /^(makulerad|makulerat|annullerad|annulerad|struken|avbruten|raderad|borttagen|cancell?ed|deleted|void|voided|storno|storn(ie|e)rt)$/i;
const CREDIT = /^(kredit|kreditfaktura|kreditnota|credit|credit ?memo|credit ?note|creditnote|cr)$/i;

/** The values of a column that mean "this document is cancelled" (a delete marker), if any. */
export function cancelledValues(values: readonly string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter((v) => CANCELLED.test(v)))].sort();
}

/** The values of a column that mean "this is a credit invoice", if any. */
export function creditValues(values: readonly string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter((v) => CREDIT.test(v)))].sort();
}

/** Yes/No style booleans: a status column that needs translating into text. */
export function booleanValues(values: readonly string[]): { yes: string; no: string } | undefined {
  const vs = [...new Set(values.map((v) => v.trim()).filter(Boolean))];
  if (vs.length === 0 || vs.length > 2) return undefined;
  const yes = vs.find((v) => /^(yes|ja|true|1|y|j|x)$/i.test(v));
  const no = vs.find((v) => /^(no|nej|false|0|n)$/i.test(v));
  if (!yes && !no) return undefined;
  return { yes: yes ?? (/^[a-z]/.test(no!) ? 'Yes' : 'Ja'), no: no ?? 'No' };
}

/** English payment states and the Swedish text published for them. */
const PAYMENT_WORDS: Array<[RegExp, string, string]> = [
  [/^(paid|fully paid|settled)$/i, 'Betald', 'Paid'],
  [/^(unpaid|not paid|open|outstanding)$/i, 'Obetald', 'Unpaid'],
  [/^(overdue|past due)$/i, 'Förfallen', 'Overdue'],
  [/^(partly paid|partially paid|part paid)$/i, 'Delbetald', 'Partly paid'],
];

/**
 * English payment states (Paid, Unpaid, Settled, Overdue) to publish as Swedish text: every sampled
 * value, and the usual states the sample lacks, so a later file's "Overdue" is translated too.
 */
export function paymentValues(values: readonly string[]): Record<string, string> | undefined {
  const vs = [...new Set(values.map((v) => v.trim()).filter(Boolean))];
  if (vs.length === 0 || !vs.every((v) => PAYMENT_WORDS.some(([re]) => re.test(v)))) return undefined;
  const out: Record<string, string> = {};
  for (const v of vs) out[v] = PAYMENT_WORDS.find(([re]) => re.test(v))![1];
  const lower = vs.every((v) => v === v.toLowerCase());
  for (const [, text, word] of PAYMENT_WORDS) {
    const w = lower ? word.toLowerCase() : word;
    if (!Object.keys(out).some((k) => k.toLowerCase() === w.toLowerCase())) out[w] = text;
  }
  if (!Object.keys(out).some((k) => /^settled$/i.test(k))) out[lower ? 'settled' : 'Settled'] = 'Betald';
  return out;
}

const DEBIT: Array<[RegExp, string]> = [[/^debit$/i, 'credit'], [/^debet$/i, 'kredit'], [/^faktura$/i, 'kredit'], [/^invoice$/i, 'credit'], [/^d$/i, 'c']];

/**
 * A type column that holds only the debit word (`type="debit"`): credits are presumably marked by
 * its counterpart (`credit`), in the same case. Undefined when the values are not all one debit word.
 */
export function creditCounterpart(values: readonly string[]): string | undefined {
  const vs = [...new Set(values.map((v) => v.trim()).filter(Boolean))];
  if (vs.length !== 1) return undefined;
  const v = vs[0]!;
  const hit = DEBIT.find(([re]) => re.test(v));
  if (!hit) return undefined;
  const word = hit[1];
  return v === v.toUpperCase() && v !== v.toLowerCase() ? word.toUpperCase() : v[0] === v[0]!.toUpperCase() ? word[0]!.toUpperCase() + word.slice(1) : word;
}
