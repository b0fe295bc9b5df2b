import type { Address, DocKind, Package, SourceRef } from '../model.ts';
import type { StoredDoc } from '../store/db.ts';
import { add, compare, mul, percentOf, round2, sub } from '../mapping/money.ts';
import { formatMoney } from './format.ts';
import { backordersKey, documentKey, listOf, listPageKey, pdfKey, type ListKind } from '../layout/keys.ts';
import { carrierTable, type CarrierTable } from './carriers.ts';
import { PDF_LINK_PARAM } from '../layout/pdf-link.ts';

/** Bumped when a document's shape changes; travels in every document. */
export const SCHEMA_VERSION = 1;

export type DocumentType = 'order' | 'invoice' | 'credit' | 'order-list' | 'invoice-list' | 'credit-list' | 'backorders' | 'addresses' | 'stock' | 'prices' | 'pricing';

export interface RenderOptions {
  locale: string;
  pageSize: number;
  /** Tracking links by carrier; built-ins when absent. */
  carriers?: CarrierTable;
  /** `highest` (default) or a fixed VAT rate in percent for shipping. */
  shippingVatRate?: string;
  /** CDN base URL and key prefix, for `pdf_link`. */
  publicBaseUrl?: string;
  prefix?: string;
  /** Signs a PDF's path (`/{prefix}/{key}`) for its link's `?sig=` (src/layout/pdf-link.ts); absent: links carry no sig. */
  signPdfPath?: (path: string) => string;
}

export interface RenderedDocument {
  /** Key relative to the prefix. */
  key: string;
  type: DocumentType;
  body: Record<string, unknown>;
  /** The record the document was made from (lists: the first item's), for error reports. */
  source: Pick<SourceRef, 'file' | 'line'>;
}

/** A file published as it is (a PDF), beside the rendered documents. */
export interface PublishedFile {
  key: string;
  path: string;
  sha256: string;
  size: number;
  contentType: string;
}

export interface RenderedCustomer {
  documents: RenderedDocument[];
  files: PublishedFile[];
}

const builtInCarriers = carrierTable();

/**
 * Pure: all documents of one customer. Key order inside each body is fixed by construction, and
 * nothing depends on the clock, so the same records always give the same bytes.
 *
 * Lists: orders; invoices (credit invoices included, each item marked with its `type`); credit
 * invoices alone. Each has pages newest first and pages per calendar year. Every customer with any
 * document has page 1 of every list and a backorders document, so an empty history is an empty
 * list rather than a 404.
 */
export function renderCustomer(customerNo: string, docs: StoredDoc[], opts: RenderOptions): RenderedCustomer {
  const documents: RenderedDocument[] = [];
  const files: PublishedFile[] = [];
  if (docs.length === 0) return { documents, files };
  const sorted = [...docs].sort(newestFirst);
  for (const d of sorted) {
    const list = listOf(d.kind);
    documents.push({ key: documentKey(customerNo, list, d.id), type: d.kind, body: renderDocument(d, opts), source: d.source });
    if (d.pdf) files.push({ key: pdfKey(customerNo, list, d.id), path: d.pdf.path, sha256: d.pdf.sha256, size: d.pdf.size, contentType: 'application/pdf' });
  }
  const lists: Array<[ListKind, StoredDoc[]]> = [
    ['orders', sorted.filter((d) => d.kind === 'order')],
    ['invoices', sorted.filter((d) => d.kind === 'invoice' || d.kind === 'credit')],
    ['credit-invoices', sorted.filter((d) => d.kind === 'credit')],
  ];
  for (const [list, ofList] of lists) {
    documents.push(...renderPages(customerNo, list, ofList, opts));
    const years = [...new Set(ofList.map((d) => Number(d.header.date.slice(0, 4))))].sort((a, b) => b - a);
    for (const year of years) documents.push(...renderPages(customerNo, list, ofList.filter((d) => d.header.date.startsWith(`${year}-`)), opts, year));
  }
  documents.push(renderBackorders(customerNo, sorted));
  return { documents, files };
}

