/**
 * Writes the bundled sample exports into samples/exports/ (overwriting): three ERP dialects that
 * together produce every document kind (orders, invoices, credit invoices, backorders, packages with
 * tracking links, PDFs).
 *
 * Swedish ERP (Visma/Pyramid/Monitor style):
 * - ordrar_20251130.csv   flat order export: Windows-1252, `;`, CRLF, header columns repeated on every
 *                         line, decimal comma, dates YYYYMMDD; delivered quantity, expected date of
 *                         what remains, tracking ids and carrier.
 * - fakturor_20251130.xml invoice export: UTF-8 XML, one <Faktura> per invoice with <Rader>/<Rad>;
 *                         <Typ> Faktura or Kredit (credit invoices have negative amounts).
 * - faktura_{nr}.pdf, kreditfaktura_{nr}.pdf, order_{nr}.pdf: invoice/credit/order PDFs
 *                         (faktura_599999.pdf belongs to no invoice: it must wait, reported ownerless).
 *
 * Microsoft Dynamics 365 Business Central: SalesHeader/SalesLine (orders), SalesInvoiceHeader/Line
 * (posted invoices), SalesCrMemoHeader/Line (posted credit memos, POSITIVE amounts) as
 * `<Table>_20251130.csv`: UTF-8 with BOM, `,`, CRLF, BC field names, ISO dates, en-US numbers
 * (`1,234.5`: grouped, quoted, no trailing zeros); PDFs named as BC names e-mail attachments
 * (`Sales Invoice PS-INV103001.pdf`).
 *
 * Deterministic: seeded PRNGs and fixed dates only (no Date.now, no Math.random), so running it
 * twice gives byte-identical files. Money is integer minor units (öre/cent) in bigint; amounts are
 * rounded half-up (half away from zero for negative credit amounts) to 2 decimals.
 *
 * The first PRNG stream (`rnd`) draws exactly what it drew before the credit invoices, tracking and
 * Business Central were added: everything new draws from its own seeded stream (makeRng), so the
 * 155 orders and 141 invoices stay the same byte for byte in the columns and elements they had.
 *
 *   node --import tsx test/tools/make-samples.ts
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
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

/** An independent seeded stream, for everything added after the first samples (see the top). */
interface Rng {
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A working day between the two dates, inclusive. */
  workday(fromIso: string, toIso: string): string;
  /** A digit string of this length (leading zeros allowed). */
  digits(n: number): string;
}
function makeRng(seed: number): Rng {
  const next = mulberry32(seed);
  const r: Rng = {
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
    workday: (fromIso, toIso) => {
      for (;;) {
        const d = r.int(toDay(fromIso), toDay(toIso));
        if (!isWeekend(d)) return fromDay(d);
      }
    },
    digits: (n) => Array.from({ length: n }, () => String(r.int(0, 9))).join(''),
  };
  return r;
}

// ---------------------------------------------------------------------------------------------
// Money: bigint minor units

/** a / b rounded half-up, for a ≥ 0, b > 0. */
const roundDiv = (a: bigint, b: bigint): bigint => (2n * a + b) / (2n * b);
/** a / b rounded half away from zero (credit amounts are negative), b > 0. */
const roundDivSigned = (a: bigint, b: bigint): bigint => (a < 0n ? -roundDiv(-a, b) : roundDiv(a, b));

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
  /** Delivered so far, in tenths (set in "Deliveries"); less than qty on a backordered line. */
  delivered?: number;
  /** Expected delivery of what remains (backordered lines only). */
  expected?: string;
}

