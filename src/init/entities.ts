/**
 * `init` for the register kinds (issue 17): customer registers, delivery addresses, stock and price
 * lists, as Business Central (Customer, Ship-to Address, Item/Item Ledger Entry sums, Sales Price
 * and Price List Line) and Swedish ERPs (kundregister, leveransadresser, lagersaldo, prislista)
 * export them. Which kind a file is comes from its name (or record element) and its columns; each
 * canonical field then takes the first column one of its names matches, most specific names first.
 */
import { baseSettings, modeWhy, type Proposal, type Sample, type SchemaSupport, type Setting } from './sample.ts';
import { cancelledValues, detectDateFormat, detectNumberFormat } from './values.ts';
import { ADDRESS, addressGroup, matches, normalizeName } from './vocabulary.ts';

export type EntityFeedKind = 'customers' | 'delivery_addresses' | 'stock' | 'prices';

/** A field and its names, in tiers: a later tier is tried only when no column matches an earlier one. */
interface FieldNames {
  field: string;
  tiers: string[][];
  /** An address part of this group: prefixed by the group (`Ship-to City`) or unprefixed (`City`). */
  address?: 'customer' | 'delivery';
}

const CUSTOMER_NO = ['Kundnr', 'Kundnummer', 'Kund-nr', 'KundId', 'Kund id', 'Customer No.', 'CustomerNo', 'Customer Number', 'Customer ID', 'CustomerId', 'CustNo', 'Cust No.', 'Debitornr', 'Debitor', 'Account No.', 'Sell-to Customer No.', 'Bill-to Customer No.'];
const GENERIC_NO = ['No.', 'No', 'Nr', 'Number', 'Nummer', 'Id', 'Code', 'Kod'];
const ITEM_NO = ['Artikelnr', 'Artnr', 'Art.nr', 'Artikelnummer', 'Artikelkod', 'Varunr', 'Varunummer', 'Item No.', 'ItemNo', 'Item Number', 'Item Code', 'Product No.', 'ProductNo', 'Product Number', 'Produktnr', 'SKU', 'Article No.', 'Article', 'Artikel'];
const CURRENCY = ['Valuta', 'Valutakod', 'Currency', 'Currency Code', 'CurrencyCode', 'Cur', 'Curr'];
const REFERENCE = ['Kontakt', 'Kontaktperson', 'Contact', 'Contact Person', 'Er referens', 'Er ref', 'Referens', 'Reference', 'Your Reference', 'Attention', 'Att', 'Att.'];

const address = (group: 'customer' | 'delivery', extra: Partial<Record<string, string[]>> = {}): FieldNames[] =>
  ADDRESS.map((e) => ({ field: `${group}.${e.field}`, tiers: [[...(extra[e.field] ?? []), ...e.names]], address: group }));