const LIST_TYPE: Record<ListKind, DocumentType> = { orders: 'order-list', invoices: 'invoice-list', 'credit-invoices': 'credit-list' };

function renderPages(customerNo: string, list: ListKind, docs: StoredDoc[], opts: RenderOptions, year?: number): RenderedDocument[] {
  const perPage = opts.pageSize;
  const totalPages = Math.max(1, Math.ceil(docs.length / perPage));
  const pages: RenderedDocument[] = [];
  for (let page = 1; page <= totalPages; page++) {
    const slice = docs.slice((page - 1) * perPage, page * perPage);
    const dates = slice.map((d) => d.header.date);
    const body: Record<string, unknown> = {
      schema_version: SCHEMA_VERSION,
      type: LIST_TYPE[list],
      customer_no: customerNo,
      ...(year === undefined ? {} : { year }),
      page,
      per_page: perPage,
      total: docs.length,
      total_pages: totalPages,
      // Newest first, so the span runs from the last item's date to the first's.
      date_from: dates.length ? dates[dates.length - 1] : null,
      date_to: dates.length ? dates[0] : null,
      items: slice.map((d) => listItem(d, list, opts)),
    };
    pages.push({ key: listPageKey(customerNo, list, page, year), type: LIST_TYPE[list], body, source: slice[0]?.source ?? { file: '', line: 0 } });
  }
  return pages;
}

function listItem(d: StoredDoc, list: ListKind, opts: RenderOptions): Record<string, unknown> {
  const h = d.header;
  const total = totals(d, opts.shippingVatRate).total;
  const item: Record<string, unknown> = {
    id: d.id,
    customer_no: h.customer_no,
    sum: formatMoney(total, h.currency, opts.locale),
    sum_amount: total,
    currency: h.currency,
    date: h.date,
    reference: h.reference ?? null,
  };
  if (d.kind !== 'order') {
    item.due_date = h.due_date ?? null;
    item.payment_status = h.payment_status ?? null;
  }
  // The invoice list holds both kinds: say which, so the shop can link to the right document.
  if (list === 'invoices') item.type = d.kind === 'credit' ? 'credit' : 'invoice';
  return item;
}

interface Totals {
  rows: string[];
  net: string;
  shipping: string;
  tax: Array<{ rate: string; base: string; amount: string }>;
  vat: string;
  total: string;
}

/**
 * Row totals, VAT per rate and the document total, in exact decimals. Prices are excluding VAT;
 * shipping is taxed at the highest rate on the document (the Swedish main-goods rule). A total given
 * by the ERP wins over the computed one: it is what the customer was actually charged.
 */
export function totals(d: StoredDoc, shippingVatRate = 'highest'): Totals {
  const rows = d.lines.map((l) => {
    if (l.row_total !== undefined) return l.row_total;
    const gross = mul(l.quantity, l.price ?? '0');
    return round2(l.discount ? sub(gross, percentOf(gross, l.discount)) : gross);
  });
  const bases = new Map<string, string>();
  /** Shipping taxed by the shipping rule: the header's, and charge lines that state no VAT rate. */
  let ruled = d.header.shipping_cost ?? '0';
  let shipping = ruled;
  let net = '0';
  d.lines.forEach((l, i) => {
    const row = rows[i]!;
    if (l.charge === 'shipping') {
      // A charge line (freight as a sales line) is shipping, taxed at its own rate when it has one.
      shipping = add(shipping, row);
      if (l.vat_rate === undefined) {
        ruled = add(ruled, row);
        return;
      }
    } else {
      net = add(net, row);
    }
    const rate = normalizeRate(l.vat_rate ?? '0');
    bases.set(rate, add(bases.get(rate) ?? '0', row));
  });
  if (compare(ruled, '0') !== 0) {
    const productRates = d.lines.filter((l) => l.charge === undefined).map((l) => normalizeRate(l.vat_rate ?? '0'));
    const top = shippingVatRate !== 'highest' ? normalizeRate(shippingVatRate) : ([...new Set(productRates)].sort((a, b) => compare(b, a))[0] ?? '0');
    bases.set(top, add(bases.get(top) ?? '0', ruled));
  }
  const tax = [...bases.entries()]
    .sort(([a], [b]) => compare(b, a))
    .map(([rate, base]) => ({ rate, base: round2(base), amount: round2(percentOf(base, rate)) }));
  net = round2(net);
  const vat = round2(tax.reduce((s, t) => add(s, t.amount), '0'));
  const total = d.header.total === undefined ? round2(add(add(net, shipping), vat)) : atLeast2(d.header.total);
  return { rows: rows.map(atLeast2), net, shipping: round2(shipping), tax, vat, total };
}

