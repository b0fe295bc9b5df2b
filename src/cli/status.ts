/** `vendre-pull status`: prints what ops/status.ts collects. */
import { collectStatus, type Status } from '../ops/status.ts';
import { withApp, type GlobalOptions } from './context.ts';

export function formatStatus(s: Status): string {
  const lines = [
    `state          ${s.state}`,
    `target         ${s.target}`,
    `documents      ${s.documents.orders} orders, ${s.documents.invoices} invoices, ${s.documents.credit_invoices} credit invoices, ${s.documents.customers} customers` +
      (s.documents.orphan_line_sets ? `, ${s.documents.orphan_line_sets} line sets waiting for their header` : ''),
    `published      ${s.published.objects} objects: ${s.published.orders} orders, ${s.published.invoices} invoices, ${s.published.credit_invoices} credit invoices, ${s.published.backorders} backorder lists, ${s.published.pdfs} PDFs, ${s.published.list_pages} list pages, ${s.published.indexes} index objects, ${s.published.addresses} address lists, ${s.published.stock} stock documents, ${s.published.prices} price objects` +
      (s.published.other ? `, ${s.published.other} other` : ''),
    `outbox         ${s.outbox.depth} waiting${s.outbox.failing ? `, ${s.outbox.failing} failing (last error: ${s.outbox.last_error})` : ''}` +
      (s.dirty_customers ? `; ${s.dirty_customers} customers to render and publish` : ''),
    `files          ${s.files.ingested} ingested, ${s.files.rejected} rejected, ${s.files.duplicate} duplicates`,
    `inbox          ${s.inbox.length ? `${s.inbox.length} waiting: ${s.inbox.slice(0, 10).join(', ')}` : '(empty)'}`,
    `quarantine     ${s.quarantine.count ? `${s.quarantine.count} file(s); newest: ${s.quarantine.newest?.error ?? '?'}` : '(empty)'}`,
    'feeds',
  ];
  // As wide as the longest feed name, so a long one does not push its row out of line.
  const width = Math.max(16, ...s.feeds.map((f) => f.name.length));
  for (const f of s.feeds) {
    const l = f.last_file;
    lines.push(`  ${f.name.padEnd(width)} ${l ? `${l.finished_at}  ${l.outcome.padEnd(9)} ${l.name}${l.error ? ` — ${l.error}` : ''}` : 'no file yet'}`);
  }
  if (s.pdfs_waiting.length) {
    lines.push(`pdfs waiting   ${s.pdfs_waiting.length} without their document: ${s.pdfs_waiting.slice(0, 10).map((p) => `${p.file} (${p.kind} ${p.id})`).join(', ')}`);
  }
  if (s.invalid_documents.length) {
    lines.push(`not published  ${s.invalid_documents.length} documents failed their schema:`);
    for (const d of s.invalid_documents.slice(0, 20)) lines.push(`  ${d.key} (from ${d.source}): ${d.message}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function statusCommand(g: GlobalOptions, opts: { json?: boolean }): Promise<number> {
  return withApp(
    g,
    async (app) => {
      const s = await collectStatus(app);
      process.stdout.write(opts.json ? `${JSON.stringify(s, null, 2)}\n` : formatStatus(s));
      // Something needs attention: files in quarantine, documents that could not be published.
      return s.quarantine.count > 0 || s.invalid_documents.length > 0 ? 1 : 0;
    },
    { requires: ['state', 'drop'] },
  );
}
