import type { Address } from '../model.ts';
import type { EntityRow, StoredDoc } from '../store/db.ts';
import { add, compare } from '../mapping/money.ts';
import { addressesKey, pricesKey, pricingKey, stockKey } from '../layout/keys.ts';
import { SCHEMA_VERSION, type RenderedDocument } from './documents.ts';

/**
 * Pure: the extended calls' documents, from the entities of one owner (src/store/entities.ts).
 * Entities come in id order and every key is written in a fixed order, so the same records give
 * the same bytes.
 */

const ADDRESS_FIELDS = ['company', 'reference', 'address', 'address2', 'zipcode', 'ziparea', 'country', 'country_iso'] as const;

function addressItem(type: 'billing' | 'delivery', code: string | null, body: Record<string, string>, isDefault: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { type, code, default: isDefault };
  for (const f of ADDRESS_FIELDS) out[f] = body[f] ?? null;
  return out;
}

/**
 * `customers/{c}/addresses.json`: the billing address (from a customers feed) first, then every
 * delivery address in code order. Exactly one is the default delivery address: the customer's
 * `default_delivery` code when a delivery address has it, else the billing address, else (no
 * customer record) the first delivery address. Undefined when the customer has neither.
 */
export function renderAddresses(customerNo: string, customer: EntityRow | undefined, deliveries: readonly EntityRow[]): RenderedDocument | undefined {
  if (!customer && deliveries.length === 0) return undefined;
  const wanted = customer?.body.default_delivery;
  const byCode = wanted !== undefined && deliveries.some((d) => d.body.code === wanted);
  const items: Array<Record<string, unknown>> = [];
  if (customer) items.push(addressItem('billing', null, customer.body, !byCode));
  deliveries.forEach((d, i) => items.push(addressItem('delivery', d.body.code!, d.body, byCode ? d.body.code === wanted : !customer && i === 0)));
  const body = { schema_version: SCHEMA_VERSION, type: 'addresses', customer_no: customerNo, total: items.length, items };
  return { key: addressesKey(customerNo), type: 'addresses', body, source: (customer ?? deliveries[0]!).source };
}

/**
 * `stock/{article}.json`: one article's stock, summed over its warehouses (each listed in warehouse
 * order). The next incoming delivery is the earliest date of any warehouse, with the quantities
 * due that day added up. Undefined when the article has no stock rows.
 */
export function renderStock(article: string, rows: readonly EntityRow[]): RenderedDocument | undefined {
  if (rows.length === 0) return undefined;
  const sorted = [...rows].sort((a, b) => ((a.body.warehouse ?? '') < (b.body.warehouse ?? '') ? -1 : (a.body.warehouse ?? '') > (b.body.warehouse ?? '') ? 1 : 0));
  let onHand = '0';
  let available = '0';
  let nextDate: string | undefined;
  let nextQuantity: string | undefined;
  const warehouses = sorted.map((r) => {
    const b = r.body;
    onHand = add(onHand, b.on_hand!);
    available = add(available, b.available!);
    if (b.incoming_date !== undefined) {
      if (nextDate === undefined || b.incoming_date < nextDate) {
        nextDate = b.incoming_date;
        nextQuantity = b.incoming_quantity;
      } else if (b.incoming_date === nextDate && b.incoming_quantity !== undefined) {
        nextQuantity = nextQuantity === undefined ? b.incoming_quantity : add(nextQuantity, b.incoming_quantity);
      }
    }
    return { warehouse: b.warehouse ?? null, on_hand: b.on_hand!, available: b.available!, incoming_date: b.incoming_date ?? null, incoming_quantity: b.incoming_quantity ?? null };
  });
  const body = {
    schema_version: SCHEMA_VERSION,
    type: 'stock',
    article,
    on_hand: onHand,
    available,
    in_stock: compare(available, '0') > 0,
    incoming_date: nextDate ?? null,
    incoming_quantity: nextQuantity ?? null,
    warehouses,
  };
  return { key: stockKey(article), type: 'stock', body, source: sorted[0]!.source };
}

const CUSTOMER_FIELDS = ['company', 'reference', 'address', 'address2', 'zipcode', 'ziparea', 'country', 'country_iso'] as const;

/**
 * Documents whose own export carries no customer address (only the customer number) take the
 * billing address of the customer register: `customer{}` is then what the register says. A
 * document with any customer field of its own keeps exactly what its export says, so documents
 * of exports that carry the address keep their bytes. Pure.
 */
export function withCustomerRecord(docs: StoredDoc[], customer: EntityRow | undefined): StoredDoc[] {
  if (!customer) return docs;
  const filled: Address = {};
  for (const f of CUSTOMER_FIELDS) if (customer.body[f] !== undefined) filled[f] = customer.body[f];
  if (Object.keys(filled).length === 0) return docs;
  return docs.map((d) => {
    const own = d.header.customer ?? {};
    if (CUSTOMER_FIELDS.some((f) => own[f] !== undefined)) return d;
    return { ...d, header: { ...d.header, customer: { ...filled, no: own.no ?? d.customer_no } } };
  });
}

/**
 * `prices/{article}.json`: every price list's rows for one article (list prices, price groups',
 * customers' own), in a fixed order; the compute path resolves a customer's price from it
 * (src/edge/compute/prices.ts). Published price lists, not customers × articles. Undefined when the
 * article has no price rows.
 */
export function renderPrices(article: string, rows: readonly EntityRow[]): RenderedDocument | undefined {
  if (rows.length === 0) return undefined;
  const items = rows.map((r) => {
    const b = r.body;
    return { type: b.type, code: b.code ?? null, currency: b.currency, min_quantity: b.min_quantity, price: b.price, valid_from: b.valid_from ?? null, valid_to: b.valid_to ?? null };
  });
  const body = { schema_version: SCHEMA_VERSION, type: 'prices', article, rows: items };
  return { key: pricesKey(article), type: 'prices', body, source: rows[0]!.source };
}

/** `customers/{c}/pricing.json`: the customer's price group, for the compute path; undefined without one. */
export function renderPricing(customerNo: string, customer: EntityRow | undefined): RenderedDocument | undefined {
  const group = customer?.body.price_group;
  if (group === undefined) return undefined;
  return { key: pricingKey(customerNo), type: 'pricing', body: { schema_version: SCHEMA_VERSION, type: 'pricing', customer_no: customerNo, price_group: group }, source: customer!.source };
}
