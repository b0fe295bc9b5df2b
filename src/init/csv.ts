/**
 * CSV dialect of a sample: delimiter and whether the first row names the columns. Pure, on text.
 * The rows themselves are later read by the real CSV reader with what is detected here, so init
 * sees exactly the column names and values ingest will see.
 */

export const DELIMITERS = [';', ',', '\t', '|'] as const;

/** Splits text into rows of fields (quotes with doubled quotes, CRLF/LF/CR), at most `maxRows` rows. */
export function splitRows(text: string, delimiter: string, maxRows = 200, quote = '"'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = () => {
    row.push(field);
    field = '';
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
  };
  for (; i < text.length && rows.length < maxRows; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === quote) {
        if (text[i + 1] === quote) {
          field += quote;
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === quote && field === '') quoted = true;
    else if (text.startsWith(delimiter, i)) {
      row.push(field);
      field = '';
      i += delimiter.length - 1;
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else field += ch;
  }
  // A last row without a line break, unless the sample was cut inside it.
  if (rows.length < maxRows && (field !== '' || row.length > 0) && !quoted) endRow();
  return rows;
}

export interface DelimiterGuess {
  delimiter: string;
  columns: number;
  reason: string;
}

/**
 * The delimiter that splits the rows into the same number of fields (more than one), most
 * consistently; ties go to more fields. Rows cut at the end of a sample are ignored.
 */
export function detectDelimiter(text: string): DelimiterGuess {
  let best: (DelimiterGuess & { share: number }) | undefined;
  for (const d of DELIMITERS) {
    const rows = splitRows(text, d, 60).slice(0, -1);
    const all = rows.length ? rows : splitRows(text, d, 60);
    if (all.length === 0) continue;
    const counts = new Map<number, number>();
    for (const r of all) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    const [columns, n] = [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]!;
    if (columns < 2) continue;
    const share = n / all.length;
    if (!best || share > best.share + 0.05 || (Math.abs(share - best.share) <= 0.05 && columns > best.columns)) {
      const name = d === '\t' ? 'tab' : `"${d}"`;
      best = { delimiter: d, columns, share, reason: `${name} splits ${Math.round(share * 100)} % of the first ${all.length} rows into ${columns} columns` };
    }
  }
  if (!best) return { delimiter: ';', columns: 1, reason: 'no delimiter splits the rows; one column?' };
  return { delimiter: best.delimiter, columns: best.columns, reason: best.reason };
}

const NUMBERISH = /^[-+−]?\d[\d\s.,\u00a0]*[-−]?$/;

/**
 * Whether the first row is a header: its cells are unique non-empty labels, and (when there are data
 * rows to compare with) no cell of it looks like a number or date where the column below holds them.
 */
export function detectHeader(rows: string[][]): { header: boolean; reason: string } {
  const first = rows[0];
  if (!first) return { header: true, reason: 'empty sample; assuming a header row' };
  const cells = first.map((c) => c.trim());
  if (cells.some((c) => c === '')) return { header: false, reason: 'the first row has empty cells' };
  if (new Set(cells).size !== cells.length) return { header: false, reason: 'the first row repeats a value' };
  const data = rows.slice(1, 30);
  const numericInHeader = cells.filter((c, i) => NUMBERISH.test(c) && data.some((r) => NUMBERISH.test((r[i] ?? '').trim()))).length;
  if (numericInHeader > 0) return { header: false, reason: `${numericInHeader} cell(s) of the first row look like data` };
  return { header: true, reason: 'the first row holds unique labels' };
}
