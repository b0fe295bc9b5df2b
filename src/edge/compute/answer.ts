/**
 * The compute path: answers every list call no static object answers (date ranges, offsets,
 * counts, pages past the end, customers the ERP never exported) from the per-customer index objects
 * the publisher writes (src/render/indexes.ts). The same code runs in `serve` and in the Lambda
 * function behind CloudFront (lambda.ts); only how an object is read differs.
 *
 * Unknown customer: a customer number without any published document gets an empty list (and an
 * empty backorder list), exactly like a known customer with nothing in the range; one document by
 * id stays a 404. Why: the ERP exports documents, not customers, so "never exported" and "has no
 * orders yet" are the same fact here, and a shop shows an empty history rather than an error. It
 * tells a caller nothing: credentials are checked before any of this runs, and only Vendre holds them.
 */
import { backordersKey, documentKey, indexKey, indexManifestKey, parseKey, type IndexedList, type ListKind } from '../../layout/keys.ts';
import type { IndexManifest, YearIndex } from '../../render/indexes.ts';
import { parseListParams, type ListParams } from './params.ts';
import type { QueryPair } from '../query.ts';
import type { ComputeKind } from '../route.ts';
import { answerStock } from './stock.ts';
import { answerPrices } from './prices.ts';

export type { ComputeAnswer, ReadJson } from './contract.ts';
import type { ComputeAnswer, ReadJson } from './contract.ts';

/** What the compute path does when nothing else is known about the configuration (no manifest). */
export interface ComputeSettings {
  /** The configured page size, for customers without a manifest. */
  pageSize: number;
  /** The configured currency: the prices answered when a call names none. */
  currency?: string;
  /** Today (YYYY-MM-DD), the date prices are resolved for when a call gives none (tests pin it); else today in `timeZone`. */
  today?: () => string;
  /** The shop's IANA time zone (config `timeZone`): whose midnight a dated price starts or ends at. UTC by default. */
  timeZone?: string;
}

/** The calendar date (YYYY-MM-DD) it is at `now` in `timeZone`: 2025-12-31T23:30Z is 2026-01-01 in Europe/Stockholm. */
export function todayIn(timeZone: string | undefined, now: Date): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: timeZone ?? 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Lifetime of a computed 200: as a list page's (config `publish.cacheControl.list` default). */
export const COMPUTED_CACHE_CONTROL = 'max-age=60';

const SCHEMA_VERSION = 1;
const LIST_TYPE: Record<ListKind, string> = { orders: 'order-list', invoices: 'invoice-list', 'credit-invoices': 'credit-list' };
const NOT_INDEXED: ComputeAnswer = { status: 503, body: { error: 'not_indexed', message: 'this customer has no index objects yet: run `vendre-pull rebuild` once' } };
const NOT_FOUND: ComputeAnswer = { status: 404, body: { error: 'not_found', message: 'no such document' } };

/** A list call (`/{prefix}/{list}?…`) that the viewer-request function (or serve) sent here. */
export async function answerList(list: ComputeKind, query: readonly QueryPair[], read: ReadJson, settings: ComputeSettings): Promise<ComputeAnswer> {
  if (list === 'stock') return answerStock(query, read);
  if (list === 'prices') return answerPrices(query, read, settings.today?.() ?? todayIn(settings.timeZone, new Date()), settings.currency);
  const p = parseListParams(query);
  if ('status' in p) return { status: p.status, body: { error: p.error, message: p.message } };
  return computeList(list, p, read, settings);
}

/**
 * A published key that does not exist (S3's 403/404, CloudFront's failover to this origin; serve's
 * missing object): a page past the end or of a year without documents is an empty page, an
 * unknown customer's list or backorders is empty, a credit invoice asked for under invoices/ is the
 * credit invoice. Anything else stays a 404.
 */
