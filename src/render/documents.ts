import type { Address, DocKind, SourceRef } from '../model.ts';
import type { StoredDoc } from '../store/db.ts';
import { add, compare, mul, percentOf, round2, sub } from '../mapping/money.ts';
import { formatMoney } from '../mapping/format.ts';
import { documentKey, listPageKey, type ListKind } from './keys.ts';

/** Bumped when a document's shape changes; travels in every document. */
export const SCHEMA_VERSION = 1;

export type DocumentType = 'order' | 'invoice' | 'order-list' | 'invoice-list';

export interface RenderOptions {
  locale: string;
  pageSize: number;
}

export interface RenderedDocument {
  /** Key relative to the prefix. */
  key: string;
  type: DocumentType;
  body: Record<string, unknown>;
  /** The record the document was made from (lists: the first item's), for error reports. */
  source: Pick<SourceRef, 'file' | 'line'>;
}

/**
 * Pure: all documents of one customer. Key order inside each body is fixed by construction, and
 * nothing depends on the clock, so the same records always give the same bytes.
 */
export function renderCustomer(customerNo: string, docs: StoredDoc[], opts: RenderOptions): RenderedDocument[] {
  if (docs.length === 0) return [];
  const out: RenderedDocument[] = [];
  for (const kind of ['order', 'invoice'] as const) {
    const list: ListKind = kind === 'order' ? 'orders' : 'invoices';
    const ofKind = docs.filter((d) => d.kind === kind).sort(newestFirst);
    const rendered = ofKind.map((d) => ({ doc: d, body: renderDocument(d, opts) }));
    for (const r of rendered) {
      out.push({ key: documentKey(customerNo, list, r.doc.id), type: kind, body: r.body, source: r.doc.source });
    }
    // Every customer has page 1 of both lists, so an empty history is an empty list rather than a 404.
    out.push(...renderPages(customerNo, kind, ofKind, opts));
    const years = [...new Set(ofKind.map((d) => Number(d.header.date.slice(0, 4))))].sort((a, b) => b - a);
    for (const year of years) {
      out.push(...renderPages(customerNo, kind, ofKind.filter((d) => d.header.date.startsWith(`${year}-`)), opts, year));
    }
  }
  return out;
}

function renderPages(customerNo: string, kind: DocKind, docs: StoredDoc[], opts: RenderOptions, year?: number): RenderedDocument[] {
  const list: ListKind = kind === 'order' ? 'orders' : 'invoices';
  const perPage = opts.pageSize;
  const totalPages = Math.max(1, Math.ceil(docs.length / perPage));
  const pages: RenderedDocument[] = [];
  for (let page = 1; page <= totalPages; page++) {
    const slice = docs.slice((page - 1) * perPage, page * perPage);
    const dates = slice.map((d) => d.header.date);
    const body: Record<string, unknown> = {
      schema_version: SCHEMA_VERSION,
      type: `${kind}-list`,
      customer_no: customerNo,
      ...(year === undefined ? {} : { year }),
      page,
      per_page: perPage,
      total: docs.length,
      total_pages: totalPages,
      // Newest first, so the span runs from the last item's date to the first's.
      date_from: dates.length ? dates[dates.length - 1] : null,
      date_to: dates.length ? dates[0] : null,
      items: slice.map((d) => listItem(d, opts)),
    };
    pages.push({ key: listPageKey(customerNo, list, page, year), type: `${kind}-list`, body, source: slice[0]?.source ?? { file: '', line: 0 } });
  }
  return pages;
}

function listItem(d: StoredDoc, opts: RenderOptions): Record<string, unknown> {
  const h = d.header;
  const total = totals(d).total;
  const item: Record<string, unknown> = {
    id: d.id,
    customer_no: h.customer_no,
    sum: formatMoney(total, h.currency, opts.locale),
    sum_amount: total,
    currency: h.currency,
    date: h.date,
    reference: h.reference ?? null,
  };
  if (d.kind === 'invoice') {
    item.due_date = h.due_date ?? null;
    item.payment_status = h.payment_status ?? null;
  }
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
export function totals(d: StoredDoc): Totals {
  const rows = d.lines.map((l) => {
    if (l.row_total !== undefined) return l.row_total;
    const gross = mul(l.quantity, l.price ?? '0');
    return round2(l.discount ? sub(gross, percentOf(gross, l.discount)) : gross);
  });
  const bases = new Map<string, string>();
  d.lines.forEach((l, i) => {
    const rate = normalizeRate(l.vat_rate ?? '0');
    bases.set(rate, add(bases.get(rate) ?? '0', rows[i]!));
  });
  const shipping = d.header.shipping_cost ?? '0';
  if (compare(shipping, '0') !== 0) {
    const top = [...bases.keys()].sort((a, b) => compare(b, a))[0] ?? '0';
    bases.set(top, add(bases.get(top) ?? '0', shipping));
  }
  const tax = [...bases.entries()]
    .sort(([a], [b]) => compare(b, a))
    .map(([rate, base]) => ({ rate, base: round2(base), amount: round2(percentOf(base, rate)) }));
  const net = round2(rows.reduce((s, r) => add(s, r), '0'));
  const vat = round2(tax.reduce((s, t) => add(s, t.amount), '0'));
  const total = d.header.total ?? round2(add(add(net, shipping), vat));
  return { rows, net, shipping: round2(shipping), tax, vat, total };
}

function normalizeRate(rate: string): string {
  return rate.includes('.') ? rate.replace(/\.?0+$/, '') : rate;
}

export function renderDocument(d: StoredDoc, opts: RenderOptions): Record<string, unknown> {
  const h = d.header;
  const money = (amount: string) => formatMoney(amount, h.currency, opts.locale);
  const t = totals(d);
  const body: Record<string, unknown> = {
    schema_version: SCHEMA_VERSION,
    type: d.kind,
    id: d.id,
    customer_no: h.customer_no,
    date: h.date,
  };
  if (d.kind === 'invoice') {
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
    products: d.lines.map((l, i) => ({
      model: l.model ?? null,
      name: l.name ?? null,
      quantity: l.quantity,
      price: l.price === undefined ? null : money(l.price),
      price_amount: l.price ?? null,
      discount: l.discount ?? null,
      row_total: money(t.rows[i]!),
      row_total_amount: t.rows[i]!,
      vat_rate: l.vat_rate === undefined ? null : normalizeRate(l.vat_rate),
    })),
    packages: [],
  });
  if (d.kind === 'invoice') body.orders = (h.order_nos ?? []).map((order_no) => ({ order_no }));
  body.pdf_link = null;
  return body;
}

function address(a: Address, withCustomerFields: boolean): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (withCustomerFields) {
    out.company = a.company ?? null;
    out.no = a.no ?? null;
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

/** Newest first; same day: higher document number first (numbers compare as numbers). */
export function newestFirst(a: StoredDoc, b: StoredDoc): number {
  if (a.header.date !== b.header.date) return a.header.date < b.header.date ? 1 : -1;
  return -compareIds(a.id, b.id);
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