const VOCABULARY: Record<EntityFeedKind, FieldNames[]> = {
  customers: [
    { field: 'id', tiers: [CUSTOMER_NO, GENERIC_NO] },
    { field: 'default_delivery', tiers: [['Ship-to Code', 'Standardleveransadress', 'Standard leveransadress', 'Std leveransadress', 'Leveransadresskod', 'Leveransadress kod', 'Default Ship-to', 'Default Ship-to Code', 'Default Delivery Address', 'Default Delivery', 'Lev.adresskod']] },
    { field: 'price_group', tiers: [['Customer Price Group', 'Prisgrupp', 'Kundprisgrupp', 'Price Group', 'PriceGroup', 'Prislista', 'Price List', 'Price List Code']] },
    ...address('customer', { reference: REFERENCE }),
  ],
  delivery_addresses: [
    { field: 'id', tiers: [['Code', 'Ship-to Code', 'Leveransadresskod', 'Leveransadress kod', 'Lev.adresskod', 'Adresskod', 'Address Code', 'Delivery Code', 'Delivery Address Code', 'Leveransställe', 'Leveransplats', 'Kod'], ['Id', 'Nr', 'No.', 'Löpnr']] },
    { field: 'customer_no', tiers: [CUSTOMER_NO, ['Kund', 'Customer']] },
    ...address('delivery', { company: ['Mottagare', 'Mottagarnamn'], reference: ['Godsmottagare', 'Godsmottagning', ...REFERENCE] }),
  ],
  stock: [
    { field: 'id', tiers: [ITEM_NO, GENERIC_NO, ['Item', 'Model']] },
    { field: 'warehouse', tiers: [['Lager', 'Lagerställe', 'Lagerstalle', 'Lagerkod', 'Lagernr', 'Lagerställekod', 'Location Code', 'Location', 'LocationCode', 'Warehouse', 'Warehouse Code', 'Site', 'Depå']] },
    { field: 'stock.on_hand', tiers: [['Saldo', 'Lagersaldo', 'I lager', 'Fysiskt saldo', 'Antal i lager', 'Lagerantal', 'Inventory', 'Quantity on Hand', 'Qty. on Hand', 'QtyOnHand', 'On Hand', 'Stock', 'In Stock', 'Stock Quantity', 'Physical Inventory'], ['Quantity', 'Antal', 'Kvantitet', 'Remaining Quantity']] },
    { field: 'stock.available', tiers: [['Disponibelt', 'Disponibelt saldo', 'Disponibel', 'Tillgängligt', 'Tillgängligt saldo', 'Qty. Available', 'Available', 'Available Quantity', 'Quantity Available', 'Available Inventory', 'Qty Available']] },
    { field: 'stock.incoming_date', tiers: [['Nästa inleverans', 'Inleveransdatum', 'Beräknad inleverans', 'Nästa leverans', 'Expected Receipt Date', 'Next Receipt Date', 'Expected Date', 'Incoming Date', 'Next Delivery Date']] },
    { field: 'stock.incoming_quantity', tiers: [['Inleverans antal', 'Inleveransantal', 'Antal inleverans', 'Kvantitet på inköpsorder', 'Beställt antal', 'Beställt', 'Qty. on Purch. Order', 'Quantity on Purchase Order', 'Qty. on Purchase Order', 'On Purchase Order', 'On Order', 'Incoming', 'Incoming Quantity', 'Inkommande']] },
  ],
  prices: [
    { field: 'id', tiers: [ITEM_NO, ['No.', 'No', 'Nr', 'Item', 'Model']] },
    { field: 'price.type', tiers: [['Pristyp', 'Pris typ', 'Sales Type', 'Price Type', 'Source Type', 'Assign-to Type', 'Typ', 'Type']] },
    { field: 'price.code', tiers: [['Kod', 'Sales Code', 'Source No.', 'Assign-to No.', 'Price Code', 'Priskod', 'Code']] },
    { field: 'currency', tiers: [CURRENCY] },
    { field: 'price.min_quantity', tiers: [['Från antal', 'Fran antal', 'Min antal', 'Min. antal', 'Minsta antal', 'Antal från', 'Brytpunkt', 'Kvantitet från', 'Minimum Quantity', 'Minimum Qty', 'Min Qty', 'Min. Qty', 'From Quantity', 'Quantity From']] },
    { field: 'price.amount', tiers: [['Pris', 'À-pris', 'A-pris', 'Nettopris', 'Kundpris', 'Listpris', 'Försäljningspris', 'Pris exkl moms', 'Unit Price', 'Price', 'Net Price', 'Sales Price', 'List Price', 'UnitPrice'], ['Belopp', 'Amount']] },
    { field: 'price.valid_from', tiers: [['Giltig från', 'Giltig fr.o.m.', 'Gäller från', 'Från datum', 'Fr.o.m.', 'Startdatum', 'Starting Date', 'Start Date', 'Valid From', 'From Date', 'Effective Date']] },
    { field: 'price.valid_to', tiers: [['Giltig till', 'Giltig t.o.m.', 'Gäller till', 'Till datum', 'T.o.m.', 'Slutdatum', 'Ending Date', 'End Date', 'Valid To', 'To Date', 'Expiry Date', 'Utgångsdatum']] },
  ],
};