interface Order {
  id: string;
  customer: Customer;
  date: string;
  /** `Dellevererad`: partly delivered, waiting for a backordered article before it is invoiced. */
  status: 'Aktiv' | 'Levererad' | 'Dellevererad' | 'Makulerad';
  reference: string;
  po: string;
  comment: string;
  delivery: Addr;
  shipping: bigint;
  lines: Line[];
  /** Set in "Deliveries": the carrier as the ERP writes it and the tracking ids of what was shipped. */
  carrier?: string;
  tracking?: string[];
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
  // Added at the end when the ERP's export report was extended: delivery per line, then shipment.
  'Levererat', 'Beräknad leverans', 'Kolli-id', 'Speditör',
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
        'Levererat': formatQty(l.delivered ?? 0, ','),
        'Beräknad leverans': l.expected ? yyyymmdd(l.expected) : '',
        // Several packages: ids separated by ", " in the one field (header data, repeated per line).
        'Kolli-id': (o.tracking ?? []).join(', '),
        'Speditör': o.carrier ?? '',
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

// ---------------------------------------------------------------------------------------------
// Deliveries, backorders and tracking (the order CSV's columns Levererat, Beräknad leverans,
// Kolli-id, Speditör). A separate PRNG stream: the orders above stay as they were.

/**
 * Lines delivered in part or not at all (restnoterade), with the expected date of the rest. Named by
 * order and line so the README can name them; `model` guards against a changed seed or table.
 * 100110 and 100145 were delivered but never invoiced: they wait for a backordered article (this ERP
 * invoices complete deliveries), so their Status becomes Dellevererad.
 */
const BACKORDERS: ReadonlyArray<{ order: string; line: number; model: string; delivered: number; expected: string }> = [
  { order: '100110', line: 2, model: 'TP-0810', delivered: 0, expected: '2025-12-15' },
  { order: '100145', line: 2, model: '400520', delivered: 20, expected: '2025-12-03' },
  { order: '100147', line: 2, model: 'HN-100M', delivered: 60, expected: '2025-12-02' },
  { order: '100148', line: 1, model: 'TP-0800', delivered: 0, expected: '2025-12-04' },
  { order: '100149', line: 1, model: 'GS-0200', delivered: 0, expected: '2026-01-14' },
  { order: '100149', line: 2, model: 'DM-1010', delivered: 300, expected: '2025-12-05' },
  { order: '100151', line: 1, model: 'DS-0120', delivered: 0, expected: '2025-12-10' },
  { order: '100153', line: 3, model: 'SP-0200', delivered: 30, expected: '2025-12-03' },
  { order: '100155', line: 1, model: 'MP-4420', delivered: 0, expected: '2025-12-02' },
];
const PARTLY_DELIVERED = new Set(['100110', '100145']);

const orderById = (id: string): Order => {
  const o = orders.find((x) => x.id === id);
  if (!o) throw new Error(`no order ${id}`);
  return o;
};

for (const o of orders) for (const l of o.lines) l.delivered = o.status === 'Makulerad' ? 0 : l.qty;
for (const b of BACKORDERS) {
  const o = orderById(b.order);
  const l = o.lines.find((x) => x.no === b.line);
  if (!l || l.product.model !== b.model || b.delivered >= l.qty) throw new Error(`backorder ${b.order}/${b.line}: expected ${b.model} with more than ${b.delivered / 10} ordered; the seed or tables changed`);
  if (o.status !== 'Aktiv' && !PARTLY_DELIVERED.has(o.id)) throw new Error(`backorder on order ${o.id} with status ${o.status}`);
  l.delivered = b.delivered;
  l.expected = b.expected;
}
for (const id of PARTLY_DELIVERED) {
  const o = orderById(id);
  if (o.status !== 'Levererad' || invoices.some((i) => i.order === o)) throw new Error(`order ${id} should be delivered and not invoiced`);
  o.status = 'Dellevererad';
}

// Tracking ids, in the shapes the carriers print on their labels.

/** GS1 check digit (SSCC, GTIN): weights 3,1,3,... from the right. */
function gs1Check(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[digits.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return String((10 - (sum % 10)) % 10);
}
/** SSCC: extension digit, the shipper's GS1 company prefix, a serial, check digit: 18 digits. */
const sscc = (r: Rng, companyPrefix: string): string => {
  const body = `3${companyPrefix}${r.digits(16 - companyPrefix.length)}`;
  return body + gs1Check(body);
};
/** UPU S10 (letters, registered mail): 2 letters, 8 digits, check digit, country. */
function s10(r: Rng, service: string, country: string): string {
  const d = r.digits(8);
  const sum = [8, 6, 4, 2, 3, 5, 9, 7].reduce((s, w, i) => s + w * Number(d[i]), 0);
  const c = 11 - (sum % 11);
  return `${service}${d}${c === 10 ? 0 : c === 11 ? 5 : c}${country}`;
}
/** DHL Express waybill: 9 digits and their value mod 7. */
const dhlExpress = (r: Rng): string => {
  const d = String(r.int(100_000_000, 999_999_999));
  return d + String(Number(d) % 7);
};
/** UPS: 1Z, shipper account, service, package number, check digit (letters count (code − 63) mod 10). */
function ups(r: Rng, account: string, service: string): string {
  const body = `${account}${service}${r.digits(7)}`;
  let sum = 0;
  [...body].forEach((ch, i) => {
    const v = /\d/.test(ch) ? Number(ch) : (ch.charCodeAt(0) - 63) % 10;
    sum += i % 2 === 1 ? 2 * v : v;
  });
  return `1Z${body}${(10 - (sum % 10)) % 10}`;
}
/** FedEx Express: 11 digits and a check digit (weights 1,3,7 from the right, mod 11, mod 10). */
function fedex(r: Rng): string {
  const d = String(r.int(1, 9)) + r.digits(10);
  let sum = 0;
  for (let i = 0; i < d.length; i++) sum += Number(d[d.length - 1 - i]) * [1, 3, 7][i % 3]!;
  return d + String((sum % 11) % 10);
}
/** Bring shipment number: 17 digits starting 70438 (GS1 mod 10 check). */
const bringShipment = (r: Rng): string => {
  const body = `70438${r.digits(11)}`;
  return body + gs1Check(body);
};

/** The wholesaler's GS1 company prefix (Sweden: 73…), printed in every SSCC package label it makes. */
const SE_GS1_PREFIX = '7350047';

function trackingId(r: Rng, carrier: string, light: boolean): string {
  switch (carrier) {
    case 'PostNord': // SSCC with application identifier (00), or a registered letter for small parcels
      return light && r.chance(0.5) ? s10(r, 'RR', 'SE') : `00${sscc(r, SE_GS1_PREFIX)}`;
    case 'DHL Freight':
      return sscc(r, SE_GS1_PREFIX);
    case 'DHL Express':
      return dhlExpress(r);
    case 'DB Schenker': // consignment number (fraktsedel)
      return `18${r.digits(8)}`;
    case 'Bring':
      return bringShipment(r);
    case 'DSV': // DSV Road waybill
      return `40${r.digits(8)}`;
    case 'UPS':
      return ups(r, 'R4W583', '66');
    case 'FedEx':
      return fedex(r);
    default:
      throw new Error(`no id shape for carrier ${carrier}`);
  }
}

const SE_CARRIERS = ['PostNord', 'DHL Freight', 'DHL Express', 'DB Schenker', 'Bring', 'DSV', 'UPS', 'FedEx'] as const;
const trk = makeRng(20251130 + 1);
const trackingSeen = new Set<string>();
let finnishParcels = 0;
for (const o of orders) {
  const shipped = o.lines.some((l) => (l.delivered ?? 0) > 0);
  // The planned carrier: by destination, pallets (machines) by road freight, else mostly PostNord.
  const machines = o.lines.some((l) => l.product.machine);
  const country = o.delivery.country;
  let carrier: string;
  if (country === 'Norge' || country === 'NO') carrier = 'Bring';
  else if (o.customer.no === '10006') carrier = ['DHL Express', 'UPS', 'FedEx'][finnishParcels++ % 3]!;
  else if (country === 'DNK') carrier = trk.chance(0.5) ? 'DSV' : 'PostNord';
  else if (machines) carrier = trk.chance(0.5) ? 'DB Schenker' : 'DHL Freight';
  else {
    const x = trk.int(0, 99);
    carrier = x < 62 ? 'PostNord' : x < 87 ? 'DHL Freight' : x < 96 ? 'DSV' : 'DB Schenker';
  }
  // Like many ERPs, the carrier is filled in when the order is shipped.
  if (!shipped || o.status === 'Makulerad') continue;
  o.carrier = carrier;
  const packages = o.lines.length >= 7 || (machines && o.lines.length >= 5) ? 2 : 1;
  const light = o.lines.reduce((s, l) => s + l.qty, 0) <= 40;
  o.tracking = [];
  while (o.tracking.length < packages) {
    const id = trackingId(trk, carrier, light);
    // Unique, and never a run that looks like a 2025 date (test/e2e/cli.test.ts corrupts the first one).
    if (trackingSeen.has(id) || /20250\d{3}/.test(id)) continue;
    trackingSeen.add(id);
    o.tracking.push(id);
  }
}
{
  const used = new Set(orders.map((o) => o.carrier).filter(Boolean));
  const missing = SE_CARRIERS.filter((c) => !used.has(c));
  if (missing.length) throw new Error(`carriers never used: ${missing.join(', ')}; change the seed`);
}

// ---------------------------------------------------------------------------------------------
// Credit invoices (kreditfakturor) in the invoice XML: <Typ>Kredit</Typ>, their own number series
// from 590001, each crediting part of an earlier invoice of the same customer. Written as this ERP
// does: negative Antal, Belopp, Frakt and Summa; unit prices stay positive.

const FIRST_CREDIT_NO = 590_001;

interface CreditLine {
  source: Line;
  /** Credited quantity in tenths, positive (written negated). */
  qty: number;
  /** Negative. */
  amount: bigint;
}
interface CreditInvoice {
  id: string;
  invoice: Invoice;
  date: string;
  due: string;
  status: 'Betald' | 'Obetald';
  comment: string;
  lines: CreditLine[];
  /** Credited shipping, ≤ 0. */
  shipping: bigint;
  total: bigint;
}

/** Named by the credited invoice (fixed, so the README can name them), in date order. */
const CREDITS: ReadonlyArray<{ invoice: string; date: string; reason: string; lines: Array<[lineNo: number, model: string, qtyTenths: number]>; shipping?: boolean }> = [
  { invoice: '500058', date: '2025-02-04', reason: 'transportskada, 4 slangar', lines: [[1, 'SL-3425', 40]] },
  { invoice: '500066', date: '2025-03-05', reason: 'retur av en golvskurmaskin, levererad i för stort antal', lines: [[6, 'GS-0200', 10]] },
  { invoice: '500094', date: '2025-06-02', reason: 'skadat gods, 2,5 m skyddsplast', lines: [[2, 'SP-0200', 25]] },
  { invoice: '500116', date: '2025-08-20', reason: 'felleverans, frakten krediteras', lines: [[2, '401010', 60]], shipping: true },
  { invoice: '500129', date: '2025-10-24', reason: 'reklamation, läckande dunkar', lines: [[1, 'HN-100M', 20], [5, 'RM-1000', 40]] },
  { invoice: '500133', date: '2025-11-12', reason: 'kort bäst-före-datum', lines: [[2, '400910', 50]] },
];

/** Lines + shipping, plus VAT rounded per rate (half away from zero); shipping is taxed at 25 %. */
function creditTotal(lines: CreditLine[], shipping: bigint): bigint {
  const base = new Map<number, bigint>([[25, shipping]]);
  for (const l of lines) base.set(l.source.product.vat, (base.get(l.source.product.vat) ?? 0n) + l.amount);
  let total = 0n;
  for (const [rate, net] of base) total += net + roundDivSigned(net * BigInt(rate), 100n);
  return total;
}

const credits: CreditInvoice[] = CREDITS.map((spec, i) => {
  const invoice = invoices.find((x) => x.id === spec.invoice);
  if (!invoice) throw new Error(`credit of unknown invoice ${spec.invoice}`);
  if (isWeekend(toDay(spec.date)) || spec.date <= invoice.date || spec.date > '2025-11-28') throw new Error(`credit date ${spec.date} for invoice ${spec.invoice}`);
  const lines = spec.lines.map(([no, model, qty]): CreditLine => {
    const source = invoice.order.lines.find((l) => l.no === no);
    if (!source || source.product.model !== model || qty > source.qty) throw new Error(`credit of ${spec.invoice}/${no}: expected ${model} with at least ${qty / 10}; the seed or tables changed`);
    return { source, qty, amount: -rowAmount(qty, source.price, source.discount) };
  });
  const shipping = spec.shipping ? -invoice.order.shipping : 0n;
  if (spec.shipping && shipping === 0n) throw new Error(`invoice ${spec.invoice} has no shipping to credit`);
  const due = addDays(spec.date, invoice.order.customer.paymentDays);
  return {
    id: String(FIRST_CREDIT_NO + i),
    invoice,
    date: spec.date,
    due,
    status: due >= EXPORT_DATE ? 'Obetald' : 'Betald',
    comment: `Kreditering av faktura ${invoice.id}: ${spec.reason}`,
    lines,
    shipping,
    total: creditTotal(lines, shipping),
  };
});
{
  const big = credits.filter((c) => c.invoice.order.customer.currency === 'SEK' && c.total <= -100_000n);
  if (!credits.some((c) => c.invoice.order.customer.currency === 'EUR') || big.length === 0) throw new Error('credits lack one in EUR or one of 1 000 kr or more');
}

const xmlEscape = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
/** Names with markup characters go into CDATA, as this ERP does; others are escaped. */
const xmlText = (s: string): string => (/[&<]/.test(s) && !s.includes(']]>') ? `<![CDATA[${s}]]>` : xmlEscape(s));

function invoicesXml(): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', `<Fakturor exportdatum="${EXPORT_DATE}">`];
  const el = (name: string, value: string, indent = '\t\t') => `${indent}<${name}>${xmlEscape(value)}</${name}>`;
  // Invoices and credit invoices in one register, by date (then number), as the ERP lists them.
  const docs = [
    ...invoices.map((inv) => ({ kind: 'Faktura' as const, inv, id: inv.id, date: inv.date })),
    ...credits.map((cr) => ({ kind: 'Kredit' as const, cr, id: cr.id, date: cr.date })),
  ].sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
  for (const doc of docs) {
    const inv = doc.kind === 'Faktura' ? doc.inv : doc.cr.invoice;
    const o = inv.order;
    const c = o.customer;
    const head = doc.kind === 'Faktura'
      ? { date: inv.date, due: inv.due, status: inv.status, shipping: o.shipping, total: inv.total }
      : { date: doc.cr.date, due: doc.cr.due, status: doc.cr.status, shipping: doc.cr.shipping, total: doc.cr.total };
    out.push(
      `\t<Faktura nr="${doc.id}">`,
      el('Typ', doc.kind),
      el('Kundnr', c.no),
      el('Fakturadatum', head.date),
      el('Forfallodatum', head.due),
      el('Status', head.status),
      el('Ordernr', o.id),
      el('ErReferens', o.reference),
      el('Valuta', c.currency),
      el('Frakt', formatMinor(head.shipping, '.', false)),
      el('Summa', formatMinor(head.total, '.', false)),
      ...(doc.kind === 'Kredit' ? [el('Kommentar', doc.cr.comment)] : []),
      '\t\t<Kund>',
      el('Namn', c.name, '\t\t\t'),
      el('Adress', c.invoice.address, '\t\t\t'),
      el('Postnr', c.invoice.zipcode.replaceAll(' ', ''), '\t\t\t'),
      el('Ort', c.invoice.ziparea, '\t\t\t'),
      el('Land', c.xmlCountry, '\t\t\t'),
      '\t\t</Kund>',
      '\t\t<Rader>',
    );
    const rows = doc.kind === 'Faktura'
      ? o.lines.map((l) => ({ l, qty: l.qty, amount: l.amount }))
      : doc.cr.lines.map((cl) => ({ l: cl.source, qty: -cl.qty, amount: cl.amount }));
    rows.forEach(({ l, qty, amount }, i) => {
      out.push(
        `\t\t\t<Rad nr="${doc.kind === 'Faktura' ? l.no : i + 1}">`,
        el('Artikelnr', l.product.model, '\t\t\t\t'),
        `\t\t\t\t<Benamning>${xmlText(l.product.name)}</Benamning>`,
        el('Antal', (qty < 0 ? '-' : '') + formatQty(Math.abs(qty), '.'), '\t\t\t\t'),
        el('Pris', formatMinor(l.price, '.', false), '\t\t\t\t'),
        el('Rabatt', String(l.discount), '\t\t\t\t'),
        el('Belopp', formatMinor(amount, '.', false), '\t\t\t\t'),
        el('Moms', String(l.product.vat), '\t\t\t\t'),
        '\t\t\t</Rad>',
      );
    });
    out.push('\t\t</Rader>', '\t</Faktura>');
  }
  out.push('</Fakturor>');
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// PDFs: minimal hand-built PDF 1.4 files, one A4 page of text in Helvetica (WinAnsiEncoding, so
// å ä ö print), with a correct xref table. Deterministic: fixed dates, /ID from an MD5 of the body.

function pdfString(text: string): string {
  const bytes = iconv.encode(text, 'windows-1252');
  if (iconv.decode(bytes, 'windows-1252') !== text) throw new Error(`PDF text outside Windows-1252: ${text}`);
  let out = '(';
  for (const b of bytes) {
    if (b === 0x28 || b === 0x29 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b < 0x20 || b > 0x7e) out += `\\${b.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(b);
  }
  return `${out})`;
}

/** One page: a title and lines of text. Everything is ASCII in the file (non-ASCII as octal escapes). */
function pdfDocument(title: string, lines: readonly string[], date: string): Buffer {
  const ops = [`BT /F1 18 Tf 56 770 Td ${pdfString(title)} Tj /F1 11 Tf 16 TL`];
  ops.push('0 -12 Td');
  for (const l of lines) ops.push(`T* ${pdfString(l)} Tj`);
  ops.push('ET');
  const content = ops.join('\n') + '\n';
  const pdfDate = `D:${yyyymmdd(date)}120000Z`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    // The EOL before `endstream` is not part of the stream (PDF 7.3.8.1), so not counted in /Length.
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Title ${pdfString(title)} /Producer (vendre-pull make-samples.ts) /CreationDate (${pdfDate}) >>`,
  ];
  // The comment after the header has bytes > 127 so tools treat the file as binary (PDF 7.5.2).
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${obj}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  const id = createHash('md5').update(body, 'latin1').digest('hex');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R /ID [<${id}> <${id}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  const buf = Buffer.from(body, 'latin1');
  if (buf.length >= 2048) throw new Error(`PDF "${title}" is ${buf.length} bytes; keep samples under 2 KB`);
  return buf;
}

const svMoney = (minor: bigint, currency: string): string => `${formatMinor(minor, ',', true)} ${currency}`;

function invoicePdf(inv: Invoice): Buffer {
  const o = inv.order;
  const c = o.customer;
  return pdfDocument(`Faktura ${inv.id}`, [
    `Kund: ${c.no} ${c.name}`,
    `${c.invoice.address}, ${c.invoice.zipcode} ${c.invoice.ziparea}`,
    `Fakturadatum: ${inv.date}   Förfallodatum: ${inv.due}   Order: ${o.id}`,
    '',
    ...o.lines.map((l) => `${l.product.model}  ${l.product.name}  ${formatQty(l.qty, ',')} x ${formatMinor(l.price, ',', true)}  = ${formatMinor(l.amount, ',', true)}`),
    '',
    `Frakt: ${svMoney(o.shipping, c.currency)}`,
    `Att betala: ${svMoney(inv.total, c.currency)}`,
  ], inv.date);
}

function creditPdf(cr: CreditInvoice): Buffer {
  const c = cr.invoice.order.customer;
  return pdfDocument(`Kreditfaktura ${cr.id}`, [
    `Kund: ${c.no} ${c.name}`,
    `Datum: ${cr.date}   ${cr.comment}`,
    '',
    ...cr.lines.map((l) => `${l.source.product.model}  ${l.source.product.name}  -${formatQty(l.qty, ',')} x ${formatMinor(l.source.price, ',', true)}  = ${formatMinor(l.amount, ',', true)}`),
    '',
    `Att återfå: ${svMoney(cr.total, c.currency)}`,
  ], cr.date);
}

function orderPdf(o: Order): Buffer {
  const c = o.customer;
  return pdfDocument(`Orderbekräftelse ${o.id}`, [
    `Kund: ${c.no} ${c.name}`,
    `Orderdatum: ${o.date}   Er referens: ${o.reference}`,
    `Leveransadress: ${o.delivery.address}, ${o.delivery.zipcode} ${o.delivery.ziparea}`,
    '',
    ...o.lines.map((l) => `${l.product.model}  ${l.product.name}  ${formatQty(l.qty, ',')} x ${formatMinor(l.price, ',', true)}  = ${formatMinor(l.amount, ',', true)}`),
  ], o.date);
}

const invoiceById = (id: string): Invoice => {
  const inv = invoices.find((x) => x.id === id);
  if (!inv) throw new Error(`no invoice ${id}`);
  return inv;
};

/** File name → bytes. faktura_599999.pdf names an invoice that exists in no export (ownerless). */
const swedishPdfs = new Map<string, Buffer>([
  ['faktura_500001.pdf', invoicePdf(invoiceById('500001'))],
  ['faktura_500002.pdf', invoicePdf(invoiceById('500002'))],
  ['kreditfaktura_590001.pdf', creditPdf(credits[0]!)],
  ['order_100150.pdf', orderPdf(orderById('100150'))],
  [
    'faktura_599999.pdf',
    pdfDocument('Faktura 599999', ['Kund: 10003 Åkesson & Söner AB', 'Fakturadatum: 2025-11-28', '', 'Provutskrift: denna faktura finns inte i någon export.'], '2025-11-28'),
  ],
]);

// ---------------------------------------------------------------------------------------------
// Microsoft Dynamics 365 Business Central: a second company (a Swedish coffee and café supplier,
// local currency SEK) whose integration exports the sales tables as CSV, one file per table.
//
// - UTF-8 with BOM, `,` between fields, CRLF; a field is quoted when it holds `,`, `"` or a line break.
// - Field names as BC names them; header and line files joined on the document number
//   (`No.` ↔ `Document No.`), lines numbered 10000, 20000, ...
// - Dates YYYY-MM-DD; numbers as AL's Format() writes them in en-US: thousands grouped with `,`
//   (so quoted), decimals only as many as needed (`1,234.5`, `38,900`, `0`); booleans Yes/No.
// - Currency Code empty = local currency (SEK). Foreign customers are invoiced without VAT (export /
//   EU reverse charge): VAT % 0.
// - Line Type Item, G/L Account (freight, price reductions) or Resource (installation hours). Comment
//   lines (Type blank, no quantity) are left out by the export's filter `Type <> ' '`.
// - BC deletes a sales order once it is completely shipped and invoiced; the SalesHeader/SalesLine
//   export takes those from the order archive (Sales Header Archive), so the files hold 2 years of
//   orders with the same columns.
// - Credit memos carry POSITIVE quantities and amounts (feed option creditSign: positive).
// - Payment: `Closed` (invoices) and `Paid` (credit memos) Yes/No, `Remaining Amount` beside them
//   (negative on an open credit memo, as BC shows customer ledger entries).

const bc = makeRng(20251130 + 365);
const BC_CUTOFF = '2025-10-31';

type BcCurrency = '' | 'EUR' | 'NOK' | 'DKK';
interface BcShipTo {
  name: string;
  contact: string;
  address: string;
  address2: string;
  postCode: string;
  city: string;
  country: string;
}
interface BcCustomer {
  no: string;
  name: string;
  contact: string;
  address: string;
  address2: string;
  postCode: string;
  city: string;
  country: string;
  currency: BcCurrency;
  shipTo: BcShipTo[];
  references: string[];
  paymentTerms: { code: string; days: number };
  agent: string;
  food: number;
  discount: number;
  /** Historic orders (all shipped and invoiced); open orders are listed in BC_OPEN_ORDERS. */
  orders: number;
  freeFreightFrom: bigint;
}

const bcShipToSelf = (c: Omit<BcCustomer, 'shipTo'>): BcShipTo => ({
  name: c.name, contact: c.contact, address: c.address, address2: c.address2, postCode: c.postCode, city: c.city, country: c.country,
});
const bcCustomer = (c: Omit<BcCustomer, 'shipTo'>, extra: BcShipTo[] = []): BcCustomer => ({ ...c, shipTo: [bcShipToSelf(c), ...extra] });

const BC_CUSTOMERS: BcCustomer[] = [
  bcCustomer({
    no: 'C20001', name: 'Kafferosteriet Söder AB', contact: 'Linnea Ek', address: 'Götgatan 78', address2: '', postCode: '118 30', city: 'Stockholm', country: 'SE',
    currency: '', references: ['Linnea Ek', 'Jonas Falk'], paymentTerms: { code: '30 DAGAR', days: 30 }, agent: 'POSTNORD', food: 0.55, discount: 5, orders: 7, freeFreightFrom: money(3000),
  }),
  bcCustomer({
    no: 'C20002', name: 'Bageri & Konditori Solsidan AB', contact: 'Amir Haddad', address: 'Linnégatan 12', address2: '', postCode: '413 04', city: 'Göteborg', country: 'SE',
    currency: '', references: ['Amir Haddad'], paymentTerms: { code: '30 DAGAR', days: 30 }, agent: 'DHL', food: 0.6, discount: 0, orders: 5, freeFreightFrom: money(3000),
  }, [{ name: 'Solsidan Butik Majorna', contact: 'Butiken', address: 'Karl Johansgatan 40', address2: '', postCode: '414 59', city: 'Göteborg', country: 'SE' }]),
  bcCustomer({
    no: 'C20003', name: 'Hansen, Berg & Co AS', contact: 'Kari Hansen', address: 'Karl Johans gate 22', address2: '', postCode: '0159', city: 'Oslo', country: 'NO',
    currency: 'NOK', references: ['Kari Hansen', 'Ola Berg'], paymentTerms: { code: '20 DAGAR', days: 20 }, agent: 'BRING', food: 0.4, discount: 0, orders: 4, freeFreightFrom: money(6000),
  }),
  bcCustomer({
    no: 'C20004', name: 'Kaffebaren på Strøget ApS', contact: 'Mette Sørensen', address: 'Amagertorv 9', address2: '1. sal', postCode: '1160', city: 'København K', country: 'DK',
    currency: 'DKK', references: ['Mette Sørensen'], paymentTerms: { code: '14 DAGAR', days: 14 }, agent: 'DHL', food: 0.5, discount: 0, orders: 3, freeFreightFrom: money(4000),
  }),
  bcCustomer({
    no: 'C20005', name: 'Kahvila Aurora Oy', contact: 'Jussi Lehtonen', address: 'Hämeenkatu 15', address2: '', postCode: '33100', city: 'Tampere', country: 'FI',
    currency: 'EUR', references: ['Jussi Lehtonen', 'Aino Niemi'], paymentTerms: { code: '14 DAGAR', days: 14 }, agent: 'UPS', food: 0.45, discount: 0, orders: 4, freeFreightFrom: money(5000),
  }),
  bcCustomer({
    no: 'C20006', name: 'Hotell Fjällgården i Åre AB', contact: 'Sofia Berglund', address: 'Box 45', address2: '', postCode: '837 21', city: 'Åre', country: 'SE',
    currency: '', references: ['Sofia Berglund'], paymentTerms: { code: '30 DAGAR', days: 30 }, agent: 'SCHENKER', food: 0.35, discount: 10, orders: 4, freeFreightFrom: money(5000),
  }, [{ name: 'Fjällgården, köket', contact: 'Olle Frisk', address: 'Fjällvägen 2', address2: 'Varuintag', postCode: '837 52', city: 'Åre', country: 'SE' }]),
  bcCustomer({
    no: 'C20007', name: 'Restaurang Kvarnen i Malmö AB', contact: 'Per Lind', address: 'Kvarngatan 3', address2: '', postCode: '211 38', city: 'Malmö', country: 'SE',
    currency: '', references: ['Per Lind', 'Ebba Nord'], paymentTerms: { code: '10 DAGAR', days: 10 }, agent: 'POSTNORD', food: 0.5, discount: 0, orders: 4, freeFreightFrom: money(3000),
  }),
  bcCustomer({
    no: 'C20008', name: 'Café Saaristo Ab', contact: 'Emma Lindqvist', address: 'Linnankatu 8', address2: '', postCode: '20100', city: 'Turku', country: 'FI',
    currency: 'EUR', references: ['Emma Lindqvist'], paymentTerms: { code: '14 DAGAR', days: 14 }, agent: 'DHL', food: 0.5, discount: 0, orders: 3, freeFreightFrom: money(5000),
  }),
];
const bcCustomerByNo = (no: string): BcCustomer => {
  const c = BC_CUSTOMERS.find((x) => x.no === no);
  if (!c) throw new Error(`no BC customer ${no}`);
  return c;
};

type BcType = 'Item' | 'G/L Account' | 'Resource';
interface BcItem {
  no: string;
  description: string;
  uom: string;
  /** SEK list price in öre. */
  price: bigint;
  vat: 25 | 12;
  machine?: boolean;
  /** Sold by kg: quantities in half kilos. */
  byKg?: boolean;
}

const BC_ITEMS: BcItem[] = [
  { no: 'ESP-2G', description: 'Espressomaskin 2 grupper, Linea', uom: 'ST', price: money(38900), vat: 25, machine: true },
  { no: 'KVN-060', description: 'Kaffekvarn on demand 60 mm', uom: 'ST', price: money(9450), vat: 25, machine: true },
  { no: 'BRY-10L', description: 'Kaffebryggare 10 l med termos', uom: 'ST', price: money(6290), vat: 25, machine: true },
  { no: 'KOP-22', description: 'Kaffekopp 22 cl, vit, 12-p', uom: 'FRP', price: money(289), vat: 25 },
  { no: 'KOP-ESP', description: 'Espressokopp 7 cl, 12-p', uom: 'FRP', price: money(219), vat: 25 },
  { no: 'GLS-LAT', description: 'Latteglas 30 cl, 6-p', uom: 'FRP', price: money(179), vat: 25 },
  { no: 'FLT-90', description: 'Filterpapper 90/250, 1000 st', uom: 'FRP', price: money(159), vat: 25 },
  { no: 'MJK-060', description: 'Mjölkkanna 0,6 l rostfri', uom: 'ST', price: money(249), vat: 25 },
  { no: 'RNG-TAB', description: 'Rengöringstabletter espresso, 100 st', uom: 'FRP', price: money(329), vat: 25 },
  { no: 'AVK-1L', description: 'Avkalkningsmedel 1 l', uom: 'ST', price: money(119), vat: 25 },
  { no: 'PAP-12', description: 'Pappmugg 12 oz, 1000 st', uom: 'KRT', price: money(1190), vat: 25 },
  { no: 'LOK-12', description: 'Lock till pappmugg 12 oz, 1000 st', uom: 'KRT', price: money(690), vat: 25 },
  { no: 'BRS-10', description: 'Rengöringsborste 10" för grupphuvud', uom: 'ST', price: money(89), vat: 25 },
  { no: 'KB-ESP1', description: 'Kaffebönor Espresso Roma 1 kg', uom: 'ST', price: money(239), vat: 12 },
  { no: 'KB-BRY1', description: 'Bryggkaffe mellanrost 1 kg', uom: 'ST', price: money(189), vat: 12 },
  { no: 'KB-LOS', description: 'Kaffebönor Kenya AA, lösvikt', uom: 'KG', price: money(329, 50), vat: 12, byKg: true },
  { no: 'CHA-1L', description: 'Chaisirap 1 l', uom: 'ST', price: money(149), vat: 12 },
  { no: 'HAV-6', description: 'Havredryck barista 1 l, 6-p', uom: 'FRP', price: money(159), vat: 12 },
  { no: 'SOC-RV', description: 'Rörsocker portion, 1000 st', uom: 'KRT', price: money(329), vat: 12 },
  { no: 'KAK-CHO', description: 'Chokladbiskvi 60 st, fryst', uom: 'KRT', price: money(545), vat: 12 },
];
const bcItem = (no: string): BcItem => {
  const i = BC_ITEMS.find((x) => x.no === no);
  if (!i) throw new Error(`no BC item ${no}`);
  return i;
};
const BC_FOOD = BC_ITEMS.filter((i) => i.vat === 12);
const BC_NON_FOOD = BC_ITEMS.filter((i) => i.vat === 25);

/** Price list per currency, from SEK: EUR to the cent, NOK and DKK to 50 øre. */
function bcPrice(currency: BcCurrency, sek: bigint): bigint {
  if (currency === 'EUR') return roundDiv(sek * 100n, 1140n);
  if (currency === 'NOK') return roundDiv(sek * 102n, 100n * 50n) * 50n;
  if (currency === 'DKK') return roundDiv(sek * 68n, 100n * 50n) * 50n;
  return sek;
}
const BC_FREIGHT = { gl: '3520', description: 'Frakt', sek: money(195) };
const BC_INSTALL = { no: 'TEKNIKER', description: 'Installation och injustering, timme', uom: 'TIMME', sek: money(950) };
const bcVat = (c: BcCustomer, rate: 25 | 12): number => (c.country === 'SE' ? rate : 0);

interface BcLine {
  lineNo: number;
  type: BcType;
  no: string;
  description: string;
  uom: string;
  /** Tenths. */
  qty: number;
  price: bigint;
  discount: number;
  vat: number;
  /** Tenths shipped so far. */
  shipped: number;
  plannedDelivery: string;
}
interface BcOrder {
  no: string;
  customer: BcCustomer;
  orderDate: string;
  shipmentDate: string;
  postingDate: string;
  yourReference: string;
  externalDocNo: string;
  shipTo: BcShipTo;
  status: 'Open' | 'Released';
  tracking: string[];
  lines: BcLine[];
}

/** BC: Line Amount = round(Quantity × Unit Price) − round(that × Line Discount %). */
function bcLineAmount(qtyTenths: number, price: bigint, discount: number): bigint {
  const gross = roundDiv(BigInt(qtyTenths) * price, 10n);
  return gross - roundDiv(gross * BigInt(discount), 100n);
}

/** VAT per rate on the document total, spread over the lines so they add up (as BC posts it). */
function bcAmounts(lines: Array<{ amount: bigint; vat: number }>): { lineVat: bigint[]; amount: bigint; inclVat: bigint } {
  const cum = new Map<number, { base: bigint; vat: bigint }>();
  const lineVat = lines.map((l) => {
    const c = cum.get(l.vat) ?? { base: 0n, vat: 0n };
    const base = c.base + l.amount;
    const vat = roundDiv(base * BigInt(l.vat), 100n);
    cum.set(l.vat, { base, vat });
    return vat - c.vat;
  });
  const amount = lines.reduce((s, l) => s + l.amount, 0n);
  return { lineVat, amount, inclVat: amount + lineVat.reduce((s, v) => s + v, 0n) };
}

function bcPlannedDelivery(c: BcCustomer, shipment: string): string {
  return addWorkdays(shipment, c.country === 'SE' ? 1 : 3);
}

interface BcDraft {
  customer: BcCustomer;
  orderDate: string;
  items: Array<{ item: BcItem; qty: number; shipped?: number; planned?: string }>;
  install?: number;
  open?: { status: 'Open' | 'Released'; packages: number };
}

function bcItemQty(item: BcItem): number {
  if (item.machine) return 10;
  if (item.byKg) return bc.int(2, 25) * 5;
  return bc.pick([1, 2, 3, 4, 5, 6, 8, 10, 12, 20]) * 10;
}

const bcDrafts: BcDraft[] = [];
for (const c of BC_CUSTOMERS) {
  for (let i = 0; i < c.orders; i++) {
    const orderDate = bc.chance(0.45) ? bc.workday('2024-01-08', '2024-12-20') : bc.workday('2025-01-07', '2025-10-24');
    const count = bc.pick([1, 1, 2, 2, 2, 3, 3, 4, 5]);
    const used = new Set<string>();
    const items: BcDraft['items'] = [];
    while (items.length < count) {
      const item = bc.chance(c.food) ? bc.pick(BC_FOOD) : bc.pick(BC_NON_FOOD);
      if (used.has(item.no) || (item.machine && bc.chance(0.6))) continue;
      used.add(item.no);
      items.push({ item, qty: bcItemQty(item) });
    }
    const machine = items.some((x) => x.item.machine);
    bcDrafts.push({ customer: c, orderDate, items, install: machine && bc.chance(0.7) ? bc.int(1, 3) * 10 : undefined });
  }
}
// Open orders (not completely invoiced): the backorders of this dialect. Quantities in tenths.
const BC_OPEN_ORDERS: BcDraft[] = [
  // Shipped, not yet invoiced.
  { customer: bcCustomerByNo('C20001'), orderDate: '2025-11-04', items: [{ item: bcItem('KB-ESP1'), qty: 100 }, { item: bcItem('KOP-22'), qty: 40 }, { item: bcItem('RNG-TAB'), qty: 20 }], open: { status: 'Released', packages: 1 } },
  // The machine is backordered; the rest was shipped and invoiced (a partial invoice).
  {
    customer: bcCustomerByNo('C20006'), orderDate: '2025-11-06',
    items: [{ item: bcItem('ESP-2G'), qty: 10, shipped: 0, planned: '2025-12-10' }, { item: bcItem('KB-ESP1'), qty: 200 }, { item: bcItem('MJK-060'), qty: 60 }, { item: bcItem('KOP-ESP'), qty: 40 }],
    open: { status: 'Released', packages: 1 },
  },
  // Partly shipped, not invoiced.
  {
    customer: bcCustomerByNo('C20003'), orderDate: '2025-11-12',
    items: [{ item: bcItem('PAP-12'), qty: 100, shipped: 60, planned: '2025-12-04' }, { item: bcItem('LOK-12'), qty: 100 }, { item: bcItem('FLT-90'), qty: 50, shipped: 0, planned: '2025-12-04' }],
    open: { status: 'Released', packages: 1 },
  },
  // Partly shipped (a decimal quantity outstanding), two UPS packages.
  {
    customer: bcCustomerByNo('C20005'), orderDate: '2025-11-18',
    items: [{ item: bcItem('KVN-060'), qty: 10 }, { item: bcItem('KB-LOS'), qty: 125, shipped: 75, planned: '2025-12-08' }, { item: bcItem('AVK-1L'), qty: 60 }],
    open: { status: 'Released', packages: 2 },
  },
  // Nothing shipped yet.
  {
    customer: bcCustomerByNo('C20002'), orderDate: '2025-11-25',
    items: [{ item: bcItem('KB-BRY1'), qty: 120, shipped: 0, planned: '2025-12-02' }, { item: bcItem('KAK-CHO'), qty: 40, shipped: 0, planned: '2025-12-02' }],
    open: { status: 'Open', packages: 0 },
  },
  // Shipped, not yet invoiced.
  { customer: bcCustomerByNo('C20004'), orderDate: '2025-11-26', items: [{ item: bcItem('GLS-LAT'), qty: 60 }, { item: bcItem('KOP-ESP'), qty: 60 }], open: { status: 'Released', packages: 1 } },
];
bcDrafts.push(...BC_OPEN_ORDERS);
bcDrafts.sort((a, b) => a.orderDate.localeCompare(b.orderDate) || a.customer.no.localeCompare(b.customer.no));

/** BC's own SSCC prefix differs from the Swedish wholesaler's. */
const BC_GS1_PREFIX = '7350099';
const bcTrackingSeen = new Set<string>();
function bcTracking(agent: string, n: number): string[] {
  const out: string[] = [];
  while (out.length < n) {
    const id =
      agent === 'POSTNORD' ? `00${sscc(bc, BC_GS1_PREFIX)}`
      : agent === 'DHL' ? sscc(bc, BC_GS1_PREFIX)
      : agent === 'UPS' ? ups(bc, 'A84E21', '11')
      : agent === 'SCHENKER' ? `18${bc.digits(8)}`
      : agent === 'BRING' ? bringShipment(bc)
      : '';
    if (!id) throw new Error(`no id shape for shipping agent ${agent}`);
    if (bcTrackingSeen.has(id) || trackingSeen.has(id)) continue;
    bcTrackingSeen.add(id);
    out.push(id);
  }
  return out;
}

const bcOrders: BcOrder[] = bcDrafts.map((d, i): BcOrder => {
  const c = d.customer;
  const shipmentDate = addWorkdays(d.orderDate, bc.int(1, 3));
  const lines: BcLine[] = [];
  const add = (l: Omit<BcLine, 'lineNo'>) => lines.push({ ...l, lineNo: (lines.length + 1) * 10000 });
  for (const x of d.items) {
    const discount = x.item.vat === 25 ? (x.item.machine && bc.chance(0.5) ? 10 : c.discount) : 0;
    add({
      type: 'Item', no: x.item.no, description: x.item.description, uom: x.item.uom, qty: x.qty, price: bcPrice(c.currency, x.item.price), discount,
      vat: bcVat(c, x.item.vat), shipped: x.shipped ?? x.qty, plannedDelivery: x.planned ?? bcPlannedDelivery(c, shipmentDate),
    });
  }
  if (d.install) {
    add({ type: 'Resource', no: BC_INSTALL.no, description: BC_INSTALL.description, uom: BC_INSTALL.uom, qty: d.install, price: bcPrice(c.currency, BC_INSTALL.sek), discount: 0, vat: bcVat(c, 25), shipped: d.install, plannedDelivery: bcPlannedDelivery(c, shipmentDate) });
  }
  const goods = lines.reduce((s, l) => s + bcLineAmount(l.qty, l.price, l.discount), 0n);
  if (goods < bcPrice(c.currency, c.freeFreightFrom)) {
    if (d.open && d.items.every((x) => x.shipped === 0)) throw new Error('an unshipped BC order would carry an outstanding freight line');
    add({ type: 'G/L Account', no: BC_FREIGHT.gl, description: BC_FREIGHT.description, uom: '', qty: 10, price: bcPrice(c.currency, BC_FREIGHT.sek), discount: 0, vat: bcVat(c, 25), shipped: 10, plannedDelivery: bcPlannedDelivery(c, shipmentDate) });
  }
  const shipped = lines.some((l) => l.shipped > 0);
  const packages = d.open ? d.open.packages : lines.length >= 5 ? 2 : 1;
  return {
    no: `S-ORD${101001 + i}`,
    customer: c,
    orderDate: d.orderDate,
    shipmentDate,
    postingDate: d.open ? d.orderDate : shipmentDate,
    yourReference: bc.pick(c.references),
    externalDocNo: bc.chance(0.4) ? bc.pick([`PO-${bc.int(1000, 9999)}`, `INK-${d.orderDate.slice(0, 4)}-${bc.digits(4)}`]) : '',
    shipTo: bc.pick(c.shipTo),
    status: d.open?.status ?? 'Released',
    tracking: shipped ? bcTracking(c.agent, packages) : [],
    lines,
  };
});
const bcOpen = new Set(bcOrders.filter((o) => o.orderDate > BC_CUTOFF));
for (const o of bcOrders) {
  for (const l of o.lines) if (l.type !== 'Item' && l.shipped !== l.qty) throw new Error(`${o.no}: a ${l.type} line is outstanding`);
}

// Posted invoices: every archived order once, the open order with a partial shipment for what shipped.
/** A line of a posted document: an order line (or, on a credit memo, a line of its own). */
interface BcDocLine {
  line: BcLine;
  /** Tenths invoiced / credited. */
  qty: number;
}
interface BcInvoice {
  no: string;
  order: BcOrder;
  postingDate: string;
  dueDate: string;
  lines: BcDocLine[];
  closed: boolean;
  remaining: bigint;
}
const bcInvoiceDrafts: Array<Omit<BcInvoice, 'no' | 'closed' | 'remaining'>> = [];
for (const o of bcOrders) {
  if (!bcOpen.has(o)) {
    bcInvoiceDrafts.push({ order: o, postingDate: o.shipmentDate, dueDate: addDays(o.shipmentDate, o.customer.paymentTerms.days), lines: o.lines.map((line) => ({ line, qty: line.qty })) });
  } else if (o.customer.no === 'C20006') {
    bcInvoiceDrafts.push({ order: o, postingDate: o.shipmentDate, dueDate: addDays(o.shipmentDate, o.customer.paymentTerms.days), lines: o.lines.filter((l) => l.shipped > 0).map((line) => ({ line, qty: line.shipped })) });
  }
}
bcInvoiceDrafts.sort((a, b) => a.postingDate.localeCompare(b.postingDate) || a.order.no.localeCompare(b.order.no));
const bcDocAmounts = (lines: BcDocLine[]) => {
  const amounts = lines.map((l) => ({ amount: bcLineAmount(l.qty, l.line.price, l.line.discount), vat: l.line.vat }));
  return { amounts, ...bcAmounts(amounts) };
};
const bcInvoices: BcInvoice[] = bcInvoiceDrafts.map((d, i) => ({ ...d, no: `PS-INV${103001 + i}`, closed: false, remaining: 0n }));

// Posted credit memos: named by what they credit, so the README can describe them.
interface BcCreditMemo {
  no: string;
  invoice: BcInvoice;
  postingDate: string;
  reasonCode: string;
  lines: BcDocLine[];
  paid: boolean;
}
const bcInvoiceWith = (pred: (i: BcInvoice) => boolean, what: string): BcInvoice => {
  const inv = bcInvoices.find(pred);
  if (!inv) throw new Error(`no BC invoice ${what}`);
  return inv;
};
const in2025 = (i: BcInvoice) => i.postingDate >= '2025-01-01' && !bcOpen.has(i.order);
const ofCustomer = (no: string) => (i: BcInvoice) => i.order.customer.no === no;
const bcCredit = (invoice: BcInvoice, days: number, reasonCode: string, lines: BcDocLine[]): Omit<BcCreditMemo, 'no' | 'paid'> => ({
  invoice, postingDate: addWorkdays(invoice.postingDate, days), reasonCode, lines,
});
const firstItem = (inv: BcInvoice, minQty = 0): BcLine => {
  const l = inv.lines.find((x) => x.line.type === 'Item' && x.qty > minQty);
  if (!l) throw new Error(`${inv.order.no}: no item line with more than ${minQty / 10}`);
  return l.line;
};
const bcCreditDrafts: Array<Omit<BcCreditMemo, 'no' | 'paid'>> = [];
{
  // 1. EUR: up to two units of an item returned.
  const eur = bcInvoiceWith((i) => ofCustomer('C20005')(i) && in2025(i), 'of C20005 in 2025');
  const eurLine = firstItem(eur);
  bcCreditDrafts.push(bcCredit(eur, 6, 'RETUR', [{ line: eurLine, qty: Math.min(eurLine.qty, 20) }]));
  // 2. NOK: half of a line returned.
  const nok = bcInvoiceWith((i) => ofCustomer('C20003')(i) && in2025(i), 'of C20003 in 2025');
  const nokLine = firstItem(nok, 10);
  bcCreditDrafts.push(bcCredit(nok, 4, 'RETUR', [{ line: nokLine, qty: Math.floor(nokLine.qty / 20) * 10 }]));
  // 3. Corrective credit memo: cancels a whole invoice (BC's "Cancel" on a posted invoice).
  const whole = bcInvoiceWith((i) => ofCustomer('C20007')(i) && in2025(i), 'of C20007 in 2025');
  bcCreditDrafts.push(bcCredit(whole, 2, 'KORR', whole.lines.map((l) => ({ line: l.line, qty: l.qty }))));
  // 4. DKK: damaged goods, on the customer's latest invoice.
  const dkk = bcInvoices.filter((i) => ofCustomer('C20004')(i) && !bcOpen.has(i.order)).at(-1);
  if (!dkk) throw new Error('no BC invoice of C20004');
  const dkkLine = firstItem(dkk);
  bcCreditDrafts.push(bcCredit(dkk, 8, 'SKADAT', [{ line: dkkLine, qty: Math.min(dkkLine.qty, 20) }]));
  // 5. A price reduction on a G/L Account line (over 1 000 kr) for a scratched machine the customer
  //    kept; recent, so still open (Paid = No).
  const machineInv = bcInvoices.filter((i) => i.order.customer.currency === '' && !bcOpen.has(i.order) && i.lines.some((l) => l.line.no === 'ESP-2G' || l.line.no === 'KVN-060')).at(-1);
  if (!machineInv) throw new Error('no BC invoice in SEK with a machine');
  const reduction: BcLine = { lineNo: 10000, type: 'G/L Account', no: '3731', description: 'Prisavdrag, repad sidopanel', uom: '', qty: 10, price: money(2500), discount: 0, vat: bcVat(machineInv.order.customer, 25), shipped: 0, plannedDelivery: '' };
  bcCreditDrafts.push(bcCredit(machineInv, 25, 'REKLAM', [{ line: reduction, qty: 10 }]));
}
for (const d of bcCreditDrafts) {
  for (const l of d.lines) if (l.qty <= 0 || d.invoice.lines.some((x) => x.line === l.line && l.qty > x.qty)) throw new Error(`${d.invoice.no}: bad credit quantity`);
  if (d.postingDate <= d.invoice.postingDate || d.postingDate > '2025-11-28') throw new Error(`${d.invoice.no}: credit memo date ${d.postingDate}`);
}
bcCreditDrafts.sort((a, b) => a.postingDate.localeCompare(b.postingDate) || a.invoice.no.localeCompare(b.invoice.no));
const bcCredits: BcCreditMemo[] = bcCreditDrafts.map((d, i) => ({ ...d, no: `PS-CR${104001 + i}`, paid: d.postingDate < '2025-11-01' }));

// Payment: closed (paid, or applied to a credit memo) unless due after the export date; one invoice
// overdue and one part-paid, so Closed = No occurs on both sides of the due date.
{
  const overdue = bcInvoices.filter((i) => i.dueDate < EXPORT_DATE && i.dueDate >= '2025-09-01' && !bcCredits.some((c) => c.invoice === i));
  const [late, partly] = [overdue.at(-1), overdue.at(-2)];
  if (!late || !partly) throw new Error('no BC invoice to leave overdue; change the seed');
  for (const inv of bcInvoices) {
    const total = bcDocAmounts(inv.lines).inclVat;
    const open = inv.dueDate >= EXPORT_DATE || inv === late || inv === partly;
    inv.closed = !open;
    inv.remaining = !open ? 0n : inv === partly ? total - roundDiv(total, 2n) : total;
  }
  const cancelled = bcCredits.find((c) => c.reasonCode === 'KORR')!.invoice;
  cancelled.closed = true;
  cancelled.remaining = 0n;
}
if (!bcInvoices.some((i) => !i.closed && i.dueDate >= EXPORT_DATE)) throw new Error('no open BC invoice that is not yet due');

// Writing: BC's Format() of decimals in en-US, a CSV with BOM.

function bcNumber(minor: bigint, scale: 100n | 10n = 100n): string {
  const neg = minor < 0n;
  const abs = neg ? -minor : minor;
  const whole = (abs / scale).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  let frac = (abs % scale).toString().padStart(scale === 100n ? 2 : 1, '0').replace(/0+$/, '');
  if (frac) frac = `.${frac}`;
  return `${neg ? '-' : ''}${whole}${frac}`;
}
const bcQty = (tenths: number): string => bcNumber(BigInt(tenths), 10n);
const bcBool = (b: boolean): string => (b ? 'Yes' : 'No');

function bcCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, string>>): Buffer {
  const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const out = [columns.map(field).join(',')];
  for (const r of rows) {
    for (const k of Object.keys(r)) if (!columns.includes(k)) throw new Error(`BC column ${k} is not in the header`);
    out.push(columns.map((k) => {
      const v = r[k];
      if (v === undefined) throw new Error(`BC row lacks ${k}`);
      return field(v);
    }).join(','));
  }
  return Buffer.from(`\uFEFF${out.join('\r\n')}\r\n`, 'utf8');
}

const BC_SELL_TO = ['Sell-to Customer No.', 'Sell-to Customer Name', 'Sell-to Contact', 'Sell-to Address', 'Sell-to Address 2', 'Sell-to Post Code', 'Sell-to City', 'Sell-to Country/Region Code'] as const;
const BC_SHIP_TO = ['Ship-to Name', 'Ship-to Contact', 'Ship-to Address', 'Ship-to Address 2', 'Ship-to Post Code', 'Ship-to City', 'Ship-to Country/Region Code'] as const;
function bcParties(c: BcCustomer, s: BcShipTo): Record<string, string> {
  return {
    'Sell-to Customer No.': c.no, 'Sell-to Customer Name': c.name, 'Sell-to Contact': c.contact, 'Sell-to Address': c.address, 'Sell-to Address 2': c.address2,
    'Sell-to Post Code': c.postCode, 'Sell-to City': c.city, 'Sell-to Country/Region Code': c.country,
    'Ship-to Name': s.name, 'Ship-to Contact': s.contact, 'Ship-to Address': s.address, 'Ship-to Address 2': s.address2, 'Ship-to Post Code': s.postCode,
    'Ship-to City': s.city, 'Ship-to Country/Region Code': s.country,
  };
}

const BC_LINE_BASE = ['Line No.', 'Type', 'No.', 'Description', 'Unit of Measure Code', 'Quantity', 'Unit Price', 'Line Discount %', 'Line Amount', 'VAT %', 'Amount Including VAT'] as const;
function bcLineFields(l: BcLine, qty: number, amount: bigint, vat: bigint): Record<string, string> {
  return {
    'Line No.': String(l.lineNo), 'Type': l.type, 'No.': l.no, 'Description': l.description, 'Unit of Measure Code': l.uom, 'Quantity': bcQty(qty),
    'Unit Price': bcNumber(l.price), 'Line Discount %': String(l.discount), 'Line Amount': bcNumber(amount), 'VAT %': String(l.vat), 'Amount Including VAT': bcNumber(amount + vat),
  };
}

const BC_FILES = {
  salesHeader: {
    name: 'SalesHeader_20251130.csv',
    columns: ['Document Type', 'No.', ...BC_SELL_TO, ...BC_SHIP_TO, 'Order Date', 'Posting Date', 'Shipment Date', 'Your Reference', 'External Document No.', 'Currency Code', 'Payment Terms Code', 'Status', 'Completely Shipped', 'Shipping Agent Code', 'Package Tracking No.', 'Amount', 'Amount Including VAT'],
  },
  salesLine: {
    name: 'SalesLine_20251130.csv',
    columns: ['Document Type', 'Document No.', ...BC_LINE_BASE, 'Quantity Shipped', 'Outstanding Quantity', 'Quantity Invoiced', 'Shipment Date', 'Planned Delivery Date'],
  },
  invoiceHeader: {
    name: 'SalesInvoiceHeader_20251130.csv',
    columns: ['No.', 'Order No.', ...BC_SELL_TO, ...BC_SHIP_TO, 'Posting Date', 'Due Date', 'Payment Terms Code', 'Your Reference', 'External Document No.', 'Currency Code', 'Shipping Agent Code', 'Package Tracking No.', 'Amount', 'Amount Including VAT', 'Remaining Amount', 'Closed'],
  },
  invoiceLine: {
    name: 'SalesInvoiceLine_20251130.csv',
    columns: ['Document No.', ...BC_LINE_BASE, 'Shipment Date', 'Order No.', 'Order Line No.'],
  },
  crMemoHeader: {
    name: 'SalesCrMemoHeader_20251130.csv',
    columns: ['No.', ...BC_SELL_TO, ...BC_SHIP_TO, 'Posting Date', 'Due Date', 'Your Reference', 'External Document No.', 'Currency Code', 'Applies-to Doc. Type', 'Applies-to Doc. No.', 'Reason Code', 'Amount', 'Amount Including VAT', 'Remaining Amount', 'Paid'],
  },
  crMemoLine: {
    name: 'SalesCrMemoLine_20251130.csv',
    columns: ['Document No.', ...BC_LINE_BASE],
  },
} as const;

function bcFiles(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const sh: Array<Record<string, string>> = [];
  const sl: Array<Record<string, string>> = [];
  for (const o of bcOrders) {
    const invoiced = new Map<BcLine, number>();
    for (const inv of bcInvoices) if (inv.order === o) for (const l of inv.lines) invoiced.set(l.line, (invoiced.get(l.line) ?? 0) + l.qty);
    const t = bcDocAmounts(o.lines.map((line) => ({ line, qty: line.qty })));
    sh.push({
      'Document Type': 'Order', 'No.': o.no, ...bcParties(o.customer, o.shipTo),
      'Order Date': o.orderDate, 'Posting Date': o.postingDate, 'Shipment Date': o.shipmentDate, 'Your Reference': o.yourReference, 'External Document No.': o.externalDocNo,
      'Currency Code': o.customer.currency, 'Payment Terms Code': o.customer.paymentTerms.code, 'Status': o.status,
      'Completely Shipped': bcBool(o.lines.every((l) => l.shipped === l.qty)), 'Shipping Agent Code': o.customer.agent,
      // BC's field is one text: several packages are typed in separated by ", ".
      'Package Tracking No.': o.tracking.join(', '),
      'Amount': bcNumber(t.amount), 'Amount Including VAT': bcNumber(t.inclVat),
    });
    o.lines.forEach((l, i) => {
      sl.push({
        'Document Type': 'Order', 'Document No.': o.no, ...bcLineFields(l, l.qty, t.amounts[i]!.amount, t.lineVat[i]!),
        'Quantity Shipped': bcQty(l.shipped), 'Outstanding Quantity': bcQty(l.qty - l.shipped), 'Quantity Invoiced': bcQty(invoiced.get(l) ?? 0),
        'Shipment Date': o.shipmentDate, 'Planned Delivery Date': l.plannedDelivery,
      });
    });
  }
  files.set(BC_FILES.salesHeader.name, bcCsv(BC_FILES.salesHeader.columns, sh));
  files.set(BC_FILES.salesLine.name, bcCsv(BC_FILES.salesLine.columns, sl));

  const ih: Array<Record<string, string>> = [];
  const il: Array<Record<string, string>> = [];
  for (const inv of bcInvoices) {
    const o = inv.order;
    const t = bcDocAmounts(inv.lines);
    ih.push({
      'No.': inv.no, 'Order No.': o.no, ...bcParties(o.customer, o.shipTo), 'Posting Date': inv.postingDate, 'Due Date': inv.dueDate,
      'Payment Terms Code': o.customer.paymentTerms.code, 'Your Reference': o.yourReference, 'External Document No.': o.externalDocNo, 'Currency Code': o.customer.currency,
      'Shipping Agent Code': o.customer.agent, 'Package Tracking No.': o.tracking.join(', '),
      'Amount': bcNumber(t.amount), 'Amount Including VAT': bcNumber(t.inclVat), 'Remaining Amount': bcNumber(inv.remaining), 'Closed': bcBool(inv.closed),
    });
    inv.lines.forEach((l, i) => {
      il.push({ 'Document No.': inv.no, ...bcLineFields(l.line, l.qty, t.amounts[i]!.amount, t.lineVat[i]!), 'Shipment Date': o.shipmentDate, 'Order No.': o.no, 'Order Line No.': String(l.line.lineNo) });
    });
  }
  files.set(BC_FILES.invoiceHeader.name, bcCsv(BC_FILES.invoiceHeader.columns, ih));
  files.set(BC_FILES.invoiceLine.name, bcCsv(BC_FILES.invoiceLine.columns, il));

  const ch: Array<Record<string, string>> = [];
  const cl: Array<Record<string, string>> = [];
  for (const cr of bcCredits) {
    const o = cr.invoice.order;
    const t = bcDocAmounts(cr.lines);
    ch.push({
      'No.': cr.no, ...bcParties(o.customer, o.shipTo), 'Posting Date': cr.postingDate, 'Due Date': cr.postingDate, 'Your Reference': o.yourReference,
      'External Document No.': o.externalDocNo, 'Currency Code': o.customer.currency, 'Applies-to Doc. Type': 'Invoice', 'Applies-to Doc. No.': cr.invoice.no,
      'Reason Code': cr.reasonCode, 'Amount': bcNumber(t.amount), 'Amount Including VAT': bcNumber(t.inclVat),
      'Remaining Amount': bcNumber(cr.paid ? 0n : -t.inclVat), 'Paid': bcBool(cr.paid),
    });
    cr.lines.forEach((l, i) => {
      cl.push({ 'Document No.': cr.no, ...bcLineFields({ ...l.line, lineNo: (i + 1) * 10000 }, l.qty, t.amounts[i]!.amount, t.lineVat[i]!) });
    });
  }
  files.set(BC_FILES.crMemoHeader.name, bcCsv(BC_FILES.crMemoHeader.columns, ch));
  files.set(BC_FILES.crMemoLine.name, bcCsv(BC_FILES.crMemoLine.columns, cl));

  // PDFs as BC names e-mail attachments: "<document type> <No.>.pdf".
  const amountText = (minor: bigint, c: BcCustomer) => `${c.currency || 'SEK'} ${bcNumber(minor)}`;
  const pdfLines = (lines: BcDocLine[], t: ReturnType<typeof bcDocAmounts>) =>
    lines.map((l, i) => `${l.line.no}  ${l.line.description}  ${bcQty(l.qty)} x ${bcNumber(l.line.price)}  = ${bcNumber(t.amounts[i]!.amount)}`);
  const pdfInvoice = bcInvoices.find((i) => bcOpen.has(i.order))!;
  {
    const t = bcDocAmounts(pdfInvoice.lines);
    const c = pdfInvoice.order.customer;
    files.set(`Sales Invoice ${pdfInvoice.no}.pdf`, pdfDocument(`Sales - Invoice ${pdfInvoice.no}`, [
      `${c.no} ${c.name}, ${c.address}, ${c.postCode} ${c.city}`, `Posting Date ${pdfInvoice.postingDate}   Due Date ${pdfInvoice.dueDate}   Order No. ${pdfInvoice.order.no}`, '',
      ...pdfLines(pdfInvoice.lines, t), '', `Total ${amountText(t.inclVat, c)} incl. VAT`,
    ], pdfInvoice.postingDate));
  }
  const pdfCredit = bcCredits[0]!;
  {
    const t = bcDocAmounts(pdfCredit.lines);
    const c = pdfCredit.invoice.order.customer;
    files.set(`Sales Credit Memo ${pdfCredit.no}.pdf`, pdfDocument(`Sales - Credit Memo ${pdfCredit.no}`, [
      `${c.no} ${c.name}, ${c.address}, ${c.postCode} ${c.city}`, `Posting Date ${pdfCredit.postingDate}   Applies to invoice ${pdfCredit.invoice.no}`, '',
      ...pdfLines(pdfCredit.lines, t), '', `Total ${amountText(t.inclVat, c)}`,
    ], pdfCredit.postingDate));
  }
  const pdfOrder = bcOrders.find((o) => o.customer.no === 'C20005' && bcOpen.has(o))!;
  {
    const lines = pdfOrder.lines.map((line) => ({ line, qty: line.qty }));
    const t = bcDocAmounts(lines);
    const c = pdfOrder.customer;
    files.set(`Sales Order ${pdfOrder.no}.pdf`, pdfDocument(`Order Confirmation ${pdfOrder.no}`, [
      `${c.no} ${c.name}, ${c.address}, ${c.postCode} ${c.city}`, `Order Date ${pdfOrder.orderDate}   Your Reference ${pdfOrder.yourReference}`, '',
      ...pdfLines(lines, t), '', `Total ${amountText(t.inclVat, c)}`,
    ], pdfOrder.orderDate));
  }
  return files;
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
for (const [name, bytes] of swedishPdfs) writeFileSync(path.join(OUT_DIR, name), bytes);
const bcOut = bcFiles();
for (const [name, bytes] of bcOut) writeFileSync(path.join(OUT_DIR, name), bytes);

const written = new Set(['ordrar_20251130.csv', 'fakturor_20251130.xml', ...swedishPdfs.keys(), ...bcOut.keys()]);
const stray = readdirSync(OUT_DIR).filter((n) => !written.has(n));
if (stray.length) console.warn(`warning: ${OUT_DIR} holds files this script did not write: ${stray.join(', ')}`);
const totalBytes = csvBytes.length + Buffer.byteLength(xml) + [...swedishPdfs.values(), ...bcOut.values()].reduce((s, b) => s + b.length, 0);
if (totalBytes >= 500 * 1024) throw new Error(`samples/exports is ${totalBytes} bytes; keep it under 500 KB`);

const perCustomer = new Map<string, number>();
for (const o of orders) if (o.status !== 'Makulerad') perCustomer.set(o.customer.no, (perCustomer.get(o.customer.no) ?? 0) + 1);
const countBy = <T>(items: readonly T[], key: (t: T) => string): Record<string, number> =>
  items.reduce<Record<string, number>>((m, t) => ({ ...m, [key(t)]: (m[key(t)] ?? 0) + 1 }), {});
const seBackorders = orders.flatMap((o) => o.lines.filter((l) => o.status !== 'Makulerad' && (l.delivered ?? 0) < l.qty).map((l) => `${o.customer.no}/${o.id}/${l.no} ${l.product.model}`));
const bcBackorders = bcOrders.flatMap((o) => o.lines.filter((l) => l.shipped < l.qty).map((l) => `${o.customer.no}/${o.no}/${l.lineNo} ${l.no}`));
console.log(
  JSON.stringify(
    {
      out: OUT_DIR,
      totalBytes,
      swedish: {
        csvBytes: csvBytes.length,
        xmlBytes: Buffer.byteLength(xml),
        customers: CUSTOMERS.length,
        orders: orders.length,
        orderLines: orders.reduce((s, o) => s + o.lines.length, 0),
        publishedOrdersPerCustomer: Object.fromEntries(perCustomer),
        orderStatus: countBy(orders, (o) => o.status),
        cancelledOrder: `${cancelled.customer.no}/${orders.find((o) => o.status === 'Makulerad')?.id}`,
        multilineCommentOrder: orders.find((o) => o.comment.includes('\r\n'))?.id,
        euroCommentOrder: orders.find((o) => o.comment.includes('€'))?.id,
        invoices: invoices.length,
        invoiceStatus: countBy(invoices, (i) => i.status),
        uninvoicedDelivered: skipped,
        singleLineInvoices: invoices.filter((i) => i.order.lines.length === 1).length,
        creditInvoices: credits.map((c) => `${c.id} ${c.invoice.order.customer.no} ${c.invoice.order.customer.currency} ${formatMinor(c.total, ',', true)} (faktura ${c.invoice.id}, ${c.status})`),
        backorderedLines: seBackorders,
        ordersWithTracking: orders.filter((o) => o.tracking?.length).length,
        ordersWithTwoPackages: orders.filter((o) => (o.tracking?.length ?? 0) > 1).map((o) => o.id),
        carriers: countBy(orders.filter((o) => o.carrier), (o) => o.carrier!),
      },
      businessCentral: {
        customers: BC_CUSTOMERS.length,
        orders: bcOrders.length,
        openOrders: bcOrders.filter((o) => bcOpen.has(o)).map((o) => o.no),
        orderLines: bcOrders.reduce((s, o) => s + o.lines.length, 0),
        lineTypes: countBy(bcOrders.flatMap((o) => o.lines), (l) => l.type),
        invoices: bcInvoices.length,
        invoiceLines: bcInvoices.reduce((s, i) => s + i.lines.length, 0),
        invoicesClosed: countBy(bcInvoices, (i) => bcBool(i.closed)),
        creditMemos: bcCredits.map((c) => `${c.no} ${c.invoice.order.customer.no} ${c.invoice.order.customer.currency || 'SEK'} ${bcNumber(bcDocAmounts(c.lines).inclVat)} (${c.reasonCode}, ${c.invoice.no}, Paid ${bcBool(c.paid)})`),
        backorderedLines: bcBackorders,
        shippingAgents: countBy(bcOrders.filter((o) => o.tracking.length), (o) => o.customer.agent),
        currencies: countBy(bcOrders, (o) => o.customer.currency || '(empty = SEK)'),
      },
      pdfs: [...swedishPdfs.keys(), ...[...bcOut.keys()].filter((n) => n.endsWith('.pdf'))],
    },
    null,
    2,
  ),
);
