/**
 * XML shape of a sample: the record element (the element repeated under a container that occurs
 * once) and, inside it, the line element (an element that repeats within a record). Pure: a tag
 * scanner over the text, tolerant of a sample cut in the middle of an element.
 */

export interface XmlSection {
  recordPath: string;
  recordReason: string;
  linePath?: string;
  lineReason?: string;
  /** Record elements seen in the sample. */
  records: number;
  /** An empty container: the record element is guessed from its name. */
  empty?: boolean;
}

export interface XmlGuess extends XmlSection {
  /** Several record kinds in the file (`<Orders>`, `<Invoices>`, `<Deletions>`): one section each. */
  sections?: XmlSection[];
}

export class NoXmlRecords extends Error {}

const TAG = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w.:-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;

/** Names that say "a line of a document" when a sample has no record with two of them. */
const LINE_NAMES = /^(rad|rader|orderrad|fakturarad|line|lines|row|rows|item|items|position|positions|detail|details|orderline|invoiceline|salesline)$/i;

export function detectXmlStructure(text: string): XmlGuess {
  const count = new Map<string, number>();
  const hasChildren = new Set<string>();
  const hasAttributes = new Set<string>();
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
    if (/\S/.test(m[3] ?? '')) hasAttributes.add(path);
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
  const guess: XmlGuess = { ...sectionAt(record, count, hasChildren), records: count.get(record)! };
  const sections = recordSections(count, hasChildren, hasAttributes);
  if (sections.length > 1) guess.sections = sections;
  return guess;
}

function sectionAt(record: string, count: Map<string, number>, hasChildren: Set<string>): XmlSection {
  const records = count.get(record) ?? 0;
  const guess: XmlSection = {
    recordPath: record,
    records,
    recordReason: `<${record.split('/').pop()}> occurs ${times(records)} under <${record.split('/').slice(-2, -1)[0]}>`,
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
    guess.lineReason = `<${line.path.split('/').pop()}> occurs ${times(line.n)} in ${records === 1 ? 'one record' : `${records} records`}`;
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

const times = (n: number) => (n === 1 ? 'once' : `${n} times`);

/** `Orders` → `Order`, `Fakturor` → `Faktura`, `Deletions` → `Deletion`: the record element an empty container would hold. */
export function singular(container: string): string {
  // Swedish plurals first (ordrar, fakturor, leveranser, kollin), then English.
  const rules: Array<[RegExp, string]> = [[/ordrar$/i, 'Order'], [/or$/i, 'a'], [/(er|ar)$/i, ''], [/^(kolli)n$/i, '$1'], [/ies$/i, 'y'], [/(ss|sh|ch|x)es$/i, '$1'], [/s$/i, '']];
  for (const [re, to] of rules) if (re.test(container) && container.replace(re, to).length >= 3) return container.replace(re, to);
  return container;
}

const KIND_WORDS = /order|ordr|invoice|faktur|credit|kredit|delet|borttag|shipment|leverans|kolli|package|document|dokument|record|post/i;

/** Container names that hold records of a kind, for empty containers (`<Deletions/>`) in a sample. */
const CONTAINER_NAMES = /^(orders|ordrar|invoices|fakturor|credits|creditnotes|creditmemos|kreditfakturor|deletions|borttagna|raderade|shipments|leveranser|packages|kollin)$/i;

/**
 * Several record kinds in one file: each container (an element occurring once whose children are
 * all one element, `<Orders><Order/>…`) under the same parent gives a section, its children the
 * records (with children or attributes). Records nested in another section's records
 * (`<Order><Packages><Package/>`) are fields of those, not sections. An empty container named like
 * a kind (`<Deletions/>`) beside the others is a section whose records the sample does not show.
 */
function recordSections(count: Map<string, number>, hasChildren: Set<string>, hasAttributes: Set<string>): XmlSection[] {
  const childNames = new Map<string, Set<string>>();
  for (const p of count.keys()) {
    if (!p.includes('/')) continue;
    const parent = p.slice(0, p.lastIndexOf('/'));
    if (!childNames.has(parent)) childNames.set(parent, new Set());
    childNames.get(parent)!.add(p.slice(parent.length + 1));
  }
  const records: string[] = [];
  const paths = [...count.keys()].sort((a, b) => a.split('/').length - b.split('/').length);
  for (const container of paths) {
    if (count.get(container) !== 1 || !container.includes('/')) continue;
    const kids = childNames.get(container);
    if (!kids || kids.size !== 1) continue;
    const record = `${container}/${[...kids][0]!}`;
    if (!hasChildren.has(record) && !hasAttributes.has(record)) continue;
    if (records.some((r) => record.startsWith(`${r}/`))) continue;
    records.push(record);
  }
  if (records.length === 0) return [];
  // Siblings only: the containers of one export element.
  const parentOf = (p: string) => p.split('/').slice(0, -2).join('/');
  const top = parentOf(records[0]!);
  // A lone element under a container of its own (`<Meta><Info …/></Meta>`) is not a record kind
  // unless it or its container is named like one.
  const kept = records.filter((r) => parentOf(r) === top && (count.get(r)! > 1 || r.split('/').slice(-2).some((n) => KIND_WORDS.test(n))));
  const sections = kept.map((r) => sectionAt(r, count, hasChildren));
  for (const name of childNames.get(top) ?? []) {
    const container = `${top}/${name}`;
    if (childNames.has(container) || !CONTAINER_NAMES.test(name)) continue;
    const record = `${container}/${singular(name)}`;
    sections.push({ recordPath: record, records: 0, recordReason: `<${name}> is empty in the sample: its records are presumably <${singular(name)}> elements`, empty: true });
  }
  return sections;
}