const REQUIRED: Record<EntityFeedKind, string[]> = {
  customers: ['id'],
  delivery_addresses: ['id', 'customer_no'],
  stock: ['id', 'stock.on_hand'],
  prices: ['id', 'price.amount'],
};

const DATE_FIELDS = new Set(['stock.incoming_date', 'price.valid_from', 'price.valid_to']);
const NUMBER_FIELDS = new Set(['stock.on_hand', 'stock.available', 'stock.incoming_quantity', 'price.amount', 'price.min_quantity']);

/** Price type values the mapper knows (lower case; src/mapping/entities.ts PRICE_TYPES), to warn about others. */
const PRICE_TYPE_VALUES = new Set(['customer', 'kund', 'group', 'customer price group', 'prisgrupp', 'kundgrupp', 'prislista', 'all', 'all customers', 'alla']);

/** A column's name as matched: an XML path by its last step. */
const leafOf = (name: string, xml: boolean) => (xml ? name.slice(name.lastIndexOf('/') + 1) : name);

function fieldMatches(column: string, f: FieldNames, names: readonly string[], xml: boolean): boolean {
  if (!f.address) return matches(leafOf(column, xml), names);
  // `Ship-to City` is a delivery address part, `Bill-to City` a customer one; `City` either.
  const g = addressGroup(column, xml);
  if (g) return g.group === f.address && matches(g.rest, names);
  return matches(leafOf(column, xml), names);
}

const compact = (s: string) => normalizeName(s).replace(/ /g, '');
/** Document file names: an order, invoice, shipment or deletions table is never a register. */
const DOCUMENT_NAME = /order|ordrar|faktur|invoice|kredit|credit|crmemo|salesheader|salesline|shipment|leverans(?!adress)|kolli|delet|borttag/;
const NAMES: Array<[EntityFeedKind, RegExp]> = [
  ['prices', /prislist|pricelist|salesprice|pricelistline|kundpris|priser$|^pris|price/],
  ['stock', /lagersaldo|saldo|itemstock|stock|inventory|lagerstatus|^lager|onhand/],
  ['delivery_addresses', /shipto|leveransadress|levadress|deliveryaddress|shippingaddress|leveransstallen/],
  ['customers', /customer|kundregister|kunder|kundlista|^kund|debitor|client/],
];

/**
 * The register kind of a file, or undefined for documents. The file name (or record element) says
 * it when its columns do not look like documents; without a telling name the columns must.
 */
