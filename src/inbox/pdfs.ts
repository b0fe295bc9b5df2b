import type { PdfConfig } from '../config/types.ts';

export interface PdfMatch {
  kind: PdfConfig['kind'];
  id: string;
}

/** `faktura_{id}.pdf` → /^faktura_(.+)\.pdf$/i; the captured part is the document number. */
export function pdfPatternToRegExp(pattern: string): RegExp {
  const [before, after] = pattern.split('{id}') as [string, string];
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${esc(before)}(.+?)${esc(after)}$`, 'i');
}

/** Which configured PDF pattern a dropped file name matches, and the document it belongs to. */
export function pdfFor(name: string, pdfs: readonly PdfConfig[]): PdfMatch | undefined {
  for (const p of pdfs) {
    const m = pdfPatternToRegExp(p.pattern).exec(name);
    if (m && m[1]!.trim()) return { kind: p.kind, id: m[1]!.trim() };
  }
  return undefined;
}
