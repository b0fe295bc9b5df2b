import { DataError, ErrorCodes, type DataRule } from '../errors.ts';
import { HEADER_FIELDS, LINE_FIELDS, type CanonicalField, type FeedConfig } from '../config/types.ts';
import { docKindOf, feedCarriesHeaders, type Address, type DocHeader, type DocLine, type MappedRecord, type Package } from '../model.ts';
import type { RawRecord } from '../readers/types.ts';
import { parseDecimal } from './numbers.ts';
import { compileDateFormat } from './dates.ts';
import { resolveCountry } from './countries.ts';
import { ValueError } from './parse-error.ts';
import { forbiddenIdChar, visibleId } from './ids.ts';
import { compileWhen } from './rules.ts';
import { createEntityMapper, isEntityFeed } from './entities.ts';

export type { MapperContext } from './context.ts';
import type { MapperContext } from './context.ts';

/** Longest document id we accept: keys must stay well below S3's 1024-byte limit. */
const MAX_ID_LENGTH = 128;

type Fields = Record<string, string>;

/**
 * Builds the per-feed function that turns one raw record into a canonical record. Pure: it throws a
 * DataError naming file, line, source column, canonical field, value and rule for the first bad value.
 */
export function createMapper(feed: FeedConfig, ctx: MapperContext): (raw: RawRecord, file: string) => MappedRecord {
  if (isEntityFeed(feed)) return createEntityMapper(feed, ctx);
  const kind = docKindOf(feed.kind);
  const withHeader = feedCarriesHeaders(feed.kind);
  const withLines = LINE_FIELDS.some((f) => feed.map[f] !== undefined);
  const parseDate = compileDateFormat(feed.dateFormat);
  const customerNo = new RegExp(ctx.customerNoPattern, 'u');
  const defaultCurrency = feed.currency ?? ctx.currency;
  const deleteValues = feed.delete ? new Set(feed.delete.values.map((v) => v.trim().toLowerCase())) : undefined;
  const creditValues = feed.credit ? new Set(feed.credit.values.map((v) => v.trim().toLowerCase())) : undefined;
  const valueMaps = feed.values ?? {};
  const charges = (feed.charges ?? []).map((r) => ({ test: compileWhen(r.when), as: r.as }));
  const deletes = (feed.deletes ?? []).map((r) => ({ test: compileWhen(r.when), delete: r.delete }));
  /** Flat layout (header and line on one row): a row's order number is its line's too (collective invoices). */
  const orderNoOnLines = withHeader && feed.map['line.order_no'] === undefined && feed.map.order_no !== undefined && kind !== 'order';

  /**
   * Reads canonical fields of one source row (the record, or one of its lines); errors are reported
   * against its line. One instance per mapper, pointed at each row in turn: no closures per record.
   */
  class Reader {
    fields: Fields = {};
    line = 0;
    file = '';
    record = 0;

    use(fields: Fields, line: number, file: string, record: number): this {
      this.fields = fields;
      this.line = line;
      this.file = file;
      this.record = record;
      return this;
    }

    fail(field: CanonicalField, value: string, rule: DataRule, message: string, hint?: string): never {
      throw new DataError(ErrorCodes.FIELD, message, { file: this.file, line: this.line, record: this.record, field: `${feed.map[field]} → ${field}`, value, rule, hint });
    }

    text(field: CanonicalField): string | undefined {
      const source = feed.map[field];
      if (source === undefined) return undefined;
      return clean(field, this.fields[source]);
    }

    /**
     * A list-valued field: one value per occurrence of the repeated element its path goes through
     * (undefined where an occurrence lacks it), or the single value when nothing repeats.
     */
    list(field: CanonicalField, repeats: RawRecord['repeats']): Array<string | undefined> | undefined {
      const source = feed.map[field];
      if (source === undefined) return undefined;
      const group = repeats && groupOf(source, repeats);
      if (!group) return [this.text(field)];
      const rel = group === source ? '.' : source.slice(group.length + 1);
      return repeats[group]!.map((f) => clean(field, f[rel]));
    }

    required(field: CanonicalField): string {
      const value = this.text(field);
      if (value === undefined) this.fail(field, '', 'required', `is empty; a ${feed.kind} record needs \`${field}\``);
      return value;
    }

    convert<T>(field: CanonicalField, value: string | undefined, fn: (v: string) => T): T | undefined {
      if (value === undefined) return undefined;
      try {
        return fn(value);
      } catch (err) {
        if (err instanceof ValueError) this.fail(field, value, err.rule, err.message, err.hint);
        throw err;
      }
    }

    decimal(field: CanonicalField): string | undefined {
      const value = this.text(field);
      if (value === undefined) return undefined;
      try {
        return parseDecimal(value, feed.numberFormat);
      } catch (err) {
        if (err instanceof ValueError) this.fail(field, value, err.rule, err.message, err.hint);
        throw err;
      }
    }

    date(field: CanonicalField): string | undefined {
      return this.convert(field, this.text(field), parseDate);
    }

    address(prefix: 'customer' | 'delivery'): Address {
      const f = ADDRESS_FIELDS[prefix];
      const country = this.convert(f.country, this.text(f.country), (v) => resolveCountry(v, ctx.locale));
      return compact({
        company: this.text(f.company),
        reference: this.text(f.reference),
        address: this.text(f.address),
        address2: this.text(f.address2),
        zipcode: this.text(f.zipcode),
        ziparea: this.text(f.ziparea),
        country: country?.name,
        country_iso: country?.iso3,
      });
    }
  }

  function clean(field: CanonicalField, raw: string | undefined): string | undefined {
    if (raw === undefined) return undefined;
    // Line breaks inside quoted fields arrive as the ERP wrote them (often CRLF); publish them as \n.
    let value = raw.trim();
    if (value === '') return undefined;
    if (value.includes('\r')) value = value.replace(/\r\n?/g, '\n');
    return valueMaps[field]?.[value] ?? value;
  }

  const top = new Reader();
  const row = new Reader();
  const negateIf = (credit: boolean, v: string | undefined) => (credit && v !== undefined ? negate(v) : v);
  /** Source columns the header is read from: in a flat file they repeat on every line of a document. */
  const headerColumns = withHeader ? [...new Set([...HEADER_FIELDS.map((f) => feed.map[f]), feed.credit?.column].filter((c): c is string => c !== undefined))] : [];
  /** The header mapped last, and the raw values it came from: the next line of the same document reuses it. */
  let last: { id: string; kind: string; values: string[]; header: DocHeader } | undefined;

  return (raw, file) => {
    top.use(raw.fields, raw.line, file, raw.record);
    const id = top.required('id');
    if (id.length > MAX_ID_LENGTH) top.fail('id', id, 'id-length', `is longer than ${MAX_ID_LENGTH} characters`);
    const bad = forbiddenIdChar(id);
    // Published raw in the JSON and shown by the shop: an invisible or bidi character lets one id pass for another.
    if (bad) top.fail('id', visibleId(id), 'id-chars', `contains ${bad}`, 'ids may not carry control, bidirectional or invisible characters; fix the export');
    const source = { file, line: raw.line, record: raw.record };

    if (feed.kind === 'deletions') {
      const rule = deletes.find((r) => r.test(raw.fields));
      if (!rule) return top.fail('id', id, 'deletion-kind', 'matches none of the feed\'s `deletes` rules', `add a rule for this record's ${Object.keys(feed.deletes?.[0]?.when ?? {}).join(', ') || 'columns'} (\`delete: ignore\` for records that are not documents)`);
      if (rule.delete === 'ignore') return { kind, id, lines: [], deleted: false, ignored: true, source };
      return { kind: rule.delete, id, lines: [], deleted: true, source };
    }
    if (feed.kind === 'packages') {
      const order_no = top.required('order_no');
      const tracking = top.text('tracking_id');
      return { kind: 'package', id, lines: [], deleted: false, shipment: compact({ id, order_no, tracking_ids: splitTracking(tracking), carrier: top.text('carrier') }), source };
    }

    if (deleteValues && feed.delete) {
      const marker = raw.fields[feed.delete.column]?.trim().toLowerCase();
      if (marker !== undefined && deleteValues.has(marker)) return { kind: creditValues?.has(raw.fields[feed.credit!.column]?.trim().toLowerCase() ?? '') ? 'credit' : kind, id, lines: [], deleted: true, source };
    }

    const isCredit = kind === 'credit' || (creditValues !== undefined && feed.credit !== undefined && creditValues.has(raw.fields[feed.credit.column]?.trim().toLowerCase() ?? ''));
    const recKind = isCredit ? 'credit' : kind;
    // Credit memos written with positive amounts (Business Central) are turned into negative ones.
    const negative = isCredit && feed.creditSign === 'positive';

    let header: DocHeader | undefined;
    if (withHeader) {
      // Same document, same header values as the line before: the same header (and the same verdict on it).
      if (last && last.id === id && last.kind === recKind && headerColumns.every((c, i) => raw.fields[c] === last!.values[i])) {
        header = last.header;
      } else {
        header = mapHeader(id, negative, raw.repeats);
        last = { id, kind: recKind, values: headerColumns.map((c) => raw.fields[c]!), header };
      }
    }

    const lines: DocLine[] = [];
    if (withLines) {
      const sources = raw.lines ?? [{ line: raw.line, fields: raw.fields }];
      for (const l of sources) {
        const r = row.use(l.fields, l.line, file, raw.record);
        const line = compact<DocLine>({
          no: r.text('line.no'),
          model: r.text('line.model'),
          name: r.text('line.name'),
          quantity: negateIf(negative, r.decimal('line.quantity') ?? (r.required('line.quantity') as never))!,
          price: r.decimal('line.price'),
          discount: r.decimal('line.discount'),
          row_total: negateIf(negative, r.decimal('line.row_total')),
          vat_rate: r.decimal('line.vat_rate'),
          delivered: r.decimal('line.delivered'),
          remaining: r.decimal('line.remaining'),
          delivery_date: r.date('line.delivery_date'),
          order_no: r.text('line.order_no') ?? (orderNoOnLines && header?.order_nos?.length === 1 ? header.order_nos[0] : undefined),
          charge: charges.find((c) => c.test(l.fields))?.as,
        });
        if (line.price === undefined && line.row_total === undefined) {
          r.fail('line.price', '', 'line-amount', 'is empty and so is `line.row_total`; a line needs one of them');
        }
        lines.push(line);
      }
    }
    return { kind: recKind, id, header, lines, deleted: false, source };
  };

  function mapHeader(id: string, negative: boolean, repeats: RawRecord['repeats']): DocHeader {
    const customer_no = top.required('customer_no');
    const badChar = forbiddenIdChar(customer_no);
    if (badChar) top.fail('customer_no', visibleId(customer_no), 'id-chars', `contains ${badChar}`, 'customer numbers may not carry control, bidirectional or invisible characters; fix the export');
    if (!customerNo.test(customer_no)) {
      top.fail('customer_no', customer_no, 'customer-no', 'is not a valid customer number', `customer numbers must match ${ctx.customerNoPattern} (customerNoPattern)`);
    }
    const currency = top.text('currency')?.toUpperCase() ?? defaultCurrency;
    if (!/^[A-Z]{3}$/.test(currency)) top.fail('currency', currency, 'currency', 'is not an ISO 4217 code', 'use three letters such as SEK, EUR, NOK');
    const orderNos = [...new Set((top.list('order_no', repeats) ?? []).flatMap((v) => (v ? v.split(/[,;]/).map((s) => s.trim()).filter(Boolean) : [])))];
    const trackings = top.list('tracking_id', repeats) ?? [];
    const carriers = top.list('carrier', repeats) ?? [];
    let tracking_ids: string[] | undefined;
    let packages: Package[] | undefined;
    if (trackings.length > 1) {
      // Repeated package elements: each package keeps the carrier of its own element.
      const same = carriers.length === trackings.length;
      packages = trackings.flatMap((t, i) => splitTracking(t).map((tracking_id) => compact({ tracking_id, carrier: same ? carriers[i] : carriers[0] })));
      packages = packages.filter((p, i) => packages!.findIndex((q) => q.tracking_id === p.tracking_id) === i);
      if (packages.length === 0) packages = undefined;
    } else {
      const ids = splitTracking(trackings[0]);
      tracking_ids = ids.length ? ids : undefined;
    }
    return compact({
      id,
      customer_no,
      date: top.date('date') as string,
      due_date: top.date('due_date'),
      payment_status: top.text('payment_status'),
      reference: top.text('reference'),
      po_number: top.text('po_number'),
      comment: top.text('comment'),
      currency,
      total: negateIf(negative, top.decimal('total')),
      shipping_cost: negateIf(negative, top.decimal('shipping_cost')),
      customer: { ...top.address('customer'), no: customer_no },
      delivery: top.address('delivery'),
      order_nos: orderNos.length ? orderNos : undefined,
      tracking_ids,
      carrier: packages ? undefined : carriers.find((c) => c !== undefined),
      packages,
      status: top.text('status'),
      credited_invoice: top.text('credited_invoice'),
    });
  }
}