export function entityKind(fileName: string, recordElement: string | undefined, fields: readonly string[], xml = false): { kind: EntityFeedKind; reason: string } | undefined {
  const has = (names: readonly string[]) => fields.some((c) => matches(leafOf(c, xml), names));
  const found = (kind: EntityFeedKind, field: string, tier?: number) => {
    const f = VOCABULARY[kind].find((x) => x.field === field)!;
    return fields.some((c) => (tier === undefined ? f.tiers : [f.tiers[tier]!]).some((names) => fieldMatches(c, f, names, xml)));
  };
  // A document has a date of its own and quantities or amounts; registers have neither.
  const documentDate = has(['Orderdatum', 'Order Date', 'Fakturadatum', 'Invoice Date', 'Posting Date', 'Document Date', 'Bokföringsdatum', 'Datum', 'Date', 'Due Date', 'Förfallodatum']);
  // Not `Line No.`: a price list line has one too.
  const lineLike = has(['Line Amount', 'Radbelopp', 'Amount Including VAT', 'Belopp inkl moms', 'Moms %', 'VAT %']);
  const addressParts = (group: 'customer' | 'delivery') => VOCABULARY[group === 'customer' ? 'customers' : 'delivery_addresses'].filter((f) => f.address && /address$|zipcode|ziparea/.test(f.field) && found(group === 'customer' ? 'customers' : 'delivery_addresses', f.field)).length;
  const fits: Record<EntityFeedKind, () => boolean> = {
    customers: () => !documentDate && !lineLike && found('customers', 'id'),
    delivery_addresses: () => !documentDate && !lineLike && found('delivery_addresses', 'customer_no') && found('delivery_addresses', 'id'),
    stock: () => !lineLike && found('stock', 'id') && found('stock', 'stock.on_hand'),
    prices: () => !documentDate && !lineLike && found('prices', 'id') && found('prices', 'price.amount'),
  };
  for (const [label, raw] of [['file name', fileName.replace(/\.[^.]+$/, '')], ['record element', recordElement ?? '']] as const) {
    const name = compact(raw);
    if (!name || DOCUMENT_NAME.test(name)) continue;
    const hit = NAMES.find(([, re]) => re.test(name));
    if (hit && fits[hit[0]]()) return { kind: hit[0], reason: `the ${label} "${raw}" says ${hit[0].replace('_', ' ')}` };
  }
  if (DOCUMENT_NAME.test(compact(fileName.replace(/\.[^.]+$/, '')))) return undefined;
  // No telling name: the columns alone, strongest evidence first.
  if (fits.prices() && (found('prices', 'price.type') || found('prices', 'price.min_quantity') || found('prices', 'price.valid_from'))) {
    return { kind: 'prices', reason: 'an article number, a price and a price type, quantity break or validity: a price list' };
  }
  if (fits.stock() && found('stock', 'stock.on_hand', 0) && !found('delivery_addresses', 'customer_no')) return { kind: 'stock', reason: 'an article number and a stock balance: stock' };
  if (fits.delivery_addresses() && found('delivery_addresses', 'id', 0) && addressParts('delivery') >= 2) return { kind: 'delivery_addresses', reason: 'a customer number, an address code and address columns, no dates or amounts: delivery addresses' };
  if (fits.customers() && found('customers', 'id', 0) && found('customers', 'customer.company') && addressParts('customer') >= 2 && !has(['Antal', 'Quantity', 'Qty'])) {
    return { kind: 'customers', reason: 'a customer number, a name and address columns, no dates or amounts: a customer register' };
  }
  return undefined;
}

const WHAT: Record<EntityFeedKind, string> = {
  customers: 'one customer per record: its billing address, default delivery address and price group',
  delivery_addresses: "one delivery address per record, keyed by the customer's number and the address code",
  stock: 'one article in one warehouse per record',
  prices: 'one price row per record: whom it is for (all, a price group, a customer), currency, quantity break and validity',
};

