import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CATALOGUE, ConfigError, DataError, ErrorCodes, ExitCodes, FileRejected, UsageError, exitCodeOf, refOf, type CatalogueEntry, type Rule } from '../../src/errors.ts';

/** Every .ts file under src/, with its text. */
function sources(dir = 'src'): Array<{ file: string; text: string }> {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

const entries = Object.entries(CATALOGUE) as Array<[Rule, CatalogueEntry]>;
const families = new Set<string>(Object.values(ErrorCodes));

/** The top-level arguments of the call whose "(" is at `open`, as source text (strings and nesting skipped over). */
function argsAt(text: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let from = open + 1;
  const templates: number[] = []; // brace depth at which each open template literal resumes
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '`' || (c === '}' && templates.at(-1) === depth)) {
      if (c === '}') templates.pop();
      for (i++; i < text.length && text[i] !== '`'; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '$' && text[i + 1] === '{') {
          templates.push(depth);
          i++;
          break;
        }
      }
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) {
        args.push(text.slice(from, i).trim());
        return args;
      }
    } else if (c === ',' && depth === 1) {
      args.push(text.slice(from, i).trim());
      from = i + 1;
    }
  }
  return args;
}

/** Where each kind of throw site takes its rule: the argument's position (0-based). */
const RULE_ARGUMENT: Array<[RegExp, number]> = [
  [/new ValueError\(/g, 0],
  [/\.fail\(/g, 2],
  [/this\.error\(/g, 3],
  [/this\.encodingError\(/g, 4],
  [/new ConfigError\(/g, 3],
  [/new UsageError\(/g, 1],
  [/new StateError\(/g, 1],
  [/\blogCode\(/g, 0],
];

/**
 * The rule names src passes as string literals: `rule: '…'` in a DataError's context, and the rule
 * argument of ValueError, the mapper's fail(), the readers' error helpers, ConfigError and
 * UsageError. The type already refuses an unknown one; this also finds rules a cast would hide, and
 * catalogue entries nothing raises any more.
 */
function rulesUsedInSrc(): Map<string, string> {
  const used = new Map<string, string>();
  const note = (rule: string, file: string) => used.has(rule) || used.set(rule, file);
  for (const { file, text } of sources()) {
    if (file.startsWith(path.join('src', 'errors'))) continue;
    for (const m of text.matchAll(/\brule: '([a-z0-9_-]+)'/g)) note(m[1]!, file);
    for (const [call, n] of RULE_ARGUMENT) {
      for (const m of text.matchAll(call)) {
        const arg = argsAt(text, m.index + m[0].length - 1)[n];
        const literal = arg?.match(/^'([^']+)'$/);
        if (literal) note(literal[1]!, file);
      }
    }
  }
  return used;
}

test('every rule src raises is in the catalogue', () => {
  const used = rulesUsedInSrc();
  assert.ok(used.size >= 40, `the scan found the rules (${used.size}): ${[...used.keys()].join(', ')}`);
  const unknown = [...used].filter(([rule]) => !(rule in CATALOGUE)).map(([rule, file]) => `${rule} (${file})`);
  assert.deepEqual(unknown, [], 'rules without a catalogue entry');
});

test('every catalogue entry is raised somewhere (or, for refusals and encodings, answered by the edge or named by the config)', () => {
  const used = rulesUsedInSrc();
  const edge = ['src/edge/decide.ts', 'src/edge/route.ts'].map((f) => readFileSync(f, 'utf8')).join('\n');
  const schema = readFileSync('schemas/config.schema.json', 'utf8');
  // Rules raised without a literal: the defaults of the constructors, and the single-byte encodings (rule = the feed's encoding).
  const implicit = new Set<Rule>(['data', 'config', 'usage', 'unexpected']);
  const dead = entries
    .filter(([rule, e]) => {
      if (used.has(rule) || implicit.has(rule)) return false;
      if (e.http !== undefined) return !edge.includes(`'${rule}'`);
      if (e.family === ErrorCodes.ENCODING) return !schema.includes(`"${rule}"`);
      return true;
    })
    .map(([rule]) => rule);
  assert.deepEqual(dead, [], 'catalogue entries nothing raises');
});

test('codes are unique, stable in form, and each entry has a family, a summary, a hint and its exit code', () => {
  const codes = entries.map(([, e]) => e.code);
  assert.equal(new Set(codes).size, codes.length, 'codes are unique');
  for (const [rule, e] of entries) {
    assert.match(e.code, /^VP_E_[A-Z0-9]+(?:_[A-Z0-9]+)*$/, rule);
    assert.match(rule, /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, `${rule}: kebab-case (snake_case for the API's refusal names)`);
    for (const f of Array.isArray(e.family) ? e.family : [e.family]) assert.ok(families.has(f), `${rule}: family ${f}`);
    assert.ok(e.summary.length > 10 && !e.summary.includes('\n'), `${rule}: a one-line summary`);
    assert.ok(e.hint.length > 10 && !e.hint.includes('\n'), `${rule}: a one-line hint`);
    const fam = Array.isArray(e.family) ? e.family[0] : e.family;
    const expected = fam === ErrorCodes.CONFIG || fam === ErrorCodes.USAGE ? ExitCodes.USAGE : fam === ErrorCodes.UNEXPECTED ? ExitCodes.UNEXPECTED : fam === ErrorCodes.REFUSED || fam === ErrorCodes.PUBLISH || fam === ErrorCodes.RUNTIME ? ExitCodes.OK : ExitCodes.DATA;
    assert.equal(e.exit, expected, `${rule}: exit code for family ${fam}`);
    assert.equal(e.http !== undefined, fam === ErrorCodes.REFUSED, `${rule}: an HTTP status exactly for the refusals`);
  }
  // Codes released before a rename keep their spelling: a few pinned here so a careless edit fails.
  assert.equal(CATALOGUE['date-invalid'].code, 'VP_E_DATE_INVALID');
  assert.equal(CATALOGUE['utf-8'].code, 'VP_E_UTF_8');
  assert.equal(CATALOGUE['max-delete-share'].code, 'VP_E_MAX_DELETE_SHARE');
  assert.equal(CATALOGUE['config-invalid'].code, 'VP_E_CONFIG_INVALID');
});

test('the refusals carry the statuses the edge answers with', () => {
  const edge = ['src/edge/decide.ts', 'src/edge/route.ts'].map((f) => readFileSync(f, 'utf8')).join('\n');
  const answered = new Map<string, number>();
  for (const m of edge.matchAll(/respond\((\d{3}), '([a-z_]+)'/g)) answered.set(m[2]!, Number(m[1]));
  for (const m of edge.matchAll(/status: (\d{3}), error: '([a-z_]+)'/g)) answered.set(m[2]!, Number(m[1]));
  for (const m of edge.matchAll(/\(\): Routed => \(\{ status: (\d{3}), error: '([a-z_]+)'/g)) answered.set(m[2]!, Number(m[1]));
  for (const m of edge.matchAll(/\(message: string\): Routed => \(\{ status: (\d{3}), error: '([a-z_]+)'/g)) answered.set(m[2]!, Number(m[1]));
  assert.ok(answered.size >= 5, `found the edge's answers: ${[...answered.keys()].join(', ')}`);
  for (const [name, status] of answered) assert.equal((CATALOGUE as Record<string, CatalogueEntry>)[name]?.http, status, name);
});

test('every kind of rejection carries its code, its ref, a hint and the exit code of its rule', () => {
  const data = new DataError(ErrorCodes.FIELD, 'not a calendar date', { file: 'o.csv', line: 3, field: 'Datum → date', value: '2024-02-30', rule: 'date-invalid' });
  assert.deepEqual([data.code, data.ref, data.rule, data.exitCode], ['VP_ERR_FIELD', 'VP_E_DATE_INVALID', 'date-invalid', 1]);
  assert.equal(data.hint, CATALOGUE['date-invalid'].hint, 'no hint of its own: the catalogue’s');
  const hinted = new DataError(ErrorCodes.CSV, 'expected 10 columns, got 11', { rule: 'column-count', hint: 'a delimiter inside a value' });
  assert.equal(hinted.hint, 'a delimiter inside a value', 'a throw site’s own hint wins');
  assert.deepEqual(data.toJSON(), { code: 'VP_ERR_FIELD', ref: 'VP_E_DATE_INVALID', message: data.message, file: 'o.csv', line: 3, field: 'Datum → date', value: '2024-02-30', rule: 'date-invalid', hint: CATALOGUE['date-invalid'].hint });

  const rejected = new FileRejected('o.csv', [hinted, data]);
  assert.deepEqual([rejected.code, rejected.ref, rejected.exitCode], ['VP_ERR_CSV', 'VP_E_COLUMN_COUNT', 1], 'a rejected file carries its first error’s code');

  const cfg = new ConfigError('x.yaml:3: `inbox.stabelMs` is not a known key', 'inbox.stabelMs', 3, 'config-invalid');
  assert.deepEqual([cfg.code, cfg.ref, cfg.key, cfg.line, cfg.exitCode], ['VP_ERR_CONFIG', 'VP_E_CONFIG_INVALID', 'inbox.stabelMs', 3, 2]);
  assert.equal(cfg.hint, CATALOGUE['config-invalid'].hint);
  const usage = new UsageError('--port: "x" is not a port number', 'usage-option');
  assert.deepEqual([usage.code, usage.ref, usage.exitCode], ['VP_ERR_USAGE', 'VP_E_USAGE_OPTION', 2]);

  // The old signatures still compile and still carry a code.
  assert.deepEqual([new ConfigError('bad').ref, new ConfigError('bad', 'k', 1).ref, new UsageError('bad').ref, new DataError(ErrorCodes.RECORD, 'bad').ref], ['VP_E_CONFIG', 'VP_E_CONFIG', 'VP_E_USAGE', 'VP_E_DATA']);

  assert.equal(exitCodeOf(new Error('boom')), 3, 'anything not raised on purpose: 3');
  assert.equal(refOf(new TypeError('x')), 'VP_E_UNEXPECTED');
  assert.equal(exitCodeOf(cfg), 2);
  assert.equal(exitCodeOf(rejected), 1);
});

test('every warning and error a process logs carries a code (the family), its ref and its rule', () => {
  const uncoded: string[] = [];
  let seen = 0;
  for (const { file, text } of sources()) {
    // The repeated-failure log writes the fields its callers give it (they carry the code).
    if (file === path.join('src', 'publish', 'repeated.ts')) continue;
    for (const m of text.matchAll(/\blog\??\.(warn|error|fatal)\(/g)) {
      seen++;
      const first = argsAt(text, m.index + m[0].length - 1)[0] ?? '';
      if (!/logCode\(|\bcode: /.test(first)) uncoded.push(`${file}:${text.slice(0, m.index).split('\n').length}: ${first.slice(0, 80)}`);
    }
  }
  assert.ok(seen >= 20, `the scan found the log calls (${seen})`);
  assert.deepEqual(uncoded, [], 'warn/error log lines without a code');
});

test('logCode gives a log line the family, the stable ref and the rule of its catalogue entry', async () => {
  const { logCode } = await import('../../src/errors.ts');
  assert.deepEqual(logCode('watch-failed'), { code: 'VP_ERR_RUNTIME', ref: 'VP_E_WATCH_FAILED', rule: 'watch-failed' });
  assert.deepEqual(logCode('publish-failed'), { code: ErrorCodes.PUBLISH, ref: 'VP_E_PUBLISH_FAILED', rule: 'publish-failed' });
});
