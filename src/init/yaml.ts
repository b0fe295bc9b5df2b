/**
 * Prints a proposal as commented YAML, ready to paste under `feeds:` of a config. Every inferred value
 * carries `# guess: why`; facts of the file (a byte-order mark, the format) say `# detected: why`.
 */
import { stringify } from 'yaml';
import type { Proposal, SectionProposal, Setting } from './propose.ts';

/** One YAML scalar or flow collection on one line. */
function scalar(value: unknown, quote = false): string {
  if (typeof value === 'string' && quote) return JSON.stringify(value);
  return stringify(value, { lineWidth: 0, flowCollectionPadding: true, collectionStyle: 'flow', defaultStringType: 'PLAIN' }).trimEnd();
}

function comment(s: Setting): string {
  const why = s.why.replace(/\s+/g, ' ').trim();
  return why ? `  # ${s.sure ? 'detected' : 'guess'}: ${why}` : '';
}

export function proposalYaml(p: Proposal, header: { file: string; records: number }): string {
  const out: string[] = [];
  out.push(`# vendre-pull init: a feed proposed from ${header.file} (${header.records} records sampled).`);
  out.push('# Every value marked "guess" was inferred from the sample: check each one, then paste the item');
  out.push('# under `feeds:` in vendre-pull.yaml and try it with `vendre-pull validate FILE`.');
  for (const n of p.notes) out.push(`# NOTE: ${n}`);
  out.push('feeds:');
  out.push(...feedLines(p));
  return `${out.join('\n')}\n`;
}

/** One proposed feed as an item of `feeds:` (its sections, if it has them). */
export function feedLines(p: Proposal): string[] {
  const out: string[] = [];
  item(out, p, 2, p.sections && (() => {
    for (const [i, sec] of (p.sections ?? []).entries()) {
      if (i === 0) out.push(`    sections:${comment(p.settings.find(([k]) => k === 'sections')![1])}`);
      item(out, sec, 6);
    }
  }));
  return out;
}

/** Proposed export runs as the items of `runs:`. */
export function runLines(runs: ReadonlyArray<Pick<SectionProposal, 'settings'>>): string[] {
  const out: string[] = [];
  for (const run of runs) {
    run.settings.forEach(([key, s], i) => out.push(`${i === 0 ? '  - ' : '    '}${key}: ${scalar(s.value, key === 'key')}${comment(s)}`));
  }
  return out;
}

/** One list item (a feed, or a section of one) at `indent`: its settings, then its map. */
function item(out: string[], p: Pick<SectionProposal, 'settings' | 'map' | 'unmapped'>, indent: number, sections?: () => void): void {
  const pad = ' '.repeat(indent + 2);
  let first = true;
  for (const [key, s] of p.settings) {
    if (key === 'sections') continue;
    const lead = first ? `${' '.repeat(indent)}- ` : pad;
    first = false;
    const quote = key === 'pattern' || key === 'delimiter';
    // A list of rules reads best one rule a line.
    if (key === 'deletes' && Array.isArray(s.value)) {
      out.push(`${lead}${key}:${comment(s)}`);
      for (const rule of s.value) out.push(`${pad}  - ${scalar(rule)}`);
    } else out.push(`${lead}${key}: ${scalar(s.value, quote)}${comment(s)}`);
  }
  if (sections) return sections();
  out.push(`${pad}map:`);
  for (const [field, s] of p.map) out.push(`${pad}  ${field}: ${scalar(s.value)}${comment(s)}`);
  if (p.unmapped.length) {
    out.push(`${pad}  # Not mapped (no canonical field recognised; map one by hand if it carries something Vendre shows):`);
    for (const u of p.unmapped) out.push(`${pad}  #   ${u.name}${u.note ? ` (${u.note})` : ''}`);
  }
}
