/**
 * The README's "Error codes" table, generated from the catalogue so the two cannot drift:
 *   node --import tsx test/tools/error-codes.ts          # print the table
 *   node --import tsx test/tools/error-codes.ts --write  # rewrite it in README.md
 * test/errors/readme.test.ts fails when README.md and the catalogue differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogueTable } from '../../src/errors.ts';

export const README = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md');
export const START = '<!-- error-codes:start (generated from src/errors/catalogue.ts by test/tools/error-codes.ts --write) -->';
export const END = '<!-- error-codes:end -->';

/** The table between the markers, as README.md has it now. */
export function readmeTable(text: string): string {
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from === -1 || to === -1 || to < from) throw new Error(`README.md has no ${START} … ${END} block`);
  return text.slice(from + START.length, to).trim();
}

export function withTable(text: string, table: string): string {
  const from = text.indexOf(START);
  const to = text.indexOf(END);
  if (from === -1 || to === -1 || to < from) throw new Error(`README.md has no ${START} … ${END} block`);
  return `${text.slice(0, from + START.length)}\n${table}\n${text.slice(to)}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--write')) writeFileSync(README, withTable(readFileSync(README, 'utf8'), catalogueTable()));
  else process.stdout.write(`${catalogueTable()}\n`);
}
