import { DataError, ErrorCodes, type DataRule } from '../errors.ts';
import type { CanonicalField, FeedConfig } from '../config/types.ts';
import { entityKindOf, priceOwner, stockOwner, type Entity, type EntityKind, type MappedRecord } from '../model.ts';
import type { RawRecord } from '../readers/types.ts';
import { parseDecimal } from './numbers.ts';
import { compileDateFormat } from './dates.ts';
import { resolveCountry } from './countries.ts';
import { ValueError } from './parse-error.ts';
import { forbiddenIdChar, visibleId } from './ids.ts';
import type { MapperContext } from './context.ts';

/** Longest customer number, address code or article number: each becomes a key segment. */
const MAX_ID_LENGTH = 128;

const ADDRESS_PARTS = ['company', 'reference', 'address', 'address2', 'zipcode', 'ziparea'] as const;

/**
 * The mapper of a customers, delivery_addresses or stock feed: one record is one entity (a
 * customer's billing address, one delivery address, one article's stock in one warehouse). Pure,
 * and like the document mapper it throws a DataError naming file, line, column, field, value and rule.
 */
export function createEntityMapper(feed: FeedConfig, ctx: MapperContext): (raw: RawRecord, file: string) => MappedRecord {
  const kind = entityKindOf(feed.kind)!;
  const parseDate = compileDateFormat(feed.dateFormat);
  const customerNo = new RegExp(ctx.customerNoPattern, 'u');
  const deleteValues = feed.delete ? new Set(feed.delete.values.map((v) => v.trim().toLowerCase())) : undefined;
  const valueMaps = feed.values ?? {};

  return (raw, file) => {
    // A method, as the document mapper's: the catalogue test reads the rules of `.fail(` calls.
    const r = {
      fail(field: CanonicalField, value: string, rule: DataRule, message: string, hint?: string): never {
        throw new DataError(ErrorCodes.FIELD, message, { file, line: raw.line, record: raw.record, field: `${feed.map[field]} → ${field}`, value, rule, hint });
      },
    };
    const text = (field: CanonicalField): string | undefined => {
      const source = feed.map[field];
      if (source === undefined) return undefined;
      const raw0 = raw.fields[source];
      if (raw0 === undefined) return undefined;
      let value = raw0.trim();
      if (value === '') return undefined;
      if (value.includes('\r')) value = value.replace(/\r\n?/g, '\n');
      return valueMaps[field]?.[value] ?? value;
    };
    const convert = <T>(field: CanonicalField, fn: (v: string) => T): T | undefined => {
      const value = text(field);
      if (value === undefined) return undefined;
      try {
        return fn(value);
      } catch (err) {
        if (err instanceof ValueError) r.fail(field, value, err.rule, err.message, err.hint);
        throw err;
      }
    };
    /** An id that becomes a key segment or is shown by the shop: present, short, no invisible characters. */
    const ident = (field: CanonicalField, what: string): string => {
      const value = text(field);
      if (value === undefined) return r.fail(field, '', 'required', `is empty; a ${feed.kind} record needs \`${field}\` (${what})`);
      if (value.length > MAX_ID_LENGTH) r.fail(field, value, 'id-length', `is longer than ${MAX_ID_LENGTH} characters`);
      const bad = forbiddenIdChar(value);
      if (bad) r.fail(field, visibleId(value), 'id-chars', `contains ${bad}`, 'ids may not carry control, bidirectional or invisible characters; fix the export');
      return value;
    };
    const customer = (field: CanonicalField): string => {
      const c = ident(field, 'the customer number');
      if (!customerNo.test(c)) r.fail(field, c, 'customer-no', 'is not a valid customer number', `customer numbers must match ${ctx.customerNoPattern} (customerNoPattern)`);
      return c;
    };
    const address = (prefix: 'customer' | 'delivery'): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const p of ADDRESS_PARTS) {
        const v = text(`${prefix}.${p}` as CanonicalField);
        if (v !== undefined) out[p] = v;
      }
      const country = convert(`${prefix}.country` as CanonicalField, (v) => resolveCountry(v, ctx.locale));
      if (country) {
        out.country = country.name;
        out.country_iso = country.iso3;
      }
      return out;
    };
    const decimal = (field: CanonicalField) => convert(field, (v) => parseDecimal(v, feed.numberFormat));

    const source = { file, line: raw.line, record: raw.record };
    let entity: Entity;
    let rawId: string;
    if (kind === 'customer') {
      rawId = customer('id');
      entity = { kind, id: rawId, owner: rawId };
    } else if (kind === 'delivery') {
      rawId = ident('id', 'the delivery address code');
      const owner = customer('customer_no');
      entity = { kind, id: JSON.stringify([owner, rawId]), owner };
    } else if (kind === 'price') {
      rawId = ident('id', 'the article number');
      const p = priceRow();
      entity = { kind, id: JSON.stringify([rawId, p.type, p.code ?? '', p.currency, p.min_quantity, p.valid_from ?? '']), owner: priceOwner(rawId), body: p };
    } else {
      rawId = ident('id', 'the article number');
      const warehouse = text('warehouse');
      if (warehouse !== undefined && forbiddenIdChar(warehouse)) r.fail('warehouse', visibleId(warehouse), 'id-chars', `contains ${forbiddenIdChar(warehouse)}`);
      entity = { kind, id: JSON.stringify([rawId, warehouse ?? '']), owner: stockOwner(rawId) };
    }
    if (deleteValues && feed.delete) {
      const marker = raw.fields[feed.delete.column]?.trim().toLowerCase();
      if (marker !== undefined && deleteValues.has(marker)) return { kind: 'entity', id: rawId, lines: [], deleted: true, entity, source };
    }
    entity.body ??= bodyOf(kind, rawId);
    return { kind: 'entity', id: rawId, lines: [], deleted: false, entity, source };

    /** A price list row: whom it is for, its currency, quantity break, price and validity. */
    function priceRow(): Record<string, string> & { type: string; currency: string; min_quantity: string } {
      const rawType = text('price.type');
      const code = text('price.code');
      const type = rawType === undefined ? (code === undefined ? 'all' : undefined) : PRICE_TYPES[rawType.toLowerCase()];
      if (type === undefined) return r.fail('price.type', rawType ?? '', 'price-type', rawType === undefined ? 'is not mapped, and `price.code` names someone: map `price.type`' : 'is not customer, group or all');
      const out: Record<string, string> & { type: string; currency: string; min_quantity: string } = { type, currency: '', min_quantity: '1' };
      if (type === 'customer') out.code = customer('price.code');
      else if (type === 'group') out.code = ident('price.code', 'the price group');
      const currency = text('currency')?.toUpperCase() ?? feed.currency ?? ctx.currency;
      if (!/^[A-Z]{3}$/.test(currency)) r.fail('currency', currency, 'currency', 'is not an ISO 4217 code', 'use three letters such as SEK, EUR, NOK');
      out.currency = currency;
      out.min_quantity = decimal('price.min_quantity') ?? '1';
      const amount = decimal('price.amount');
      if (amount === undefined) return r.fail('price.amount', '', 'required', 'is empty; a price record needs `price.amount`');
      out.price = amount;
      const from = convert('price.valid_from', parseDate);
      const to = convert('price.valid_to', parseDate);
      if (from !== undefined && to !== undefined && to < from) r.fail('price.valid_to', text('price.valid_to')!, 'price-dates', `is before \`price.valid_from\` (${from})`);
      if (from !== undefined) out.valid_from = from;
      if (to !== undefined) out.valid_to = to;
      return out;
    }

    function bodyOf(k: EntityKind, id: string): Record<string, string> {
      if (k === 'customer') {
        const out: Record<string, string> = { no: id, ...address('customer') };
        const def = text('default_delivery');
        if (def !== undefined) out.default_delivery = def;
        const group = text('price_group');
        if (group !== undefined) out.price_group = group;
        return out;
      }
      if (k === 'delivery') return { code: id, ...address('delivery') };
      const out: Record<string, string> = {};
      const warehouse = text('warehouse');
      if (warehouse !== undefined) out.warehouse = warehouse;
      const onHand = decimal('stock.on_hand');
      if (onHand === undefined) r.fail('stock.on_hand', '', 'required', 'is empty; a stock record needs `stock.on_hand`');
      out.on_hand = onHand!;
      out.available = decimal('stock.available') ?? onHand!;
      const date = convert('stock.incoming_date', parseDate);
      const quantity = decimal('stock.incoming_quantity');
      if (date !== undefined) out.incoming_date = date;
      if (quantity !== undefined) out.incoming_quantity = quantity;
      return out;
    }
  };
}

/** Raw `price.type` values (lower case) → the three kinds of price row; Business Central's Sales Type values included. */
const PRICE_TYPES: Record<string, 'customer' | 'group' | 'all'> = {
  customer: 'customer', kund: 'customer',
  group: 'group', 'customer price group': 'group', prisgrupp: 'group', kundgrupp: 'group', prislista: 'group',
  all: 'all', 'all customers': 'all', alla: 'all',
};

/** True for the feed kinds this module maps. */
export function isEntityFeed(feed: FeedConfig): boolean {
  return entityKindOf(feed.kind) !== undefined;
}