/** A feed for a register file: the fields by the kind's vocabulary, the formats from the values. */
export function proposeEntities(sample: Sample, support: SchemaSupport, kind: EntityFeedKind, why: string): Proposal {
  const notes: string[] = [];
  const xml = sample.format === 'xml';
  const supported = new Set(support.mapFields);
  const values = (column: string) => sample.records.map((r) => (r.fields[column] ?? '').trim()).filter(Boolean);
  const map: Array<[string, Setting<string>]> = [];
  const used = new Set<string>();
  for (const f of VOCABULARY[kind]) {
    if (!supported.has(f.field)) continue;
    for (const [tier, names] of f.tiers.entries()) {
      const hits = sample.fields.filter((c) => !used.has(c) && fieldMatches(c, f, names, xml));
      // The record's own fields before a child element's (`@nr` before `Leveransadress/@kod`), and
      // a column with values before an empty one of the same tier.
      const ranked = [...hits.filter((c) => !xml || !c.includes('/')), ...hits.filter((c) => xml && c.includes('/'))];
      const column = ranked.find((c) => values(c).length > 0) ?? ranked[0];
      if (column === undefined) continue;
      used.add(column);
      map.push([f.field, { value: column, why: `"${leafOf(column, xml)}" is a common name for it${tier > 0 ? ' (no more specific column)' : ''}` }]);
      break;
    }
  }
  const mapped = new Map(map);
  const { settings, set } = baseSettings(sample, support, kind, `${why}; ${WHAT[kind]}`);
  const dateValues = map.filter(([f]) => DATE_FIELDS.has(f)).flatMap(([, s]) => values(s.value));
  const numberValues = map.filter(([f]) => NUMBER_FIELDS.has(f)).flatMap(([, s]) => values(s.value));
  if (dateValues.length) {
    const date = detectDateFormat(dateValues);
    set('dateFormat', date.value, date.reason);
  }
  if (kind === 'stock' || kind === 'prices') {
    const swedish = sample.fields.some((f) => /[åäö]|nr$|antal|saldo|pris|lager/i.test(f));
    const number = detectNumberFormat(numberValues, swedish ? 'comma' : 'dot');
    set('numberFormat', number.value, number.reason);
  }
  set('mode', 'delta', modeWhy(sample.fileName, 'upserts what a file carries; `full` if every export is the complete register (a full snapshot replaces this kind across all feeds of it)'));

  // A status column holding Makulerad/Deleted: such a row removes the customer, address, stock row or price.
  let marker: string | undefined;
  for (const column of sample.fields.filter((f) => !used.has(f))) {
    const cancelled = cancelledValues(sample.records.map((r) => r.fields[column] ?? ''));
    if (cancelled.length) {
      marker = column;
      set('delete', { column, values: cancelled }, `"${leafOf(column, xml)}" holds ${cancelled.map((v) => `"${v}"`).join(', ')}: such a row deletes its record`);
      break;
    }
  }
  if (kind === 'prices') {
    const type = mapped.get('price.type');
    if (type) {
      const unknown = [...new Set(values(type.value))].filter((v) => !PRICE_TYPE_VALUES.has(v.toLowerCase()));
      if (unknown.length) notes.push(`"${type.value}" holds ${unknown.map((v) => `"${v}"`).join(', ')}: not a price type the mapper knows (customer/kund, customer price group/prisgrupp, all customers/alla); fix the export or the values`);
    } else if (mapped.has('price.code')) notes.push('no column was recognised as `price.type`: a row with a `price.code` needs one (customer, group or all)');
  }
  const currency = mapped.get('currency');
  if (currency) {
    const empty = sample.records.filter((r) => !(r.fields[currency.value] ?? '').trim()).length;
    if (empty) notes.push(`"${currency.value}" is empty in ${empty} of ${sample.records.length} sampled records: those get the config's \`currency\` (or set \`currency:\` on this feed)`);
  } else if (kind === 'prices') notes.push("no currency column: prices get the config's `currency` (or set `currency:` on this feed)");
  if (kind === 'stock') {
    // One record per article and warehouse: ledger entries (one row per movement) must be summed by the export.
    const id = mapped.get('id')?.value;
    const wh = mapped.get('warehouse')?.value;
    const seen = new Set<string>();
    const repeated = id !== undefined && sample.records.some((r) => {
      const key = JSON.stringify([(r.fields[id] ?? '').trim(), wh === undefined ? '' : (r.fields[wh] ?? '').trim()]);
      return seen.has(key) || (seen.add(key), false);
    });
    if (repeated) notes.push(`the same article${wh ? ' and warehouse' : ''} appears on several rows: a stock feed wants one row per article${wh ? ' and warehouse' : ''} with its balance (export the sums, not ledger entries)`);
  }
  for (const required of REQUIRED[kind]) {
    if (!mapped.has(required)) notes.push(`no column was recognised as \`${required}\`: add it to the map by hand (the feed is not valid without it)`);
  }
  return { settings, map, unmapped: sample.fields.filter((f) => !used.has(f)).map((name) => ({ name, note: name === marker ? 'used as a marker above' : undefined })), notes, dateValues, numberValues };
}
