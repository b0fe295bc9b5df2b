/**
 * XML shape of a sample: the record element (the element repeated under a container that occurs
 * once) and, inside it, the line element (an element that repeats within a record). Pure: a tag
 * scanner over the text, tolerant of a sample cut in the middle of an element.
 */

export interface XmlGuess {
  recordPath: string;
  recordReason: string;
  linePath?: string;
  lineReason?: string;
  /** Record elements seen in the sample. */
  records: number;
}

export class NoXmlRecords extends Error {}

const TAG = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w.:-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;

/** Names that say "a line of a document" when a sample has no record with two of them. */
const LINE_NAMES = /^(rad|rader|orderrad|fakturarad|line|lines|row|rows|item|items|position|positions|detail|details|orderline|invoiceline|salesline)$/i;

export function detectXmlStructure(text: string): XmlGuess {
  const count = new Map<string, number>();
  const hasChildren = new Set<string>();
  const stack: string[] = [];
  TAG.lastIndex = 0;
  for (let m = TAG.exec(text); m; m = TAG.exec(text)) {
    const name = m[2];
    if (!name) continue; // comment, CDATA, PI, DOCTYPE
    if (m[1]) {
      if (stack[stack.length - 1] === name) stack.pop();
      continue;
    }
    if (stack.length) hasChildren.add(stack.join('/'));
    const path = [...stack, name].join('/');
    count.set(path, (count.get(path) ?? 0) + 1);
    if (!m[4]) stack.push(name);
  }
  // Record: the most frequent element with children whose parent occurs once (the container).
  let record: string | undefined;
  for (const [p, n] of count) {
    const parent = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : undefined;
    if (!parent || count.get(parent) !== 1 || !hasChildren.has(p)) continue;
    if (!record || n > count.get(record)!) record = p;
  }
  if (!record) throw new NoXmlRecords('no repeated element with children under a single container: is this an export with one element per document?');
  const records = count.get(record)!;
  const guess: XmlGuess = {
    recordPath: record,
    records,
    recordReason: `<${record.split('/').pop()}> occurs ${records} times under <${record.split('/').slice(-2, -1)[0]}>`,
  };

  // Line: an element inside the record that, on average, occurs more than once per record.
  let line: { path: string; n: number } | undefined;
  for (const [p, n] of count) {
    if (!p.startsWith(`${record}/`) || !hasChildren.has(p)) continue;
    const rel = p.slice(record.length + 1);
    if (n > records && (!line || n > line.n)) line = { path: rel, n };
  }
  if (line) {
    guess.linePath = line.path;
    guess.lineReason = `<${line.path.split('/').pop()}> occurs ${line.n} times in ${records} records`;
  } else {
    // The deepest such element: <Rader><Rad> gives Rader/Rad, not the container.
    let named: string | undefined;
    for (const [p] of count) {
      if (!p.startsWith(`${record}/`) || !hasChildren.has(p)) continue;
      const rel = p.slice(record.length + 1);
      if (LINE_NAMES.test(rel.split('/').pop()!) && (!named || rel.split('/').length > named.split('/').length)) named = rel;
    }
    if (named) {
      guess.linePath = named;
      guess.lineReason = `<${named.split('/').pop()}> is named like a document line (never twice in one record of the sample)`;
    }
  }
  return guess;
}
