import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CATALOGUE, catalogueTable } from '../../src/errors.ts';
import { README, readmeTable } from '../tools/error-codes.ts';

test('the README’s "Error codes" table is the catalogue (regenerate: node --import tsx test/tools/error-codes.ts --write)', () => {
  const text = readFileSync(README, 'utf8');
  assert.equal(readmeTable(text), catalogueTable());
  // Every code once, in the section after "## Commands".
  const section = text.slice(text.indexOf('## Error codes'), text.indexOf('\n## ', text.indexOf('## Error codes') + 1));
  assert.ok(text.indexOf('## Commands') < text.indexOf('## Error codes'), 'the section follows "## Commands"');
  for (const e of Object.values(CATALOGUE)) assert.equal(section.split(`| \`${e.code}\` |`).length - 1, 1, e.code);
  assert.match(section, /\*\*3\*\* an unexpected error/, 'exit code 3 is documented');
});
