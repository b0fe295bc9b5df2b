/**
 * From the feeds init proposed for the files of several tables to the export runs (config `runs`)
 * they make up: a header table, its lines and its shipments (orders), invoices and their lines,
 * credit memos and their lines, where the files carry the same run id (a date, `R0042`) in their
 * names. Pure; `cli/init.ts` prints the result with the feeds.
 */
import { runKeyToRegExp } from '../inbox/runs.ts';
import { RUN_KIND, type Setting } from './propose.ts';

/** A proposed feed and the names of the sample files it was learnt from. */
export interface TableFeed {
  name: string;
  /** Undefined for a feed of several record kinds (`sections`). */
  kind?: string;
  files: string[];
}

export interface RunProposal {
  settings: Array<[string, Setting]>;
}

/** The kinds whose files one export run writes together, and what their documents are. */
const FAMILIES = [
  { name: 'orders', kinds: ['orders', 'order_lines', 'packages'], what: 'orders, their lines (joined on the document number) and their shipments (joined by order number)' },
  { name: 'invoices', kinds: ['invoices', 'invoice_lines'], what: 'invoices and their lines (joined on the invoice number)' },
  { name: 'credit-memos', kinds: ['credit_invoices', 'credit_invoice_lines'], what: 'credit memos and their lines (joined on the credit memo number)' },
];

const DATE = /\d{4}([-_.]?)\d{2}\1\d{2}(?:[T_ -]?\d{2}[-:.]?\d{2}(?:[-:.]?\d{2})?)?/;
const RUN_ID = /^[A-Za-z]{0,5}\d{2,}[A-Za-z]{0,2}$/;
const SEP = /^[-_. ]$/;

/**
 * The run id a file name carries and what stands around it: `SalesHeader_R0042_FULL.csv` →
 * R0042 between `SalesHeader_` and `_FULL`; `ordrar_20251130.csv` → 20251130. The date (or the
 * first run-id-like token after the table's name) the feed's pattern turns into `*`; undefined
 * when there is none, or nothing separates it from the table's name.
 */
export function runIdOf(fileName: string): { id: string; before: string; after: string; ext: string } | undefined {
  const ext = /\.[^.]+$/.exec(fileName)?.[0] ?? '';
  const stem = fileName.slice(0, fileName.length - ext.length);
  let start = -1;
  let id = '';
  const date = DATE.exec(stem);
  if (date && date.index > 0) {
    start = date.index;
    id = date[0];
  } else {
    const tokens = [...stem.matchAll(/[^-_. ]+/g)];
    for (const t of tokens.slice(1)) {
      if (!RUN_KIND.test(t[0]) && (RUN_ID.test(t[0]) || /\d{4,}/.test(t[0]))) {
        start = t.index!;
        id = t[0];
        break;
      }
    }
  }
  if (start <= 0 || !SEP.test(stem[start - 1]!)) return undefined;
  return { id, before: stem.slice(0, start), after: stem.slice(start + id.length), ext };
}

/**
 * A `key` that takes the run id out of every one of `names` (`*_{run}.csv`, `*_{run}_*.csv` when
 * FULL/DELTA or the like follow it), checked with the inbox's own reading of keys; undefined when
 * the names do not have one shape.
 */
export function runKeyFor(names: readonly string[]): string | undefined {
  const parts = names.map((n) => ({ name: n, part: runIdOf(n) }));
  if (parts.length === 0 || parts.some((p) => !p.part)) return undefined;
  const seps = new Set(parts.map((p) => p.part!.before.slice(-1)));
  const exts = new Set(parts.map((p) => p.part!.ext.toLowerCase()));
  if (seps.size !== 1 || exts.size !== 1) return undefined;
  const afters = parts.map((p) => p.part!.after);
  let tail: string;
  if (afters.every((a) => a === '')) tail = '';
  else {
    // Whatever follows the id (FULL, DELTA, a sequence number) may differ from run to run: `*`.
    const lead = new Set(afters.map((a) => a[0] ?? ''));
    if (lead.size !== 1 || !SEP.test([...lead][0]!)) return undefined;
    tail = `${[...lead][0]}*`;
  }
  const key = `*${[...seps][0]}{run}${tail}${parts[0]!.part!.ext}`;
  if (/[{}/]/.test(key.replace('{run}', ''))) return undefined;
  const re = runKeyToRegExp(key);
  return parts.every((p) => re.exec(p.name)?.[1]?.toLowerCase() === p.part!.id.toLowerCase()) ? key : undefined;
}