/** Amounts read `1234.5` in some exports: publish at least two decimals, never fewer digits than given. */
function atLeast2(v: string): string {
  const dot = v.indexOf('.');
  if (dot === -1) return `${v}.00`;
  const decimals = v.length - dot - 1;
  return decimals >= 2 ? v : `${v}${'0'.repeat(2 - decimals)}`;
}

function normalizeRate(rate: string): string {
  return rate.includes('.') ? rate.replace(/\.?0+$/, '') : rate;
}

export function renderDocument(d: StoredDoc, opts: RenderOptions): Record<string, unknown> {
  const h = d.header;
  const money = (amount: string) => formatMoney(amount, h.currency, opts.locale);
  const t = totals(d, opts.shippingVatRate);
  const carriers = opts.carriers ?? builtInCarriers;
  const body: Record<string, unknown> = {
    schema_version: SCHEMA_VERSION,
    type: d.kind,
    id: d.id,
    customer_no: h.customer_no,
    date: h.date,
  };
  if (d.kind !== 'order') {
    body.due_date = h.due_date ?? null;
    body.payment_status = h.payment_status ?? null;
  }
  Object.assign(body, {
    po_number: h.po_number ?? null,
    reference: h.reference ?? null,
    comment: h.comment ?? null,
    currency: h.currency,
    total: money(t.total),
    total_amount: t.total,
    net_total: money(t.net),
    net_total_amount: t.net,
    shipping_cost: money(t.shipping),
    shipping_cost_amount: t.shipping,
    vat_total: money(t.vat),
    vat_total_amount: t.vat,
    tax: t.tax.map((x) => ({ rate: x.rate, base: money(x.base), base_amount: x.base, vat: money(x.amount), vat_amount: x.amount })),
    customer: address(h.customer, true),
    delivery: address(h.delivery, false),
    products: d.lines.flatMap((l, i) => (l.charge !== undefined ? [] : [{
      model: l.model ?? null,
      name: l.name ?? null,
      quantity: l.quantity,
      price: l.price === undefined ? null : money(l.price),
      price_amount: l.price === undefined ? null : atLeast2(l.price),
      discount: l.discount ?? null,
      row_total: money(t.rows[i]!),
      row_total_amount: t.rows[i]!,
      vat_rate: l.vat_rate === undefined ? null : normalizeRate(l.vat_rate),
    }])),
    packages: packagesOf(d).map((p) => ({ tracing_id: p.tracking_id, tracking_link: carriers.link(p.carrier, p.tracking_id) ?? null })),
  });
  if (d.kind !== 'order') body.orders = ordersOf(d).map((order_no) => ({ order_no }));
  // Fields only some exports have: present when the export gives them, so other documents keep their bytes.
  if (h.status !== undefined) body.status = h.status;
  if (d.kind === 'credit' && h.credited_invoice !== undefined) body.credited_invoice = h.credited_invoice;
  body.pdf_link = d.pdf && opts.publicBaseUrl ? pdfLink(opts.publicBaseUrl, `/${opts.prefix ?? 'v1'}/${pdfKey(d.customer_no, listOf(d.kind), d.id)}`, opts.signPdfPath) : null;
  return body;
}