export async function answerMissing(key: string, read: ReadJson, settings: ComputeSettings): Promise<ComputeAnswer> {
  const k = parseKey(key);
  if (!k) return NOT_FOUND;
  if (k.type === 'list') {
    const p: ListParams = { customerNo: k.customerNo, page: k.page };
    if (k.year !== undefined) Object.assign(p, { from: `${pad4(k.year)}-01-01`, to: `${pad4(k.year)}-12-31` });
    return computeList(k.list, p, read, settings, k.year);
  }
  // Addresses are published for the customers a customers or delivery address export names: any
  // other customer has none yet, an empty list (as for lists: "never exported" is "none yet").
  if (k.type === 'addresses') return { status: 200, body: { schema_version: SCHEMA_VERSION, type: 'addresses', customer_no: k.customerNo, total: 0, items: [] } };
  if (k.type === 'backorders') {
    if ((await read(indexManifestKey(k.customerNo))) !== undefined) return NOT_FOUND;
    return { status: 200, body: { schema_version: SCHEMA_VERSION, type: 'backorders', customer_no: k.customerNo, total: 0, items: [] } };
  }
  // The invoice list holds credit invoices too (`type: credit`); their link there is /invoices/{id}.
  if (k.type === 'document' && k.list === 'invoices') {
    const credit = documentKey(k.customerNo, 'credit-invoices', k.id);
    if ((await read(credit)) !== undefined) return { key: credit };
  }
  return NOT_FOUND;
}

async function computeList(list: ListKind, p: ListParams, read: ReadJson, settings: ComputeSettings, year?: number): Promise<ComputeAnswer> {
  const manifest = (await read(indexManifestKey(p.customerNo))) as IndexManifest | undefined;
  // Published documents without an index (published before the compute path existed): an empty
  // list would be wrong, so say what to do. Every published customer has backorders.json.
  if (!manifest && (await read(backordersKey(p.customerNo))) !== undefined) return NOT_INDEXED;
  const perPage = p.count ?? manifest?.per_page ?? settings.pageSize;
  const offset = p.offset ?? ((p.page ?? 1) - 1) * perPage;
  const items: Array<Record<string, unknown>> = [];
  if (manifest) {
    const source: IndexedList = list === 'orders' ? 'orders' : 'invoices';
    // Years newest first; a year outside the range is never read, the others are read at once.
    const years = manifest[list].map(([y]) => y).filter((y) => !((p.to !== undefined && `${pad4(y)}-01-01` > p.to) || (p.from !== undefined && `${pad4(y)}-12-31` < p.from)));
    const indexes = await Promise.all(years.map((y) => read(indexKey(p.customerNo, source, y)) as Promise<YearIndex | undefined>));
    for (let n = 0; n < years.length; n++) {
      const index = indexes[n];
      if (!index) throw new Error(`index ${indexKey(p.customerNo, source, years[n]!)} is missing`);
      const typeAt = index.fields.indexOf('type');
      const dateAt = index.fields.indexOf('date');
      for (const row of index.rows) {
        const date = row[dateAt] as string;
        if ((p.from !== undefined && date < p.from) || (p.to !== undefined && date > p.to)) continue;
        if (list === 'credit-invoices' && row[typeAt] !== 'credit') continue;
        const item: Record<string, unknown> = {};
        // The credit invoice list's items are the invoice list's without `type`.
        for (let i = 0; i < index.fields.length; i++) if (!(list === 'credit-invoices' && i === typeAt)) item[index.fields[i]!] = row[i];
        items.push(item);
      }
    }
  }
  const total = items.length;
  const body: Record<string, unknown> = {
    schema_version: SCHEMA_VERSION,
    type: LIST_TYPE[list],
    customer_no: manifest?.customer_no ?? p.customerNo,
    ...(year === undefined ? {} : { year }),
    page: Math.floor(offset / perPage) + 1,
    per_page: perPage,
    offset,
    total,
    total_pages: Math.max(1, Math.ceil(total / perPage)),
    // Of the whole filtered set (newest first), not of this page: what the range holds.
    date_from: total ? items[total - 1]!.date : null,
    date_to: total ? items[0]!.date : null,
    items: items.slice(offset, offset + perPage),
  };
  return { status: 200, body };
}

function pad4(y: number): string {
  return String(y).padStart(4, '0');
}
