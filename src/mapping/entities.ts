import { DataError, ErrorCodes, type DataRule } from '../errors.ts';
import type { CanonicalField, FeedConfig } from '../config/types.ts';
import { entityKindOf, stockOwner, type Entity, type EntityKind, type MappedRecord } from '../model.ts';
import type { RawRecord } from '../readers/types.ts';
import { parseDecimal } from './numbers.ts';
import { compileDateFormat } from './dates.ts';
import { resolveCountry } from './countries.ts';
import { ValueError } from './parse-error.ts';
import { forbiddenIdChar, visibleId } from './ids.ts';
import type { MapperContext } from './map.ts';

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
    const fail = (field: CanonicalField, value: string, rule: DataRule, message: string, hint?: string): never => {
      throw new DataError(ErrorCodes.FIELD, message, { file, line: raw.line, record: raw.record, field: `${feed.map[field]} → ${field}`, value, rule, hint });
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
        if (err instanceof ValueError) fail(field, value, err.rule, err.message, err.hint);
        throw err;
      }
    };
    /** An id that becomes a key segment or is shown by the shop: present, short, no invisible characters. */
    const ident = (field: CanonicalField, what: string): string => {
      const value = text(field);
      if (value === undefined) return fail(field, '', 'required', `is empty; a ${feed.kind} record needs \`${field}\` (${what})`);
      if (value.length > MAX_ID_LENGTH) fail(field, value, 'id-length', `is longer than ${MAX_ID_LENGTH} characters`);
      const bad = forbiddenIdChar(value);
      if (bad) fail(field, visibleId(value), 'id-chars', `contains ${bad}`, 'ids may not carry control, bidirectional or invisible characters; fix the export');
      return value;
    };
    const customer = (field: CanonicalField): string => {
      const c = ident(field, 'the customer number');
      if (!customerNo.test(c)) fail(field, c, 'customer-no', 'is not a valid customer number', `customer numbers must match ${ctx.customerNoPattern} (customerNoPattern)`);
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
    } else {
      rawId = ident('id', 'the article number');
      const warehouse = text('warehouse');
      if (warehouse !== undefined && forbiddenIdChar(warehouse)) fail('warehouse', visibleId(warehouse), 'id-chars', `contains ${forbiddenIdChar(warehouse)}`);
      entity = { kind, id: JSON.stringify([rawId, warehouse ?? '']), owner: stockOwner(rawId) };
    }
    if (deleteValues && feed.delete) {
      const marker = raw.fields[feed.delete.column]?.trim().toLowerCase();
      if (marker !== undefined && deleteValues.has(marker)) return { kind: 'entity', id: rawId, lines: [], deleted: true, entity, source };
    }
    entity.body = bodyOf(kind, rawId);
    return { kind: 'entity', id: rawId, lines: [], deleted: false, entity, source };

    function bodyOf(k: EntityKind, id: string): Record<string, string> {
      if (k === 'customer') {
        const out: Record<string, string> = { no: id, ...address('customer') };
        const def = text('default_delivery');
        if (def !== undefined) out.default_delivery = def;
        return out;
      }
      if (k === 'delivery') return { code: id, ...address('delivery') };
      const out: Record<string, string> = {};
      const warehouse = text('warehouse');
      if (warehouse !== undefined) out.warehouse = warehouse;
      const onHand = decimal('stock.on_hand');
      if (onHand === undefined) fail('stock.on_hand', '', 'required', 'is empty; a stock record needs `stock.on_hand`');
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

/** True for the feed kinds this module maps. */
export function isEntityFeed(feed: FeedConfig): boolean {
  return entityKindOf(feed.kind) !== undefined;
}