/** The header's packages (each with its carrier, or all with the header's), then a packages feed's; each tracking id once. */
function packagesOf(d: StoredDoc): Package[] {
  const h = d.header;
  const own: Package[] = h.packages ?? (h.tracking_ids ?? []).map((tracking_id) => (h.carrier === undefined ? { tracking_id } : { tracking_id, carrier: h.carrier }));
  if (!d.packages?.length) return own;
  const seen = new Set(own.map((p) => p.tracking_id));
  return [...own, ...d.packages.filter((p) => !seen.has(p.tracking_id) && seen.add(p.tracking_id))];
}

/** The orders a document belongs to: the header's, then those its lines name, each once, in line order. */
function ordersOf(d: StoredDoc): string[] {
  const out = new Set(d.header.order_nos ?? []);
  for (const l of d.lines) if (l.order_no !== undefined) out.add(l.order_no);
  return [...out];
}

/**
 * The CDN URL of a PDF. Signed, it carries `?sig=` for exactly this path, so a browser opens it
 * without Vendre's Authorization header; the same secret and path always give the same link.
 */
function pdfLink(base: string, path: string, sign: ((path: string) => string) | undefined): string {
  const url = `${base.replace(/\/+$/, '')}${path}`;
  return sign ? `${url}?${PDF_LINK_PARAM}=${sign(path)}` : url;
}

/**
 * Backordered products (restnoterade): every order line with quantity still to deliver, newest
 * order first. What remains is the export's `remaining`, or quantity − delivered; a line of
 * which everything was delivered (or that says nothing about delivery) is not listed, so an
 * export that clears a backorder removes it.
 */
function renderBackorders(customerNo: string, sorted: StoredDoc[]): RenderedDocument {
  const items: Array<Record<string, unknown>> = [];
  let source: RenderedDocument['source'] = { file: '', line: 0 };
  for (const d of sorted) {
    if (d.kind !== 'order') continue;
    for (const l of d.lines) {
      if (l.charge !== undefined) continue;
      const remaining = l.remaining ?? (l.delivered === undefined ? undefined : sub(l.quantity, l.delivered));
      if (remaining === undefined || compare(remaining, '0') <= 0) continue;
      if (items.length === 0) source = d.source;
      items.push({
        model: l.model ?? null,
        name: l.name ?? null,
        quantity: remaining,
        ordered: l.quantity,
        order_no: d.id,
        order_date: d.header.date,
        expected_date: l.delivery_date ?? null,
      });
    }
  }
  return {
    key: backordersKey(customerNo),
    type: 'backorders',
    body: { schema_version: SCHEMA_VERSION, type: 'backorders', customer_no: customerNo, total: items.length, items },
    source,
  };
}

function address(a: Address, withCustomerFields: boolean): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (withCustomerFields) {
    out.company = a.company ?? null;
    out.no = a.no ?? null;
  } else if (a.company !== undefined) {
    // The delivery name (Ship-to Name): only when the export has one, so documents without it keep their bytes.
    out.company = a.company;
  }
  out.reference = a.reference ?? null;
  out.address = a.address ?? null;
  out.address2 = a.address2 ?? null;
  out.zipcode = a.zipcode ?? null;
  out.ziparea = a.ziparea ?? null;
  out.country = a.country ?? null;
  out.country_iso = a.country_iso ?? null;
  return out;
}

const KIND_ORDER: Record<DocKind, number> = { order: 0, invoice: 1, credit: 2 };

/** Newest first; same day: higher document number first (numbers compare as numbers), then kind. */
export function newestFirst(a: StoredDoc, b: StoredDoc): number {
  if (a.header.date !== b.header.date) return a.header.date < b.header.date ? 1 : -1;
  return -compareIds(a.id, b.id) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
}

export function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length - y.length;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
