import type { DocKind } from '../model.ts';
import type { Store } from './db.ts';

/** Where a stored document came from: the file and line that last carried it (for error messages naming both lines of a conflict). */
export function docSource(store: Store, kind: DocKind, id: string): { file: string; line: number } | undefined {
  return store.db.prepare<[DocKind, string], { file: string; line: number }>('SELECT src_file AS file, src_line AS line FROM docs WHERE kind = ? AND id = ?').get(kind, id);
}
