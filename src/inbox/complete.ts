import { open } from 'node:fs/promises';

const EDGE = 64 * 1024;

export interface CutOffRule {
  format: 'csv' | 'xml';
  delimiter: string;
  quote: string;
}

/**
 * Whether a file looks cut off, as a writer that paused leaves it: an XML document without its
 * root element's end tag, or a CSV whose last line ends mid-record (no line break, and an open
 * quote or fewer fields than the first line). Reads the first and last 64 KiB only. A file that
 * merely lacks a final line break but whose last record is whole does not look cut off.
 */
export async function looksCutOff(file: string, rule: CutOffRule): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    if (size === 0) return true;
    const head = Buffer.alloc(Math.min(EDGE, size));
    await fh.read(head, 0, head.length, 0);
    const tail = Buffer.alloc(Math.min(EDGE, size));
    await fh.read(tail, 0, tail.length, size - tail.length);
    // UTF-16 (NUL bytes): no cheap judgement; the reader decides.
    if (head.includes(0)) return false;
    const h = head.toString('latin1');
    const t = tail.toString('latin1');
    return rule.format === 'xml' ? xmlCutOff(h, t) : csvCutOff(h, t, rule);
  } finally {
    await fh.close();
  }
}

function xmlCutOff(head: string, tail: string): boolean {
  const root = rootName(head);
  if (!root) return true;
  const end = new RegExp(`</${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*>\\s*(<!--[\\s\\S]*?-->\\s*|<\\?[\\s\\S]*?\\?>\\s*)*$`);
  return !end.test(tail) && !new RegExp(`<${root}[^>]*/>\\s*$`).test(tail);
}

/** The root element's name: the first tag after the prolog (declaration, comments, doctype). */
function rootName(head: string): string | undefined {
  let s = head.replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
  for (;;) {
    s = s.trimStart();
    if (s.startsWith('<?')) s = s.slice(s.indexOf('?>') + 2 || s.length);
    else if (s.startsWith('<!--')) s = s.slice(s.indexOf('-->') + 3 || s.length);
    else if (s.startsWith('<!')) s = s.slice(s.indexOf('>') + 1 || s.length);
    else break;
    if (s.length === 0) return undefined;
  }
  return /^<([A-Za-z_][\w.:-]*)/.exec(s)?.[1];
}

function csvCutOff(head: string, tail: string, rule: CutOffRule): boolean {
  if (tail.endsWith('\n') || tail.endsWith('\r')) return false;
  const firstLine = head.split(/\r?\n/)[0] ?? '';
  const lastLine = tail.slice(tail.lastIndexOf('\n') + 1);
  const count = (line: string) => {
    let fields = 1;
    let quoted = false;
    for (const c of line) {
      if (c === rule.quote) quoted = !quoted;
      else if (c === rule.delimiter && !quoted) fields++;
    }
    return { fields, quoted };
  };
  const last = count(lastLine);
  return last.quoted || last.fields < count(firstLine).fields;
}