/**
 * `feeds` (waited for) and `optional` (joining when there): shipments are sent again alone when their
 * tracking numbers are known, so a packages feed is optional where the run keeps two required feeds.
 */
function runMembers(chosen: readonly TableFeed[], kinds: string, shown: string, example: readonly string[]): Array<[string, { value: string[]; why: string }]> {
  const optional = chosen.filter((f) => f.kind === 'packages');
  const required = chosen.filter((f) => f.kind !== 'packages');
  const why = `the feeds of kinds ${kinds}, whose files carry the same run id (${shown}: ${example.join(', ')})`;
  if (optional.length === 0 || required.length < 2) return [['feeds', { value: chosen.map((f) => f.name), why: `${why}; a run waits for a file of each, so leave out a table the ERP does not write on every run` }]];
  return [
    ['feeds', { value: required.map((f) => f.name), why: `${why}; a run waits for a file of each` }],
    ['optional', { value: optional.map((f) => f.name), why: 'shipments join the run when they come with it, and a shipments file sent again alone (tracking numbers filled in later) is applied at once, not held as an incomplete run' }],
  ];
}

/** The runs the feeds make up (each with its guesses and why), and notes on the feeds left out. */
export function proposeRuns(feeds: readonly TableFeed[]): { runs: RunProposal[]; notes: string[] } {
  const runs: RunProposal[] = [];
  const notes: string[] = [];
  const inRun = new Set<string>();
  for (const family of FAMILIES) {
    const members = feeds.filter((f) => f.kind !== undefined && family.kinds.includes(f.kind));
    if (members.length < 2) continue;
    // The run id most of the family's feeds have a file of: a run waits for a file of every member.
    const idsOf = (f: TableFeed) => new Set(f.files.map((n) => runIdOf(n)?.id.toLowerCase()).filter((x): x is string => !!x));
    const count = new Map<string, number>();
    for (const f of members) for (const id of idsOf(f)) count.set(id, (count.get(id) ?? 0) + 1);
    const best = [...count].sort((a, b) => b[1] - a[1])[0];
    if (!best || best[1] < 2) {
      notes.push(`the files of ${members.map((f) => f.name).join(', ')} carry no common run id in their names: no run proposed for them (each file is applied alone); add a \`runs\` entry by hand if one export writes them together`);
      continue;
    }
    const id = best[0];
    const chosen = members.filter((f) => idsOf(f).has(id));
    // As the file names write it (R0042), not as compared.
    const shown = chosen[0]!.files.map((n) => runIdOf(n)?.id).find((x) => x?.toLowerCase() === id)!;
    const names = chosen.flatMap((f) => f.files);
    const key = runKeyFor(names);
    if (!key) {
      notes.push(`${chosen.map((f) => f.name).join(', ')} share run id ${shown}, but their file names (${names.join(', ')}) have no one shape a \`key\` takes it from: no run proposed; write its \`key\` by hand`);
      continue;
    }
    for (const f of members) {
      if (!chosen.includes(f)) notes.push(`${f.name} has no file of run ${shown} among the samples: left out of run ${family.name} (a run waits for a file of every member feed); add it to that run's \`feeds\` if every run writes one`);
    }
    for (const f of chosen) inRun.add(f.name);
    const example = chosen.map((f) => f.files.find((n) => runIdOf(n)?.id.toLowerCase() === id)!);
    const kinds = chosen.map((f) => f.kind).join(', ');
    runs.push({
      settings: [
        ['name', { value: family.name, why: `${family.what} come from one export run: its files are applied in one transaction and published once (if the ERP writes a marker file last, add \`marker\`)` }],
        ...runMembers(chosen, kinds, shown, example),
        ['key', { value: key, why: `{run} is the run id in the file names, * the table's name${/\{run\}[-_. ]\*/.test(key) ? ' and what follows the id (FULL/DELTA) as *' : ''}: ${example[0]} is run ${runIdOf(example[0]!)!.id}` }],
        ['waitMs', { value: 600000, why: 'the default (10 minutes): how long a run waits for its missing files before they are quarantined together (VP_E_RUN_INCOMPLETE); set it to how long your ERP may take to write one run' }],
      ],
    });
  }
  for (const f of feeds) {
    if (inRun.has(f.name)) continue;
    if (f.kind === 'deletions') notes.push(`${f.name} (deletions) is in no run: its files are applied alone, in the order they come`);
    else if (f.kind === undefined) notes.push(`${f.name} holds several record kinds in each file (one transaction already): in no run`);
  }
  return { runs, notes };
}
