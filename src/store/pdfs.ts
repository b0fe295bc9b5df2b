import type { DocKind } from '../model.ts';
import type { Part, StoreBase } from './base.ts';
import type { DocRow, StoredPdf } from './documents.ts';

/** PDFs dropped beside the exports: where their bytes are kept, and which wait for their document. */
export function Pdfs<B extends Part<StoreBase & { getDoc(kind: DocKind, id: string): DocRow | undefined }>>(Base: B) {
  return class Pdfs extends Base {
    /** Records a dropped PDF (its bytes kept at `path`); returns the owning customer if the document exists. */
    upsertPdf(kind: DocKind, id: string, pdf: StoredPdf, srcFile: string): string | undefined {
      this
        .sql(`INSERT INTO pdfs (kind, id, path, sha256, size, src_file, received_at) VALUES (?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
          ON CONFLICT (kind, id) DO UPDATE SET path = excluded.path, sha256 = excluded.sha256, size = excluded.size, src_file = excluded.src_file, received_at = excluded.received_at`)
        .run(kind, id, pdf.path, pdf.sha256, pdf.size, srcFile);
      return this.getDoc(kind, id)?.customer_no;
    }

    /** PDFs whose document has not arrived (yet). */
    ownerlessPdfs(): Array<{ kind: DocKind; id: string; src_file: string; received_at: string }> {
      return this
        .sql<[], { kind: DocKind; id: string; src_file: string; received_at: string }>(
          'SELECT p.kind, p.id, p.src_file, p.received_at FROM pdfs p LEFT JOIN docs d ON d.kind = p.kind AND d.id = p.id WHERE d.id IS NULL ORDER BY p.received_at',
        )
        .all();
    }
  };
}
