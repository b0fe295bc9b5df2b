/**
 * Writes the bundled sample exports into samples/exports/ (overwriting):
 *
 * - ordrar_20251130.csv   flat order export of a Swedish ERP: Windows-1252, `;`, CRLF, header
 *                         columns repeated on every line, decimal comma, dates YYYYMMDD.
 * - fakturor_20251130.xml invoice export: UTF-8 XML, one <Faktura> per invoice with <Rader>/<Rad>.
 *
 * Deterministic: a seeded PRNG and fixed dates only (no Date.now, no Math.random), so running it
 * twice gives byte-identical files. Money is integer minor units (öre/cent) in bigint; amounts are
 * rounded half-up to 2 decimals.
 *
 *   node --import tsx test/tools/make-samples.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';

const OUT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../samples/exports');
const EXPORT_DATE = '2025-11-30';
/** Orders on or before this date are old enough to be invoiced (≈ 30 days before the export). */
const INVOICE_CUTOFF = '2025-10-31';
const FIRST_ORDER_NO = 100_001;
const FIRST_INVOICE_NO = 500_001;

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32)

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rnd = mulberry32(20251130);
const int = (min: number, max: number): number => min + Math.floor(rnd() * (max - min + 1));
const chance = (p: number): boolean => rnd() < p;
function pick<T>(items: readonly T[]): T {
  const item = items[Math.floor(rnd() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}
function weighted(weights: readonly number[]): number {
  const sum = weights.reduce((a, b) => a + b, 0);
  let r = rnd() * sum;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

// ---------------------------------------------------------------------------------------------
// Dates (UTC calendar arithmetic on fixed dates only)

const DAY_MS = 86_400_000;
const toDay = (iso: string): number => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
const fromDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const isWeekend = (day: number): boolean => {
  const dow = new Date(day * DAY_MS).getUTCDay();
  return dow === 0 || dow === 6;
};
/** A working day between the two dates, inclusive. */
function workday(fromIso: string, toIso: string): string {
  for (;;) {
    const d = int(toDay(fromIso), toDay(toIso));
    if (!isWeekend(d)) return fromDay(d);
  }
}
function addWorkdays(iso: string, n: number): string {
  let d = toDay(iso);
  for (let left = n; left > 0; ) {
    d++;
    if (!isWeekend(d)) left--;
  }
  return fromDay(d);
}
const addDays = (iso: string, n: number): string => fromDay(toDay(iso) + n);
const yyyymmdd = (iso: string): string => iso.replaceAll('-', '');

// ---------------------------------------------------------------------------------------------
// Money: bigint minor units

/** a / b rounded half-up, for a ≥ 0, b > 0. */
const roundDiv = (a: bigint, b: bigint): bigint => (2n * a + b) / (2n * b);

function formatMinor(minor: bigint, decimal: ',' | '.', group: boolean): string {
  const neg = minor < 0n;
  const abs = neg ? -minor : minor;
  let int = (abs / 100n).toString();
  const frac = (abs % 100n).toString().padStart(2, '0');
  if (group) int = int.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${neg ? '-' : ''}${int}${decimal}${frac}`;
}
/** Quantity in tenths: 12 → "12", 25 → "2,5" / "2.5". */
function formatQty(tenths: number, decimal: ',' | '.'): string {
  return tenths % 10 === 0 ? String(tenths / 10) : `${Math.floor(tenths / 10)}${decimal}${tenths % 10}`;
}

// ---------------------------------------------------------------------------------------------
// Master data

interface Addr {
  address: string;
  address2: string;
  zipcode: string;
  ziparea: string;
  country: string;
  reference?: string;
}

interface Customer {
  no: string;
  name: string;
  currency: 'SEK' | 'EUR' | 'NOK';
  invoice: Addr;
  deliveries: Addr[];
  /** How the XML invoice system writes the country. */
  xmlCountry: string;
  references: string[];
  /** Share of food/consumables (12 % VAT) in the customer's lines. */
  food: number;
  /** Contract discount in percent on non-food articles. */
  discount: number;
  orders: number;
  paymentDays: number;
  /** Shipping fee and free-shipping threshold, in the customer's currency. */
  shippingMinor: bigint;
  freeShippingFromMinor: bigint;
}

const money = (units: number, cents = 0): bigint => BigInt(units) * 100n + BigInt(cents);

const CUSTOMERS: Customer[] = [
  {
    no: '10001', name: 'Byggvaruhuset Norrland AB', currency: 'SEK',
    invoice: { address: 'Storgatan 45', address2: '', zipcode: '972 38', ziparea: 'Luleå', country: 'Sverige' },
    deliveries: [{ address: 'Storgatan 45', address2: 'Varuintag baksidan', zipcode: '972 38', ziparea: 'Luleå', country: 'Sverige', reference: 'Lagret' }],
    xmlCountry: 'SE', references: ['Maria Nyström', 'Per Öhman'], food: 0.05, discount: 5, orders: 8,
    paymentDays: 30, shippingMinor: money(295), freeShippingFromMinor: money(8000),
  },
  {
    no: '10002', name: 'Café Lindström AB', currency: 'SEK',
    invoice: { address: 'Stora Södergatan 8', address2: '', zipcode: '222 23', ziparea: 'Lund', country: 'SE' },
    deliveries: [{ address: 'Stora Södergatan 8', address2: '', zipcode: '222 23', ziparea: 'Lund', country: 'SE' }],
    xmlCountry: 'SE', references: ['Elin Lindström'], food: 0.75, discount: 0, orders: 7,
    paymentDays: 30, shippingMinor: money(149), freeShippingFromMinor: money(3000),
  },
  {
    no: '10003', name: 'Åkesson & Söner AB', currency: 'SEK',
    invoice: { address: 'Industrivägen 12', address2: 'Port 3', zipcode: '41705', ziparea: 'Göteborg', country: 'Sverige' },
    deliveries: [
      { address: 'Industrivägen 12', address2: 'Port 3', zipcode: '41705', ziparea: 'Göteborg', country: 'Sverige', reference: 'Göran Åström' },
      { address: 'Exportgatan 31', address2: 'Lager B', zipcode: '42246', ziparea: 'Hisings Backa', country: 'Sverige', reference: 'Godsmottagningen' },
    ],
    xmlCountry: 'SE', references: ['Göran Åström', 'Lena Åkesson', 'Johan Ek'], food: 0.15, discount: 10, orders: 68,
    paymentDays: 30, shippingMinor: money(149), freeShippingFromMinor: money(5000),
  },
  {
    no: '10004', name: 'Städbolaget Öst AB', currency: 'SEK',
    invoice: { address: 'Kungsgatan 3', address2: '2 tr', zipcode: '602 24', ziparea: 'Norrköping', country: 'SE' },
    deliveries: [{ address: 'Kungsgatan 3', address2: '2 tr', zipcode: '602 24', ziparea: 'Norrköping', country: 'SE' }],
    xmlCountry: 'SE', references: ['Sara Björk', 'Ali Hassan'], food: 0, discount: 5, orders: 9,
    paymentDays: 20, shippingMinor: money(149), freeShippingFromMinor: money(5000),
  },
  {
    no: '10005', name: 'Restaurang Älvkanten HB', currency: 'SEK',
    invoice: { address: 'Hamngatan 1', address2: '', zipcode: '652 24', ziparea: 'Karlstad', country: 'Sverige' },
    deliveries: [{ address: 'Hamngatan 1', address2: 'Köksingången', zipcode: '652 24', ziparea: 'Karlstad', country: 'Sverige' }],
    xmlCountry: 'SE', references: ['Kjell Dahl'], food: 0.6, discount: 0, orders: 6,
    paymentDays: 10, shippingMinor: money(149), freeShippingFromMinor: money(3000),
  },
  {
    no: '10006', name: 'Oy Puhdas Koti Ab', currency: 'EUR',
    invoice: { address: 'Mannerheimintie 12 B', address2: '', zipcode: '00100', ziparea: 'Helsinki', country: 'FI' },
    deliveries: [
      { address: 'Mannerheimintie 12 B', address2: '', zipcode: '00100', ziparea: 'Helsinki', country: 'FI' },
      { address: 'Tehtaankatu 4', address2: 'Varasto 2', zipcode: '20100', ziparea: 'Turku', country: 'FI', reference: 'Mikko Virtanen' },
    ],
    xmlCountry: 'FI', references: ['Aino Mäkelä', 'Mikko Virtanen'], food: 0.1, discount: 0, orders: 7,
    paymentDays: 14, shippingMinor: money(19), freeShippingFromMinor: money(500),
  },
  {
    no: '10007', name: 'Renhold Bergen AS', currency: 'NOK',
    invoice: { address: 'Strandkaien 2', address2: '', zipcode: '5013', ziparea: 'Bergen', country: 'Norge' },
    deliveries: [{ address: 'Strandkaien 2', address2: '', zipcode: '5013', ziparea: 'Bergen', country: 'Norge', reference: 'Ståle Øvrebø' }],
    xmlCountry: 'NO', references: ['Ingrid Haugen'], food: 0.05, discount: 0, orders: 8,
    paymentDays: 20, shippingMinor: money(249), freeShippingFromMinor: money(6000),
  },
  {
    no: '10008', name: 'Hotell Västerport AB', currency: 'SEK',
    invoice: { address: 'Kopparbergsvägen 10', address2: '', zipcode: '722 13', ziparea: 'Västerås', country: 'SE' },
    deliveries: [{ address: 'Kopparbergsvägen 10', address2: 'Leveransport 2', zipcode: '722 13', ziparea: 'Västerås', country: 'SE', reference: 'Housekeeping' }],
    xmlCountry: 'SE', references: ['Anna Lind', 'Mats Wallin'], food: 0.35, discount: 5, orders: 7,
    paymentDays: 30, shippingMinor: money(149), freeShippingFromMinor: money(5000),
  },
  {
    no: '10009', name: 'Malmö Fastighetsservice AB', currency: 'SEK',
    invoice: { address: 'Box 4021', address2: '', zipcode: '203 11', ziparea: 'Malmö', country: 'Sverige' },
    deliveries: [{ address: 'Stenåldersgatan 19', address2: '', zipcode: '213 76', ziparea: 'Malmö', country: 'Sverige' }],
    xmlCountry: 'SE', references: ['Nils Persson', 'Fatima Rahimi'], food: 0, discount: 10, orders: 8,
    paymentDays: 30, shippingMinor: money(149), freeShippingFromMinor: money(5000),
  },
  {
    no: '10010', name: 'Öresunds Marin AB', currency: 'SEK',
    invoice: { address: 'Hamntorget 5', address2: '', zipcode: '252 21', ziparea: 'Helsingborg', country: 'Sverige' },
    deliveries: [{ address: 'Havnegade 11', address2: '', zipcode: '3000', ziparea: 'Helsingør', country: 'DNK', reference: 'Søren Madsen' }],
    xmlCountry: 'SE', references: ['Erik Sjöberg'], food: 0.1, discount: 0, orders: 7,
    paymentDays: 30, shippingMinor: money(395), freeShippingFromMinor: money(10000),
  },
  {
    no: '10011', name: 'Uppsala kommun – Förskoleförvaltningen', currency: 'SEK',
    invoice: { address: 'Box 1023', address2: 'FE 455, ref 4455-Solrosen', zipcode: '751 40', ziparea: 'Uppsala', country: 'SE' },
    deliveries: [{ address: 'Rosendalsvägen 22', address2: 'Förskolan Solrosen', zipcode: '752 37', ziparea: 'Uppsala', country: 'SE', reference: 'Karin Holm' }],
    xmlCountry: 'SE', references: ['4455-Solrosen'], food: 0.4, discount: 15, orders: 6,
    paymentDays: 30, shippingMinor: money(0), freeShippingFromMinor: money(0),
  },
  {
    no: '10012', name: 'Éclair Konditori AB', currency: 'SEK',
    invoice: { address: 'Drottninggatan 71', address2: '', zipcode: '111 36', ziparea: 'Stockholm', country: 'SE' },
    deliveries: [{ address: 'Drottninggatan 71', address2: 'Bageriet, gården', zipcode: '111 36', ziparea: 'Stockholm', country: 'SE' }],
    xmlCountry: 'SE', references: ['Hélène Dubois', 'Oskar Berg'], food: 0.8, discount: 0, orders: 9,
    paymentDays: 30, shippingMinor: money(149), freeShippingFromMinor: money(3000),
  },
];

interface Product {
  model: string;
  name: string;
  /** List price in öre, SEK (converted for EUR/NOK customers). */
  price: bigint;
  vat: 25 | 12;
  /** Sold by kg/m: quantities with one decimal. */
  decimalQty?: boolean;
  /** Expensive: order one or two. */
  machine?: boolean;
}

const PRODUCTS: Product[] = [
  { model: 'RM-5000', name: 'Rengöringsmedel 5 l', price: money(189), vat: 25 },
  { model: 'RM-1000', name: 'Allrent pH<9 & oparfymerad 1 l', price: money(49, 50), vat: 25 },
  { model: 'GS-0200', name: 'Golvskurmaskin kompakt', price: money(12950), vat: 25, machine: true },
  { model: 'DS-0120', name: 'Dammsugare ryggburen', price: money(4990), vat: 25, machine: true },
  { model: 'MP-4410', name: 'Moppgarn mikrofiber 40 cm', price: money(89), vat: 25 },
  { model: 'MP-4420', name: 'Mopphållare aluminium', price: money(249), vat: 25 },
  { model: 'HN-100M', name: 'Handske nitril M 100-p', price: money(119), vat: 25 },
  { model: 'HN-100L', name: 'Handske nitril L 100-p', price: money(119), vat: 25 },
  { model: 'TP-0800', name: 'Toalettpapper 64 rullar', price: money(429), vat: 25 },
  { model: 'TP-0810', name: 'Torkpapper 2-lag 24 rl', price: money(369), vat: 25 },
  { model: 'SL-3425', name: 'Slang 3/4" 25 m', price: money(459), vat: 25 },
  { model: 'DM-1010', name: 'Diskmedel maskin 10 l', price: money(612), vat: 25 },
  { model: 'SS-1255', name: 'Sopsäck 125 l 25-p', price: money(79), vat: 25 },
  { model: 'HT-0005', name: 'Handtvål parfymfri 5 l', price: money(239), vat: 25 },
  { model: 'AV-0077', name: 'Ättika 12 % avkalkning 1 l', price: money(34, 90), vat: 25 },
  { model: 'SP-0200', name: 'Skyddsplast 2 m bredd, löpmeter', price: money(12, 90), vat: 25, decimalQty: true },
  { model: '400120', name: 'Kaffe mellanrost 500 g', price: money(64, 90), vat: 12 },
  { model: '400130', name: 'Kaffebönor espresso 1 kg', price: money(189), vat: 12 },
  { model: '400210', name: 'Te Earl Grey 100 p', price: money(59), vat: 12 },
  { model: '400310', name: 'Sockerbitar 1 kg', price: money(32, 50), vat: 12 },
  { model: '400410', name: 'Mjölk laktosfri 1 l 12-p', price: money(198), vat: 12 },
  { model: '400520', name: 'Havrekakor 2 kg', price: money(149), vat: 12 },
  { model: '400610', name: 'Mineralvatten 33 cl 24-p', price: money(139), vat: 12 },
  { model: '400710', name: 'Ost lagrad, lösvikt', price: money(129), vat: 12, decimalQty: true },
  { model: '400810', name: 'Croissanter frysta 50 st', price: money(412), vat: 12 },
  { model: '400910', name: 'Äppelmust 1 l 6-p', price: money(115), vat: 12 },
  { model: '401010', name: 'Crème fraîche 34 % 2 l', price: money(96, 50), vat: 12 },
];
const NON_FOOD = PRODUCTS.filter((p) => p.vat === 25);
const FOOD = PRODUCTS.filter((p) => p.vat === 12);

/** The export shows prices in the customer's currency: a price list per currency. */
function priceIn(currency: Customer['currency'], sekMinor: bigint): bigint {
  if (currency === 'EUR') return roundDiv(sekMinor * 100n, 1140n); // ≈ 11.40 SEK/EUR, to the cent
  if (currency === 'NOK') return roundDiv(sekMinor * 102n, 100n * 50n) * 50n; // ≈ 1.02, to 50 øre
  return sekMinor;
}

// ---------------------------------------------------------------------------------------------
// Orders

interface Line {
  no: number;
  product: Product;
  /** Quantity in tenths. */
  qty: number;
  price: bigint;
  discount: number;
  amount: bigint;
}

interface Order {
  id: string;
  customer: Customer;
  date: string;
  status: 'Aktiv' | 'Levererad' | 'Makulerad';
  reference: string;
  po: string;
  comment: string;
  delivery: Addr;
  shipping: bigint;
  lines: Line[];
}

const COMMENTS = [
  'Leverans före kl 12',
  'Ring innan leverans',
  'Restnoterade artiklar skickas separat',
  'Lämnas i varumottagningen',
  'Enligt avtal 2024',
  'Kontakta Göran vid frågor',
];
const PO_PREFIX = ['PO-', 'Projekt ', 'IO ', ''];
const PROJECTS = ['Ekbacken', 'Solrosen', 'Hamnen', 'Kv. Åsen', 'Vårstädning', 'Höstrengöring'];

/** qty × price × (1 − discount/100), in minor units, rounded half-up. */
const rowAmount = (qtyTenths: number, price: bigint, discount: number): bigint =>
  roundDiv(BigInt(qtyTenths) * price * BigInt(100 - discount), 10n * 100n);

function makeLines(c: Customer, count: number): Line[] {
  const used = new Set<string>();
  const lines: Line[] = [];
  while (lines.length < count) {
    const product = chance(c.food) ? pick(FOOD) : pick(NON_FOOD);
    if (used.has(product.model)) continue;
    used.add(product.model);
    const qty = product.machine ? int(1, 2) * 10 : product.decimalQty ? int(5, 250) : pick([1, 2, 3, 4, 5, 6, 8, 10, 12, 20, 24, 48]) * 10;
    const price = priceIn(c.currency, product.price);
    let discount = product.vat === 25 ? c.discount : 0;
    if (product.machine && chance(0.5)) discount = 15;
    lines.push({ no: lines.length + 1, product, qty, price, discount, amount: rowAmount(qty, price, discount) });
  }
  return lines;
}

function makeOrder(c: Customer, date: string, lineCount: number): Omit<Order, 'id'> {
  const lines = makeLines(c, lineCount);
  const net = lines.reduce((s, l) => s + l.amount, 0n);
  const shipping = net >= c.freeShippingFromMinor ? 0n : c.shippingMinor;
  const po = chance(0.6) ? '' : (() => {
    const prefix = pick(PO_PREFIX);
    return prefix === 'Projekt ' ? `${prefix}${pick(PROJECTS)}` : `${prefix}${int(1000, 9999)}`;
  })();
  return {
    customer: c,
    date,
    status: date > INVOICE_CUTOFF ? 'Aktiv' : 'Levererad',
    reference: pick(c.references),
    po,
    comment: chance(0.12) ? pick(COMMENTS) : '',
    delivery: pick(c.deliveries),
    shipping,
    lines,
  };
}

const LINE_WEIGHTS = [30, 26, 17, 10, 7, 5, 3, 2]; // 1..8 lines

const drafts: Array<Omit<Order, 'id'>> = [];
for (const c of CUSTOMERS) {
  for (let i = 0; i < c.orders; i++) {
    // Business grows: more orders in 2025 than in 2024.
    const date = chance(0.4) ? workday('2024-01-02', '2024-12-30') : workday('2025-01-02', '2025-11-28');
    drafts.push(makeOrder(c, date, weighted(LINE_WEIGHTS) + 1));
  }
}
const byNo = (no: string): Customer => {
  const c = CUSTOMERS.find((x) => x.no === no);
  if (!c) throw new Error(`no customer ${no}`);
  return c;
};

// Special cases, fixed so the README can name them.
// 1. One order of 10003 whose comment holds a `;` and a CRLF (quoted, repeated on each of its lines).
const multiline = makeOrder(byNo('10003'), '2025-03-12', 3);
multiline.comment = 'Leverans till bakre lastkajen; ring Göran 30 min innan.\r\nPortkod 4512, mottagning vardagar 07–15';
drafts.push(multiline);
// 2. A EUR order whose comment mentions € (0x80 in Windows-1252).
const euro = makeOrder(byNo('10006'), '2025-05-20', 2);
euro.comment = 'Fraktfritt över 500 € enligt avtal';
drafts.push(euro);
// 3. The cancelled order: its own order number, every line marked Makulerad (the delete marker).
const cancelled = makeOrder(byNo('10008'), '2025-09-16', 2);
cancelled.status = 'Makulerad';
cancelled.comment = 'Dubbelregistrerad – makulerad';
drafts.push(cancelled);

// 4. Late-October orders, invoiced in November and not yet due on the export date (Obetald).
drafts.push(makeOrder(byNo('10003'), '2025-10-30', 4), makeOrder(byNo('10012'), '2025-10-31', 2));

drafts.sort((a, b) => a.date.localeCompare(b.date) || a.customer.no.localeCompare(b.customer.no));
const orders: Order[] = drafts.map((d, i) => ({ ...d, id: String(FIRST_ORDER_NO + i) }));

// ---------------------------------------------------------------------------------------------
// CSV (Windows-1252)

const CSV_COLUMNS = [
  'Ordernr', 'Kundnr', 'Kundnamn', 'Orderdatum', 'Status', 'Er referens', 'Godsmärke', 'Kommentar', 'Valuta', 'Frakt',
  'Fakt.adress', 'Fakt.adress2', 'Fakt.postnr', 'Fakt.ort', 'Fakt.land',
  'Lev.referens', 'Lev.adress', 'Lev.adress2', 'Lev.postnr', 'Lev.ort', 'Lev.land',
  'Radnr', 'Artikelnr', 'Benämning', 'Antal', 'À-pris', 'Rabatt %', 'Radbelopp', 'Moms %',
] as const;

function csvField(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function csvText(): string {
  const rows: string[] = [CSV_COLUMNS.join(';')];
  for (const o of orders) {
    const c = o.customer;
    for (const l of o.lines) {
      const row: Record<(typeof CSV_COLUMNS)[number], string> = {
        'Ordernr': o.id,
        'Kundnr': c.no,
        'Kundnamn': c.name,
        'Orderdatum': yyyymmdd(o.date),
        'Status': o.status,
        'Er referens': o.reference,
        'Godsmärke': o.po,
        'Kommentar': o.comment,
        'Valuta': c.currency,
        'Frakt': formatMinor(o.shipping, ',', true),
        'Fakt.adress': c.invoice.address,
        'Fakt.adress2': c.invoice.address2,
        'Fakt.postnr': c.invoice.zipcode,
        'Fakt.ort': c.invoice.ziparea,
        'Fakt.land': c.invoice.country,
        'Lev.referens': o.delivery.reference ?? '',
        'Lev.adress': o.delivery.address,
        'Lev.adress2': o.delivery.address2,
        'Lev.postnr': o.delivery.zipcode,
        'Lev.ort': o.delivery.ziparea,
        'Lev.land': o.delivery.country,
        'Radnr': String(l.no),
        'Artikelnr': l.product.model,
        'Benämning': l.product.name,
        'Antal': formatQty(l.qty, ','),
        // The ERP prints unit prices plain and row amounts with thousands grouping.
        'À-pris': formatMinor(l.price, ',', false),
        'Rabatt %': String(l.discount),
        'Radbelopp': formatMinor(l.amount, ',', true),
        'Moms %': String(l.product.vat),
      };
      rows.push(CSV_COLUMNS.map((k) => csvField(row[k])).join(';'));
    }
  }
  return rows.join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------------------------------------
// Invoices (XML, UTF-8)

interface Invoice {
  id: string;
  order: Order;
  date: string;
  due: string;
  status: 'Betald' | 'Obetald' | 'Förfallen';
  total: bigint;
}

/** Lines + shipping, plus VAT rounded per rate; shipping is taxed at 25 %. */
function invoiceTotal(o: Order): bigint {
  const base = new Map<number, bigint>([[25, o.shipping]]);
  for (const l of o.lines) base.set(l.product.vat, (base.get(l.product.vat) ?? 0n) + l.amount);
  let total = 0n;
  for (const [rate, net] of base) total += net + roundDiv(net * BigInt(rate), 100n);
  return total;
}

const invoiceDrafts: Array<Omit<Invoice, 'id'>> = [];
let skipped = 0;
for (const o of orders) {
  if (o.status === 'Makulerad' || o.date > INVOICE_CUTOFF) continue;
  // Most, not all: a few delivered orders are still waiting for their invoice.
  if (o.date > '2025-06-01' && chance(0.1)) {
    skipped++;
    continue;
  }
  const date = addWorkdays(o.date, int(1, 8)); // invoiced on delivery
  const due = addDays(date, o.customer.paymentDays);
  const status = due >= EXPORT_DATE ? 'Obetald' : chance(0.93) ? 'Betald' : 'Förfallen';
  invoiceDrafts.push({ order: o, date, due, status, total: invoiceTotal(o) });
}
const statusCount = (st: Invoice['status']): number => invoiceDrafts.filter((i) => i.status === st).length;
if (skipped === 0 || statusCount('Obetald') < 3 || statusCount('Förfallen') < 1) {
  throw new Error(`this seed lacks an uninvoiced delivered order (${skipped}) or Obetald (${statusCount('Obetald')}) / Förfallen (${statusCount('Förfallen')}) invoices; change the seed`);
}
invoiceDrafts.sort((a, b) => a.date.localeCompare(b.date) || a.order.id.localeCompare(b.order.id));
const invoices: Invoice[] = invoiceDrafts.map((d, i) => ({ ...d, id: String(FIRST_INVOICE_NO + i) }));

const xmlEscape = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
/** Names with markup characters go into CDATA, as this ERP does; others are escaped. */
const xmlText = (s: string): string => (/[&<]/.test(s) && !s.includes(']]>') ? `<![CDATA[${s}]]>` : xmlEscape(s));

function invoicesXml(): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', `<Fakturor exportdatum="${EXPORT_DATE}">`];
  for (const inv of invoices) {
    const o = inv.order;
    const c = o.customer;
    const el = (name: string, value: string, indent = '\t\t') => `${indent}<${name}>${xmlEscape(value)}</${name}>`;
    out.push(
      `\t<Faktura nr="${inv.id}">`,
      el('Kundnr', c.no),
      el('Fakturadatum', inv.date),
      el('Forfallodatum', inv.due),
      el('Status', inv.status),
      el('Ordernr', o.id),
      el('ErReferens', o.reference),
      el('Valuta', c.currency),
      el('Frakt', formatMinor(o.shipping, '.', false)),
      el('Summa', formatMinor(inv.total, '.', false)),
      '\t\t<Kund>',
      el('Namn', c.name, '\t\t\t'),
      el('Adress', c.invoice.address, '\t\t\t'),
      el('Postnr', c.invoice.zipcode.replaceAll(' ', ''), '\t\t\t'),
      el('Ort', c.invoice.ziparea, '\t\t\t'),
      el('Land', c.xmlCountry, '\t\t\t'),
      '\t\t</Kund>',
      '\t\t<Rader>',
    );
    for (const l of o.lines) {
      out.push(
        `\t\t\t<Rad nr="${l.no}">`,
        el('Artikelnr', l.product.model, '\t\t\t\t'),
        `\t\t\t\t<Benamning>${xmlText(l.product.name)}</Benamning>`,
        el('Antal', formatQty(l.qty, '.'), '\t\t\t\t'),
        el('Pris', formatMinor(l.price, '.', false), '\t\t\t\t'),
        el('Rabatt', String(l.discount), '\t\t\t\t'),
        el('Belopp', formatMinor(l.amount, '.', false), '\t\t\t\t'),
        el('Moms', String(l.product.vat), '\t\t\t\t'),
        '\t\t\t</Rad>',
      );
    }
    out.push('\t\t</Rader>', '\t</Faktura>');
  }
  out.push('</Fakturor>');
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Write

const csv = csvText();
const csvBytes = iconv.encode(csv, 'windows-1252');
if (iconv.decode(csvBytes, 'windows-1252') !== csv) throw new Error('CSV text has characters outside Windows-1252');
const xml = invoicesXml();

mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(path.join(OUT_DIR, 'ordrar_20251130.csv'), csvBytes);
writeFileSync(path.join(OUT_DIR, 'fakturor_20251130.xml'), xml, 'utf8');

const perCustomer = new Map<string, number>();
for (const o of orders) if (o.status !== 'Makulerad') perCustomer.set(o.customer.no, (perCustomer.get(o.customer.no) ?? 0) + 1);
console.log(
  JSON.stringify(
    {
      out: OUT_DIR,
      csvBytes: csvBytes.length,
      xmlBytes: Buffer.byteLength(xml),
      customers: CUSTOMERS.length,
      orders: orders.length,
      orderLines: orders.reduce((s, o) => s + o.lines.length, 0),
      publishedOrdersPerCustomer: Object.fromEntries(perCustomer),
      cancelledOrder: `${cancelled.customer.no}/${orders.find((o) => o.status === 'Makulerad')?.id}`,
      multilineCommentOrder: orders.find((o) => o.comment.includes('\r\n'))?.id,
      euroCommentOrder: orders.find((o) => o.comment.includes('€'))?.id,
      invoices: invoices.length,
      invoiceStatus: invoices.reduce<Record<string, number>>((m, i) => ({ ...m, [i.status]: (m[i.status] ?? 0) + 1 }), {}),
      uninvoicedDelivered: skipped,
      singleLineInvoices: invoices.filter((i) => i.order.lines.length === 1).length,
    },
    null,
    2,
  ),
);
