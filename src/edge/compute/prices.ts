/**
 * The price a customer pays, for one article or many (`/{prefix}/prices?customer_no=C&articles=A1,A2`,
 * `/{prefix}/prices/{article}?customer_no=C`), resolved from the published price lists (never
 * customers × articles): `prices/{article}.json` holds every list's rows for the article,
 * `customers/{c}/pricing.json` the customer's price group. The same code in `serve` and the Lambda.
 *
 *   customer_no  required, at most 200 characters (a customer without a price group or prices of
 *                its own pays list prices)
 *   articles     article numbers separated by `,`, 1 to MAX_ARTICLES (stock.ts's rules); or the
 *                article in the path
 *   quantity     the quantity bought, for quantity breaks: a number > 0, default 1
 *   date         YYYY-MM-DD the price is for, default today in the config's `timeZone`: a price valid from or to a date
 *                holds on that date without republishing anything
 *   currency     three letters: only prices in it; default the configured currency
 *
 * Resolution, per article: the rows valid on the date and in the currency; the customer's own
 * rows win over its price group's, which win over list prices (`type: all`); within them, the row
 * with the highest `min_quantity` not above `quantity` (then the latest `valid_from`, then the
 * lowest price). An article without such a row is `{article, found: false}`, never a 404.
 */
import { pricesKey, pricingKey } from '../../layout/keys.ts';
import { percentDecode, type QueryPair } from '../query.ts';
import { MAX_ID_LENGTH } from '../route.ts';
import { ARTICLE_PARAMS, strictDate } from './params.ts';
import type { ComputeAnswer, ReadJson } from './contract.ts';
import { parseArticles } from './stock.ts';

interface PriceRow {
  type: 'customer' | 'group' | 'all';
  code: string | null;
  currency: string;
  min_quantity: string;
  price: string;
  valid_from: string | null;
  valid_to: string | null;
}

const bad = (message: string): ComputeAnswer => ({ status: 400, body: { error: 'bad_request', message } });
const LEVELS = ['customer', 'group', 'all'] as const;

/** Exact comparison of two non-negative decimal strings (what the schemas allow for quantities). */
function cmp(a: string, b: string): number {
  const [ai, af = ''] = a.replace(/^-/, '').split('.');
  const [bi, bf = ''] = b.replace(/^-/, '').split('.');
  const sa = a.startsWith('-') ? -1 : 1;
  const sb = b.startsWith('-') ? -1 : 1;
  if (sa !== sb) return sa - sb;
  const ia = ai!.replace(/^0+(?=\d)/, '');
  const ib = bi!.replace(/^0+(?=\d)/, '');
  let c = ia.length !== ib.length ? ia.length - ib.length : ia < ib ? -1 : ia > ib ? 1 : 0;
  if (c === 0) {
    const n = Math.max(af.length, bf.length);
    const fa = af.padEnd(n, '0');
    const fb = bf.padEnd(n, '0');
    c = fa < fb ? -1 : fa > fb ? 1 : 0;
  }
  return sa * Math.sign(c);
}

/** The best row of one level: highest min_quantity within the quantity, then latest valid_from, then lowest price. */
function best(rows: PriceRow[], quantity: string): PriceRow | undefined {
  let out: PriceRow | undefined;
  for (const r of rows) {
    if (cmp(r.min_quantity, quantity) > 0) continue;
    if (!out) {
      out = r;
      continue;
    }
    const q = cmp(r.min_quantity, out.min_quantity);
    const f = (r.valid_from ?? '') < (out.valid_from ?? '') ? -1 : (r.valid_from ?? '') > (out.valid_from ?? '') ? 1 : 0;
    if (q > 0 || (q === 0 && (f > 0 || (f === 0 && cmp(r.price, out.price) < 0)))) out = r;
  }
  return out;
}

export async function answerPrices(query: readonly QueryPair[], read: ReadJson, today: string, defaultCurrency?: string): Promise<ComputeAnswer> {
  const p = new Map<string, string>();
  for (const q of query) {
    const name = percentDecode(q.name, true);
    const value = percentDecode(q.value, true);
    if (name === undefined || value === undefined) return bad('malformed query string');
    if (name !== 'customer_no' && !(ARTICLE_PARAMS as readonly string[]).includes(name)) continue;
    if (p.has(name)) return bad(`\`${name}\` is given more than once`);
    p.set(name, value);
  }
  const customerNo = p.get('customer_no');
  if (!customerNo) return bad('`customer_no` is required');
  if (customerNo.length > MAX_ID_LENGTH) return bad('`customer_no` is too long');
  let articles: string[];
  const one = p.get('article');
  if (one !== undefined) {
    if (p.has('articles')) return bad('an article in the path and `articles`');
    if (one === '' || one.length > MAX_ID_LENGTH) return bad('the article is empty or too long');
    articles = [one];
  } else {
    const parsed = parseArticles(query);
    if (!Array.isArray(parsed)) return parsed;
    articles = parsed;
  }
  const rawQuantity = p.get('quantity') ?? '1';
  if (!/^(0|[1-9][0-9]{0,8})(\.[0-9]{1,6})?$/.test(rawQuantity) || /^0(\.0*)?$/.test(rawQuantity)) return bad('`quantity` is not a number above 0');
  const quantity = rawQuantity;
  const date = p.has('date') ? strictDate(p.get('date')!) : today;
  if (date === undefined || (p.has('date') && !/^\d{4}-\d{2}-\d{2}$/.test(p.get('date')!))) return bad('`date` is not a calendar date YYYY-MM-DD');
  const currency = p.get('currency')?.toUpperCase();
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) return bad('`currency` is not three letters');

  const [pricing, ...docs] = await Promise.all([read(pricingKey(customerNo)), ...articles.map((a) => read(pricesKey(a)))]);
  const group = (pricing as { price_group?: string } | undefined)?.price_group ?? null;
  let found = 0;
  const items = articles.map((article, i) => {
    const rows = ((docs[i] as { rows?: PriceRow[] } | undefined)?.rows ?? []).filter(
      (r) => (r.valid_from === null || r.valid_from <= date) && (r.valid_to === null || r.valid_to >= date) && (r.type === 'all' || (r.type === 'group' ? r.code === group : r.code === customerNo)),
    );
    // Without `currency`: the configured one, else that of the most specific row the customer has.
    const cur = currency ?? defaultCurrency ?? LEVELS.map((l) => rows.find((r) => r.type === l)?.currency).find((c) => c !== undefined);
    const inCurrency = rows.filter((r) => r.currency === cur);
    for (const level of LEVELS) {
      const atLevel = inCurrency.filter((r) => r.type === level);
      const row = best(atLevel, quantity);
      if (!row) continue;
      found++;
      const list = best(inCurrency.filter((r) => r.type === 'all'), quantity);
      // The level's quantity breaks as they hold on the date: the price from each quantity on.
      const breaks = [...new Set(atLevel.map((r) => r.min_quantity))].sort(cmp).map((q) => ({ min_quantity: q, price: best(atLevel, q)!.price }));
      return { article, found: true, price: row.price, currency: row.currency, source: level === 'all' ? 'list' : level, min_quantity: row.min_quantity, valid_to: row.valid_to, list_price: list?.price ?? null, breaks };
    }
    return { article, found: false };
  });
  return { status: 200, body: { schema_version: 1, type: 'customer-prices', customer_no: customerNo, price_group: group, date, quantity, currency: currency ?? defaultCurrency ?? null, total: articles.length, found, items } };
}
