import type { When } from '../config/types.ts';

/**
 * A `when` of the config as a test on one source row: every named column holds the value, or one of
 * the values, given (trimmed, case-insensitive: exports disagree on `Charge (Item)` vs `CHARGE (ITEM)`).
 * An empty `when` matches every row (a catch-all last rule).
 */
export function compileWhen(when: When): (fields: Record<string, string>) => boolean {
  const tests = Object.entries(when).map(([column, v]) => [column, new Set((Array.isArray(v) ? v : [v]).map(norm))] as const);
  return (fields) => tests.every(([column, values]) => values.has(norm(fields[column] ?? '')));
}

/** The columns a set of rules reads (a CSV header must have them). */
export function whenColumns(rules: ReadonlyArray<{ when: When }> | undefined): string[] {
  return [...new Set((rules ?? []).flatMap((r) => Object.keys(r.when)))];
}

const norm = (v: string) => v.trim().toLowerCase();
