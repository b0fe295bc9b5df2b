import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { FLAT_HEADER, flatRow, writeBytes } from '../helpers.ts';
import { forbiddenIdChar } from '../../src/mapping/ids.ts';
import { cli, filesUnder, setup } from './daemon.ts';

// Finding 9: ids with bidi or invisible control characters are rejected with a coded error; an id
// under two customers names both lines.

const SPOOFS: Array<[string, string]> = [
  ['\u202e', 'right-to-left override'],
  ['\u202d', 'left-to-right override'],
  ['\u2066', 'bidirectional'],
  ['\u200f', 'bidirectional'],
  ['\u200b', 'zero-width space'],
  ['\u200d', 'zero-width joiner'],
  ['\u2060', 'invisible'],
  ['\ufeff', 'BOM'],
  ['\u00ad', 'soft hyphen'],
  ['\u0085', 'C1 control'],
  ['\u0007', 'control'],
];

test('forbiddenIdChar names each bidi, invisible and control character by code point; ordinary ids pass', () => {
  for (const [c, what] of SPOOFS) {
    const found = forbiddenIdChar(`ORD-1${c}gpj.exe`);
    assert.ok(found, `U+${c.codePointAt(0)!.toString(16)}`);
    assert.match(found, new RegExp(`^U\\+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} \\(.*${what}.*\\) at position 6$`));
  }
  for (const ok of ['ORD-1', '10003', 'Ö-åäö 12', 'A/B_C.1', '注文-1', 'عربي']) assert.equal(forbiddenIdChar(ok), undefined, ok);
});

test('an export with U+202E in an order id is rejected (VP_ERR_FIELD, rule id-chars), shown escaped, nothing published', () => {
  const s = setup('ids');
  const file = writeBytes(s.dir, 'orders_spoof.csv', `${[FLAT_HEADER, flatRow({ id: 'ORD-1', c: 'C1', date: '20251101' }), flatRow({ id: 'ORD-2\u202egpj.exe', c: 'C1', date: '20251101' })].join('\n')}\n`);
  const r = cli(s.cfg, ['ingest', file]);
  assert.equal(r.status, 1, r.stderr);
  // The rejection is a JSON log line on stderr: its fields name file, line, field, value and rule.
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const rejected = lines.find((l) => l.ref === 'VP_E_ID_CHARS');
  assert.ok(rejected, r.stderr);
  assert.equal(rejected.code, 'VP_ERR_FIELD');
  assert.equal(rejected.file, 'orders_spoof.csv');
  assert.equal(rejected.line, 3);
  assert.equal(rejected.field, 'Ordernr → id');
  assert.equal(rejected.value, 'ORD-2\\u202egpj.exe', 'the value is shown escaped');
  assert.equal(rejected.rule, 'id-chars');
  assert.match(String(rejected.msg), /^orders_spoof\.csv:3 field `Ordernr → id` value .*: contains U\+202E \(right-to-left override\) at position 6 \(rule id-chars\)$/);
  assert.ok(!r.stderr.includes('\u202e') && !r.stdout.includes('\u202e'), 'the character itself is not echoed');
  assert.deepEqual(filesUnder(path.join(s.target, 'v1')), []);
  const z = cli(s.cfg, ['validate', writeBytes(s.dir, 'orders_zw.csv', `${FLAT_HEADER}\n${flatRow({ id: 'ORD\u200b3', c: 'C1', date: '20251101' })}\n`)]);
  assert.equal(z.status, 1);
  assert.match(z.stderr, /U\+200B \(zero-width space\).*rule id-chars/);
});

test('the same order id under two customers names both lines and both customers', () => {
  const s = setup('ids-twin');
  const file = writeBytes(s.dir, 'orders_twin.csv', `${[FLAT_HEADER, flatRow({ id: 'TWIN-1', c: 'C111', date: '20251101' }), flatRow({ id: 'OTHER', c: 'C5', date: '20251101' }), flatRow({ id: 'TWIN-1', c: 'C112', date: '20251101' })].join('\n')}\n`);
  const r = cli(s.cfg, ['ingest', file]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /order TWIN-1 appears under customer C111 and C112 in one file \(line 2: C111, line 4: C112\) \(rule id-customer-conflict\)/);
  // Consecutive lines of one document (its run) too.
  const run = writeBytes(s.dir, 'orders_twin2.csv', `${[FLAT_HEADER, flatRow({ id: 'TWIN-2', c: 'C111', date: '20251101' }), flatRow({ id: 'TWIN-2', c: 'C112', date: '20251101' })].join('\n')}\n`);
  const r2 = cli(s.cfg, ['ingest', run]);
  assert.match(r2.stderr, /TWIN-2 appears under customer C111 and C112 in one file \(line 2: C111, line 3: C112\)/);
});