const ADDRESS_PARTS = ['company', 'reference', 'address', 'address2', 'zipcode', 'ziparea', 'country'] as const;
const ADDRESS_FIELDS = {
  customer: Object.fromEntries(ADDRESS_PARTS.map((p) => [p, `customer.${p}`])) as Record<(typeof ADDRESS_PARTS)[number], CanonicalField>,
  delivery: Object.fromEntries(ADDRESS_PARTS.map((p) => [p, `delivery.${p}`])) as Record<(typeof ADDRESS_PARTS)[number], CanonicalField>,
};

/** One or more tracking ids in one value, separated by , ; or white space. */
function splitTracking(value: string | undefined): string[] {
  return value ? [...new Set(value.split(/[,;\s]+/).filter(Boolean))] : [];
}

/** The longest repeated element path that `source` goes through (or is). */
function groupOf(source: string, repeats: NonNullable<RawRecord['repeats']>): string | undefined {
  let best: string | undefined;
  for (const g of Object.keys(repeats)) if ((source === g || source.startsWith(`${g}/`)) && (best === undefined || g.length > best.length)) best = g;
  return best;
}

function negate(v: string): string {
  return v.startsWith('-') ? v.slice(1) : v === '0' || /^0(\.0+)?$/.test(v) ? v : `-${v}`;
}

/**
 * Drops undefined keys so stored JSON (and so rendered output) does not depend on how a field was
 * absent. Copies instead of `delete`: a deleted key turns an object into a slow dictionary, and
 * these objects are stringified once per line. Key order is kept (stored digests depend on it).
 */
function compact<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const k in obj) if (obj[k] !== undefined) out[k] = obj[k];
  return out as T;
}
