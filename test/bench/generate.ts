/**
 * Benchmark input: large, realistic order exports in the dialects of the bundled samples, so the
 * sample config (samples/vendre-pull.yaml) reads them unchanged.
 *
 * - `--format csv` (default): feed `se-orders`, file `ordrar_bench_<lines>.csv`. Flat layout (the
 *   order's header columns repeated on each of its lines), Windows-1252 via iconv-lite, `;`, CRLF,
 *   decimal comma, dates YYYYMMDD, the 33 columns of samples/exports/ordrar_20251130.csv.
 * - `--format xml`: feed `xml-invoices`, file `fakturor_bench_<lines>.xml`. UTF-8, one
 *   <Faktura nr> per invoice with <Rader>/<Rad nr>; `--lines` counts <Rad> elements.
 *
 * What makes it realistic: a product catalogue of ~1,000 articles (food at 12 % VAT, machines,
 * articles sold by kg/m with one decimal), customers with favourite articles, contract discounts,
 * free-shipping thresholds, SEK/EUR/NOK price lists, several delivery addresses and buyers per
 * customer, countries written as names / ISO-2 / ISO-3, an activity skew (a few key accounts with
 * hundreds or thousands of orders, many with a handful), business growth and seasons over the
 * years, comments with `;`, `"` and rarely a quoted CRLF, `€` in EUR comments, and a few cancelled
 * orders (`Status` = Makulerad on every line: the feed's delete marker).
 *
 * Deterministic: a seeded PRNG (mulberry32), integer arithmetic only (no Math.random, no Date.now,
 * no transcendental functions), fixed dates: the same parameters give byte-identical files.
 * Streaming: text is built in ~1 MiB chunks, encoded and written with backpressure; memory is bounded
 * by the number of customers, never by the number of lines. The file is written under a temporary
 * name and renamed when complete, with `<file>.params.json` beside it (parameters and counts).
 *
 *   node --import tsx test/bench/generate.ts [--lines 1000000] [--customers 20000]
 *        [--lines-per-order 5] [--years 3] [--seed 20251130] [--format csv|xml] [--out .bench]
 */
import { createWriteStream, existsSync, readFileSync, renameSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import iconv from 'iconv-lite';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BENCH_DIR = path.join(REPO_ROOT, '.bench');
/** Bump when the output for the same parameters changes, so stale files are regenerated. */
// 2: the 33 columns of the current sample (delivered, expected date, tracking id, carrier).
export const GENERATOR_VERSION = 2;

export type BenchFormat = 'csv' | 'xml';

export interface GenerateParams {
  format: BenchFormat;
  lines: number;
  customers: number;
  linesPerOrder: number;
  years: number;
  seed: number;
}

export interface GenerateStats {
  file: string;
  bytes: number;
  lines: number;
  /** CSV: orders including cancelled ones; XML: invoices. */
  documents: number;
  cancelled: number;
  customersUsed: number;
  maxDocumentsPerCustomer: number;
  firstDate: string;
  lastDate: string;
  ms: number;
}

export const DEFAULTS: GenerateParams = { format: 'csv', lines: 1_000_000, customers: 20_000, linesPerOrder: 5, years: 3, seed: 20251130 };

export function benchFileName(p: Pick<GenerateParams, 'format' | 'lines'>): string {
  return p.format === 'xml' ? `fakturor_bench_${p.lines}.xml` : `ordrar_bench_${p.lines}.csv`;
}

/** The sidecar that records what a generated file was made with. */
export function paramsFileOf(file: string): string {
  return `${file}.params.json`;
}

/** True when `file` exists complete and was generated with exactly these parameters by this generator version. */
export function isUpToDate(file: string, p: GenerateParams): boolean {
  const side = paramsFileOf(file);
  if (!existsSync(file) || !existsSync(side)) return false;
  try {
    const meta = JSON.parse(readFileSync(side, 'utf8')) as { version?: number; params?: GenerateParams };
    return meta.version === GENERATOR_VERSION && JSON.stringify(meta.params) === JSON.stringify(normalizeParams(p));
  } catch {
    return false;
  }
}

function normalizeParams(p: GenerateParams): GenerateParams {
  return { format: p.format, lines: p.lines, customers: p.customers, linesPerOrder: p.linesPerOrder, years: p.years, seed: p.seed };
}

// ---------------------------------------------------------------------------------------------
// Fixed calendar

const EXPORT_DATE = '2025-11-30';
const LAST_ORDER_DATE = '2025-11-28';
/** Orders on or before this date are delivered (and invoiced); later ones are still Aktiv. */
const INVOICE_CUTOFF = '2025-10-31';
const FIRST_ORDER_NO = 1_000_001;
const FIRST_INVOICE_NO = 5_000_001;
const FIRST_CUSTOMER_NO = 10_001;

const DAY_MS = 86_400_000;
const toDay = (iso: string): number => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
const fromDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const weekday = (day: number): number => new Date(day * DAY_MS).getUTCDay();
const isWeekend = (day: number): boolean => {
  const d = weekday(day);
  return d === 0 || d === 6;
};
function addWorkdays(day: number, n: number): number {
  let d = day;
  for (let left = n; left > 0; ) {
    d++;
    if (!isWeekend(d)) left--;
  }
  return d;
}

// ---------------------------------------------------------------------------------------------
// PRNG

export class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  /** mulberry32: uniform in [0, 1). */
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  /** Index by integer weights. */
  weighted(weights: readonly number[]): number {
    let sum = 0;
    for (const w of weights) sum += w;
    let r = this.next() * sum;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Money: integer minor units (öre/cent) in plain numbers; every intermediate stays far below 2^53.

/** a / b rounded half-up, for integers a ≥ 0, b > 0 (exact while 2a + b < 2^53). */
export const roundDiv = (a: number, b: number): number => Math.floor((2 * a + b) / (2 * b));

export function formatMinor(minor: number, decimal: ',' | '.', group: boolean): string {
  const abs = Math.abs(minor);
  let int = String(Math.floor(abs / 100));
  const cents = abs % 100;
  if (group && int.length > 3) {
    let out = '';
    for (let i = int.length; i > 0; i -= 3) out = int.slice(Math.max(0, i - 3), i) + (out ? ` ${out}` : '');
    int = out;
  }
  return `${minor < 0 ? '-' : ''}${int}${decimal}${cents < 10 ? '0' : ''}${cents}`;
}
/** Quantity in tenths: 120 → "12", 25 → "2,5". */
function formatQty(tenths: number, decimal: ',' | '.'): string {
  return tenths % 10 === 0 ? String(tenths / 10) : `${Math.floor(tenths / 10)}${decimal}${tenths % 10}`;
}

// ---------------------------------------------------------------------------------------------
// Product catalogue

type Currency = 'SEK' | 'EUR' | 'NOK';

export interface Product {
  model: string;
  name: string;
  /** List price in öre (SEK). */
  price: number;
  vat: 25 | 12;
  decimalQty: boolean;
  machine: boolean;
}

interface ProductBase {
  prefix: string;
  name: string;
  variants: readonly string[];
  /** Price in SEK (whole kronor and öre as a decimal number written with two decimals at most). */
  price: number;
  vat: 25 | 12;
  decimalQty?: boolean;
  machine?: boolean;
}

const SIZES = ['1 l', '5 l', '10 l', '20 l'];
const SCENTS = ['citrus', 'parfymfri', 'lavendel', 'tall', 'mint', 'svanenmärkt'];
const BASES: readonly ProductBase[] = [
  { prefix: 'RM', name: 'Rengöringsmedel', variants: SIZES.flatMap((s) => SCENTS.map((c) => `${s} ${c}`)), price: 189, vat: 25 },
  { prefix: 'AR', name: 'Allrent pH<9 & oparfymerad', variants: SIZES, price: 49.5, vat: 25 },
  { prefix: 'GR', name: 'Grovrengöring alkalisk', variants: SIZES, price: 245, vat: 25 },
  { prefix: 'SA', name: 'Sanitetsrent sur', variants: SIZES.flatMap((s) => ['', ' färgad'].map((c) => `${s}${c}`)), price: 98, vat: 25 },
  { prefix: 'GS', name: 'Golvskurmaskin', variants: ['kompakt', 'åkbar', 'batteri 36 V', 'kabel 230 V'], price: 12950, vat: 25, machine: true },
  { prefix: 'DS', name: 'Dammsugare', variants: ['ryggburen', 'våt/torr 30 l', 'HEPA 12 l', 'batteri'], price: 4990, vat: 25, machine: true },
  { prefix: 'HT', name: 'Högtryckstvätt', variants: ['150 bar', '180 bar kall', '200 bar varm'], price: 18900, vat: 25, machine: true },
  { prefix: 'MP', name: 'Moppgarn mikrofiber', variants: ['40 cm', '50 cm', '60 cm', '80 cm'].flatMap((s) => ['blå', 'röd', 'grön', 'gul'].map((c) => `${s} ${c}`)), price: 89, vat: 25 },
  { prefix: 'MH', name: 'Mopphållare aluminium', variants: ['40 cm', '50 cm', '60 cm', '80 cm'], price: 249, vat: 25 },
  { prefix: 'HN', name: 'Handske nitril', variants: ['XS', 'S', 'M', 'L', 'XL'].flatMap((s) => [`${s} 100-p`, `${s} 200-p pulverfri`]), price: 119, vat: 25 },
  { prefix: 'HV', name: 'Handske vinyl', variants: ['S', 'M', 'L', 'XL'].map((s) => `${s} 100-p`), price: 79, vat: 25 },
  { prefix: 'TP', name: 'Toalettpapper', variants: ['32 rullar', '64 rullar', 'jumbo 6 rl', 'mini-jumbo 12 rl'], price: 429, vat: 25 },
  { prefix: 'TK', name: 'Torkpapper', variants: ['2-lag 24 rl', '1-lag 4 rl', 'Z-vikt 4000 ark', 'C-vikt 2400 ark'], price: 369, vat: 25 },
  { prefix: 'SL', name: 'Slang 3/4"', variants: ['15 m', '25 m', '50 m'], price: 459, vat: 25 },
  { prefix: 'DM', name: 'Diskmedel', variants: ['maskin 10 l', 'maskin 25 l', 'hand 1 l', 'hand 5 l', 'spolglans 5 l'], price: 612, vat: 25 },
  { prefix: 'SS', name: 'Sopsäck', variants: ['60 l 50-p', '125 l 25-p', '160 l 20-p', 'kompost 22 l 50-p'], price: 79, vat: 25 },
  { prefix: 'TV', name: 'Handtvål', variants: ['parfymfri 5 l', 'parfymfri 1 l', 'skum 700 ml', 'desinfektion 500 ml'], price: 239, vat: 25 },
  { prefix: 'AV', name: 'Ättika 12 % avkalkning', variants: ['1 l', '5 l'], price: 34.9, vat: 25 },
  { prefix: 'SP', name: 'Skyddsplast', variants: ['2 m bredd, löpmeter', '4 m bredd, löpmeter'], price: 12.9, vat: 25, decimalQty: true },
  { prefix: 'DK', name: 'Dukrulle "Bankett"', variants: ['vit 1,2 × 25 m', 'svart 1,2 × 25 m', 'natur 1,2 × 50 m'], price: 289, vat: 25 },
  { prefix: 'KA', name: 'Kaffe', variants: ['mellanrost 500 g', 'mörkrost 500 g', 'bryggmalet 450 g', 'ekologiskt 500 g', 'koffeinfritt 250 g'], price: 64.9, vat: 12 },
  { prefix: 'KB', name: 'Kaffebönor', variants: ['espresso 1 kg', 'crema 1 kg', 'Fairtrade 1 kg'], price: 189, vat: 12 },
  { prefix: 'TE', name: 'Te', variants: ['Earl Grey 100 p', 'grönt 100 p', 'rooibos 50 p', 'kamomill 50 p', 'Chai 25 p'], price: 59, vat: 12 },
  { prefix: 'SO', name: 'Sockerbitar', variants: ['1 kg', '5 kg'], price: 32.5, vat: 12 },
  { prefix: 'MJ', name: 'Mjölk', variants: ['laktosfri 1 l 12-p', 'standard 1 l 12-p', 'havredryck 1 l 12-p', 'mellan 1 l 12-p'], price: 198, vat: 12 },
  { prefix: 'HK', name: 'Havrekakor', variants: ['2 kg', '500 g'], price: 149, vat: 12 },
  { prefix: 'MV', name: 'Mineralvatten', variants: ['33 cl 24-p', '50 cl 24-p', 'citron 33 cl 24-p'], price: 139, vat: 12 },
  { prefix: 'OS', name: 'Ost', variants: ['lagrad, lösvikt', 'prästost, lösvikt', 'brie, lösvikt'], price: 129, vat: 12, decimalQty: true },
  { prefix: 'CR', name: 'Croissanter frysta', variants: ['50 st', '100 st', 'mini 120 st'], price: 412, vat: 12 },
  { prefix: 'AM', name: 'Äppelmust', variants: ['1 l 6-p', '25 cl 24-p'], price: 115, vat: 12 },
  { prefix: 'CF', name: 'Crème fraîche 34 %', variants: ['2 l', '5 l'], price: 96.5, vat: 12 },
  { prefix: 'KN', name: 'Kanelbullar frysta', variants: ['60 st', '120 st'], price: 329, vat: 12 },
];

function buildCatalogue(rng: Rng): Product[] {
  const out: Product[] = [];
  let serial = 1000;
  for (const b of BASES) {
    // Each variant in a few pack sizes/brands: "Rengöringsmedel 5 l citrus" → "… (Nordren)".
    for (const v of b.variants) {
      for (const brand of ['', ' (Nordren)', ' (Proffs)']) {
        if (brand && b.machine) continue;
        serial += rng.int(1, 9);
        const base = Math.round(b.price * 100);
        // ±30 % around the base price, bigger packs dearer.
        const price = Math.max(100, roundDiv(base * rng.int(70, 130), 100));
        out.push({
          model: b.vat === 12 ? String(400000 + serial) : `${b.prefix}-${serial}`,
          name: `${b.name}${v ? ` ${v}` : ''}${brand}`,
          price,
          vat: b.vat,
          decimalQty: b.decimalQty ?? false,
          machine: b.machine ?? false,
        });
      }
    }
  }
  return out;
}

function priceIn(currency: Currency, sekMinor: number): number {
  if (currency === 'EUR') return roundDiv(sekMinor * 100, 1140); // ≈ 11.40 SEK/EUR, to the cent
  if (currency === 'NOK') return roundDiv(sekMinor * 102, 100 * 50) * 50; // ≈ 1.02, to 50 øre
  return sekMinor;
}

// ---------------------------------------------------------------------------------------------
// Customers

export interface Addr {
  address: string;
  address2: string;
  zipcode: string;
  ziparea: string;
  /** As the ERP writes it: name, ISO-2 or ISO-3. */
  country: string;
  reference: string;
}

export interface Customer {
  no: string;
  name: string;
  currency: Currency;
  invoice: Addr;
  deliveries: Addr[];
  /** ISO-2, as the invoice system writes it. */
  iso2: string;
  references: string[];
  /** Probability (per mille) that a line is food. */
  food: number;
  discount: number;
  paymentDays: number;
  shippingMinor: number;
  freeShippingFromMinor: number;
  favourites: number[];
}

const FIRST_NAMES = ['Anna', 'Per', 'Maria', 'Göran', 'Lena', 'Johan', 'Elin', 'Åsa', 'Björn', 'Sara', 'Ali', 'Fatima', 'Kjell', 'Ingrid', 'Mikko', 'Aino', 'Søren', 'Hélène', 'Oskar', 'Karin', 'Nils', 'Märta', 'Örjan', 'Zeynep', 'Ola', 'Ståle', 'Mats', 'Eva', 'Jörgen', 'Linnéa'];
const LAST_NAMES = ['Lind', 'Öhman', 'Nyström', 'Åström', 'Åkesson', 'Ek', 'Lindström', 'Björk', 'Hassan', 'Dahl', 'Virtanen', 'Mäkelä', 'Haugen', 'Wallin', 'Persson', 'Rahimi', 'Sjöberg', 'Holm', 'Dubois', 'Berg', 'Madsen', 'Øvrebø', 'Söderberg', 'Karlsson', 'Nilsson', 'Johansson', 'Yilmaz', 'Hägg', 'Forsén', 'Lundqvist'];
const PLACES = ['Norrland', 'Västerport', 'Öresund', 'Mälardalen', 'Göta', 'Sörmland', 'Värmland', 'Älvkanten', 'Åsen', 'Hamnen', 'Solrosen', 'Ekbacken', 'Bergslagen', 'Roslagen', 'Österlen', 'Jämtland', 'Höga Kusten', 'Kullen', 'Siljan', 'Vättern'];
const TRADES: ReadonlyArray<{ name: string; food: number }> = [
  { name: 'Byggvaruhuset', food: 50 },
  { name: 'Café', food: 750 },
  { name: 'Städbolaget', food: 0 },
  { name: 'Restaurang', food: 600 },
  { name: 'Hotell', food: 350 },
  { name: 'Fastighetsservice', food: 0 },
  { name: 'Konditori', food: 800 },
  { name: 'Bageri', food: 700 },
  { name: 'Marin', food: 100 },
  { name: 'Kontorsservice', food: 250 },
  { name: 'Vårdcentral', food: 100 },
  { name: 'Lokalvård', food: 20 },
];
const SUFFIXES = ['AB', 'AB', 'AB', 'HB', '& Söner AB', 'Ek. för.', 'i Sverige AB', 'KB'];
const STREETS = ['Storgatan', 'Kungsgatan', 'Drottninggatan', 'Industrivägen', 'Hamngatan', 'Exportgatan', 'Kopparbergsvägen', 'Stenåldersgatan', 'Rosendalsvägen', 'Järnvägsgatan', 'Skolgatan', 'Östra Långgatan', 'Västra Hamngatan', 'Åvägen', 'Bruksgatan', 'Sjötullsgatan'];
const ADDRESS2 = ['Port 3', 'Lager B', '2 tr', 'Box 4021', 'Varuintag baksidan', 'Köksingången', 'c/o Ekonomi', 'Plan 4'];
const DELIVERY2 = ['Varuintag baksidan', 'Lastkaj 2', 'Köksingången', 'Godsmottagningen', 'Lager B', 'Bageriet, gården'];
const SE_CITIES: ReadonlyArray<[string, number]> = [
  ['Stockholm', 111], ['Göteborg', 411], ['Malmö', 211], ['Uppsala', 751], ['Västerås', 722], ['Örebro', 702], ['Linköping', 582], ['Helsingborg', 252],
  ['Jönköping', 553], ['Norrköping', 602], ['Lund', 222], ['Umeå', 903], ['Gävle', 802], ['Borås', 503], ['Södertälje', 151], ['Eskilstuna', 632],
  ['Karlstad', 652], ['Täby', 183], ['Växjö', 352], ['Halmstad', 302], ['Sundsvall', 852], ['Luleå', 972], ['Trollhättan', 461], ['Östersund', 831],
];
const FI_CITIES: ReadonlyArray<[string, number]> = [['Helsinki', 1], ['Turku', 20], ['Tampere', 33], ['Vaasa', 65], ['Espoo', 2]];
const NO_CITIES: ReadonlyArray<[string, number]> = [['Bergen', 50], ['Oslo', 1], ['Trondheim', 70], ['Stavanger', 40], ['Tromsø', 90]];
const DK_CITIES: ReadonlyArray<[string, number]> = [['Helsingør', 30], ['København', 10], ['Aarhus', 80]];

/** How often a customer has 1..4 buyers, delivery addresses. */
const REF_WEIGHTS = [30, 40, 20, 10];
const DELIVERY_WEIGHTS = [60, 25, 10, 5];
/** Activity tiers (share of customers ‰ → integer weight range): many small, a few key accounts. */
const TIERS: ReadonlyArray<{ share: number; min: number; max: number }> = [
  { share: 600, min: 1, max: 3 },
  { share: 300, min: 4, max: 15 },
  { share: 85, min: 16, max: 60 },
  { share: 15, min: 61, max: 400 },
];

function person(rng: Rng): string {
  return `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
}

function makeAddress(rng: Rng, country: 'SE' | 'FI' | 'NO' | 'DK', spelled: string, second: readonly string[], reference: string): Addr {
  const [city, zipBase] = rng.pick(country === 'SE' ? SE_CITIES : country === 'FI' ? FI_CITIES : country === 'NO' ? NO_CITIES : DK_CITIES);
  let zipcode: string;
  if (country === 'SE') {
    const z = zipBase * 100 + rng.int(0, 99);
    zipcode = rng.chance(0.7) ? `${String(z).slice(0, 3)} ${String(z).slice(3)}` : String(z);
  } else if (country === 'FI') zipcode = String(zipBase * 1000 + rng.int(0, 9) * 10).padStart(5, '0');
  else zipcode = String(zipBase * 100 + rng.int(0, 99)).padStart(4, '0');
  return {
    address: `${rng.pick(STREETS)} ${rng.int(1, 120)}${rng.chance(0.1) ? ' B' : ''}`,
    address2: rng.chance(0.3) ? rng.pick(second) : '',
    zipcode,
    ziparea: city,
    country: spelled,
    reference,
  };
}

function makeCustomer(rng: Rng, i: number, catalogue: readonly Product[]): Customer {
  const kind = rng.weighted([900, 40, 50, 10]); // SE, FI, NO, SE with Danish deliveries
  const country = kind === 1 ? 'FI' : kind === 2 ? 'NO' : 'SE';
  const currency: Currency = country === 'FI' ? 'EUR' : country === 'NO' ? 'NOK' : 'SEK';
  const trade = rng.pick(TRADES);
  const place = rng.pick(PLACES);
  let name: string;
  if (country === 'FI') name = `Oy ${place} ${trade.name} Ab`;
  else if (country === 'NO') name = `${trade.name} ${place} AS`;
  else if (rng.chance(0.02)) name = `${place} kommun – ${rng.pick(['Förskoleförvaltningen', 'Fastighetskontoret', 'Kostenheten'])}`;
  else name = rng.chance(0.3) ? `${rng.pick(LAST_NAMES)}s ${trade.name} ${rng.pick(SUFFIXES)}` : `${trade.name} ${place} ${rng.pick(SUFFIXES)}`;
  const spelled = (iso2: string): string => {
    const form = rng.weighted([50, 45, 5]);
    const names: Record<string, [string, string]> = { SE: ['Sverige', 'SWE'], FI: ['Finland', 'FIN'], NO: ['Norge', 'NOR'], DK: ['Danmark', 'DNK'] };
    const [n, iso3] = names[iso2]!;
    return form === 0 ? n : form === 1 ? iso2 : iso3;
  };
  const references = Array.from({ length: rng.weighted(REF_WEIGHTS) + 1 }, () => person(rng));
  const invoice = makeAddress(rng, country, spelled(country), ADDRESS2, '');
  const deliveries = Array.from({ length: rng.weighted(DELIVERY_WEIGHTS) + 1 }, (_, k) =>
    k === 0 && rng.chance(0.5) ? { ...invoice, reference: rng.chance(0.4) ? rng.pick(references) : '' } : makeAddress(rng, kind === 3 ? 'DK' : country, spelled(kind === 3 ? 'DK' : country), DELIVERY2, rng.chance(0.5) ? person(rng) : rng.chance(0.3) ? 'Godsmottagningen' : ''),
  );
  const favourites = Array.from({ length: rng.int(5, 25) }, () => rng.int(0, catalogue.length - 1));
  const fee = currency === 'EUR' ? 1900 : currency === 'NOK' ? 24900 : rng.pick([14900, 14900, 19500, 29500, 39500]);
  return {
    no: String(FIRST_CUSTOMER_NO + i),
    name,
    currency,
    invoice,
    deliveries,
    iso2: country,
    references,
    food: trade.food,
    discount: rng.pick([0, 0, 0, 5, 5, 10, 15]),
    paymentDays: rng.pick([10, 14, 20, 30, 30, 30, 45]),
    shippingMinor: rng.chance(0.03) ? 0 : fee,
    freeShippingFromMinor: currency === 'EUR' ? 50000 : rng.pick([300000, 500000, 800000, 1000000]),
    favourites,
  };
}

// ---------------------------------------------------------------------------------------------
// Orders, streamed in date order

interface Line {
  no: number;
  product: Product;
  qty: number;
  price: number;
  discount: number;
  amount: number;
}

interface Order {
  id: string;
  customer: Customer;
  day: number;
  date: string;
  status: 'Aktiv' | 'Levererad' | 'Makulerad';
  reference: string;
  po: string;
  comment: string;
  delivery: Addr;
  shipping: number;
  lines: Line[];
}

const COMMENTS = [
  'Leverans före kl 12',
  'Ring innan leverans',
  'Restnoterade artiklar skickas separat',
  'Lämnas i varumottagningen',
  'Enligt avtal 2024',
  'Kontakta Göran vid frågor',
  'Leverans till bakre lastkajen; ring 30 min innan',
  'Märk kartongerna "Kök"',
  'Delleverans OK – resten när det finns',
];
const MULTILINE_COMMENT = 'Leverans till bakre lastkajen; ring Göran 30 min innan.\r\nPortkod 4512, mottagning vardagar 07–15';
const EURO_COMMENT = 'Fraktfritt över 500 € enligt avtal';
const PO_PREFIX = ['PO-', 'Projekt ', 'IO ', ''];
const PROJECTS = ['Ekbacken', 'Solrosen', 'Hamnen', 'Kv. Åsen', 'Vårstädning', 'Höstrengöring'];
/** Relative order volume per month (Jan..Dec): quiet July, busy autumn. */
const MONTH_WEIGHT = [8, 10, 10, 10, 10, 9, 4, 8, 11, 11, 11, 7];
/** Relative volume per weekday (Sun..Sat). */
const WEEKDAY_WEIGHT = [0, 12, 11, 10, 10, 8, 0];

const rowAmount = (qtyTenths: number, price: number, discount: number): number => roundDiv(qtyTenths * price * (100 - discount), 1000);

export class OrderSource {
  private readonly rng: Rng;
  readonly catalogue: Product[];
  readonly customers: Customer[];
  private readonly cumulative: Float64Array;
  private readonly food: number[];
  private readonly nonFood: number[];
  private readonly p: GenerateParams;

  /** Cancelled orders (Makulerad on every line) occur only where the dialect has them (CSV). */
  private readonly cancellations: boolean;

  constructor(p: GenerateParams) {
    this.p = p;
    this.cancellations = p.format === 'csv';
    this.rng = new Rng(p.seed);
    this.catalogue = buildCatalogue(this.rng);
    this.food = [];
    this.nonFood = [];
    this.catalogue.forEach((prod, i) => (prod.vat === 12 ? this.food : this.nonFood).push(i));
    this.customers = Array.from({ length: p.customers }, (_, i) => makeCustomer(this.rng, i, this.catalogue));
    this.cumulative = new Float64Array(p.customers);
    let sum = 0;
    for (let i = 0; i < p.customers; i++) {
      const t = TIERS[this.rng.weighted(TIERS.map((x) => x.share))]!;
      sum += this.rng.int(t.min, t.max);
      this.cumulative[i] = sum;
    }
  }

  private pickCustomer(): Customer {
    const r = this.rng.next() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return this.customers[lo]!;
  }

  /** 1 + geometric: mean `linesPerOrder`, capped (and never more articles than the catalogue has). */
  private lineCount(): number {
    const p = 1 / Math.max(1, this.p.linesPerOrder);
    const cap = Math.min(this.catalogue.length, Math.max(40, Math.ceil(this.p.linesPerOrder * 8)));
    let n = 1;
    while (n < cap && this.rng.next() >= p) n++;
    return n;
  }

  private makeLines(c: Customer, count: number): Line[] {
    const rng = this.rng;
    const used: number[] = [];
    const lines: Line[] = [];
    while (lines.length < count) {
      let idx = rng.chance(0.7) ? rng.pick(c.favourites) : rng.int(0, 999) < c.food ? rng.pick(this.food) : rng.pick(this.nonFood);
      // One row per article and order: on a repeat take the next unused article of the catalogue.
      while (used.includes(idx)) idx = (idx + 1) % this.catalogue.length;
      used.push(idx);
      const product = this.catalogue[idx]!;
      const qty = product.machine ? rng.int(1, 2) * 10 : product.decimalQty ? rng.int(5, 250) : rng.pick([1, 2, 3, 4, 5, 6, 8, 10, 12, 20, 24, 48]) * 10;
      const price = priceIn(c.currency, product.price);
      let discount = product.vat === 25 ? c.discount : 0;
      if (product.machine && rng.chance(0.5)) discount = 15;
      lines.push({ no: lines.length + 1, product, qty, price, discount, amount: rowAmount(qty, price, discount) });
    }
    return lines;
  }

  /** Orders in date order, exactly `lines` lines in all, spread over `years` calendar years of workdays. */
  *orders(): Generator<Order> {
    const rng = this.rng;
    const lastDay = toDay(LAST_ORDER_DATE);
    const firstDay = toDay(`${Number(LAST_ORDER_DATE.slice(0, 4)) - this.p.years + 1}-01-02`);
    const span = lastDay - firstDay + 1;
    const weights: number[] = [];
    let total = 0;
    for (let d = firstDay; d <= lastDay; d++) {
      const month = Number(fromDay(d).slice(5, 7)) - 1;
      // Business grows: +50 % over the span.
      const w = MONTH_WEIGHT[month]! * WEEKDAY_WEIGHT[weekday(d)]! * (200 + Math.floor((100 * (d - firstDay)) / span));
      weights.push(w);
      total += w;
    }
    let emitted = 0;
    let cum = 0;
    let orderNo = FIRST_ORDER_NO;
    for (let k = 0; k < weights.length && emitted < this.p.lines; k++) {
      cum += weights[k]!;
      const target = k === weights.length - 1 ? this.p.lines : Math.floor((this.p.lines * cum) / total);
      const day = firstDay + k;
      const date = fromDay(day);
      while (emitted < target) {
        const c = this.pickCustomer();
        const lines = this.makeLines(c, Math.min(this.lineCount(), this.p.lines - emitted));
        emitted += lines.length;
        const net = lines.reduce((s, l) => s + l.amount, 0);
        let comment = rng.chance(0.12) ? rng.pick(COMMENTS) : '';
        if (c.currency === 'EUR' && rng.chance(0.05)) comment = EURO_COMMENT;
        if (rng.chance(0.0005)) comment = MULTILINE_COMMENT;
        const prefix = rng.pick(PO_PREFIX);
        const po = rng.chance(0.6) ? '' : prefix === 'Projekt ' ? `${prefix}${rng.pick(PROJECTS)}` : `${prefix}${rng.int(1000, 99999)}`;
        const cancelled = rng.chance(0.003) && this.cancellations;
        yield {
          id: String(orderNo++),
          customer: c,
          day,
          date,
          status: cancelled ? 'Makulerad' : date > INVOICE_CUTOFF ? 'Aktiv' : 'Levererad',
          reference: rng.pick(c.references),
          po,
          comment: cancelled ? 'Dubbelregistrerad – makulerad' : comment,
          delivery: rng.pick(c.deliveries),
          shipping: net >= c.freeShippingFromMinor ? 0 : c.shippingMinor,
          lines,
        };
      }
    }
  }

  /** Dice for the invoice writer, from the same stream (so XML output is deterministic too). */
  int(min: number, max: number): number {
    return this.rng.int(min, max);
  }
  chance(p: number): boolean {
    return this.rng.chance(p);
  }
}

// ---------------------------------------------------------------------------------------------
// Writers

const CSV_COLUMNS = [
  'Ordernr', 'Kundnr', 'Kundnamn', 'Orderdatum', 'Status', 'Er referens', 'Godsmärke', 'Kommentar', 'Valuta', 'Frakt',
  'Fakt.adress', 'Fakt.adress2', 'Fakt.postnr', 'Fakt.ort', 'Fakt.land',
  'Lev.referens', 'Lev.adress', 'Lev.adress2', 'Lev.postnr', 'Lev.ort', 'Lev.land',
  'Radnr', 'Artikelnr', 'Benämning', 'Antal', 'À-pris', 'Rabatt %', 'Radbelopp', 'Moms %',
  'Levererat', 'Beräknad leverans', 'Kolli-id', 'Speditör',
] as const;

const NEEDS_QUOTES = /[;"\r\n]/;
export const csvField = (value: string): string => (NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

const xmlEscape = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const xmlText = (s: string): string => (/[&<]/.test(s) && !s.includes(']]>') ? `<![CDATA[${s}]]>` : xmlEscape(s));

/** Text → bytes in ~1 MiB chunks with backpressure. */
export class ChunkWriter {
  private parts: string[] = [];
  private size = 0;
  bytes = 0;
  private readonly out: ReturnType<typeof createWriteStream>;
  private readonly encode: (text: string) => Buffer;

  constructor(file: string, encoding: 'windows-1252' | 'utf-8') {
    this.out = createWriteStream(file);
    this.encode = encoding === 'utf-8' ? (t) => Buffer.from(t, 'utf8') : (t) => iconv.encode(t, 'windows-1252');
  }

  async add(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const bytes = this.encode(this.parts.join(''));
    this.parts = [];
    this.size = 0;
    this.bytes += bytes.length;
    if (!this.out.write(bytes)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }

  destroy(): void {
    this.out.destroy();
  }
}

/** Every text the generator can emit must survive Windows-1252 (iconv-lite would write `?` instead). */
function assertCp1252(src: OrderSource): void {
  const texts: string[] = [...CSV_COLUMNS, ...COMMENTS, MULTILINE_COMMENT, EURO_COMMENT, 'Dubbelregistrerad – makulerad', ...PROJECTS];
  for (const p of src.catalogue) texts.push(p.name, p.model);
  for (const c of src.customers) {
    texts.push(c.name, ...c.references);
    for (const a of [c.invoice, ...c.deliveries]) texts.push(a.address, a.address2, a.zipcode, a.ziparea, a.country, a.reference);
  }
  const all = texts.join('\n');
  if (iconv.decode(iconv.encode(all, 'windows-1252'), 'windows-1252') !== all) throw new Error('generator tables hold characters outside Windows-1252');
}

interface Counters {
  documents: number;
  cancelled: number;
  perCustomer: Uint32Array;
  firstDate: string;
  lastDate: string;
}

async function writeCsv(src: OrderSource, w: ChunkWriter, n: Counters): Promise<void> {
  await w.add(CSV_COLUMNS.join(';') + '\r\n');
  for (const o of src.orders()) {
    const c = o.customer;
    const inv = c.invoice;
    const d = o.delivery;
    // The order's header columns, repeated on each of its lines.
    const head = [
      o.id, c.no, csvField(c.name), o.date.replaceAll('-', ''), o.status, csvField(o.reference), csvField(o.po), csvField(o.comment), c.currency, formatMinor(o.shipping, ',', true),
      csvField(inv.address), csvField(inv.address2), inv.zipcode, csvField(inv.ziparea), inv.country,
      csvField(d.reference), csvField(d.address), csvField(d.address2), d.zipcode, csvField(d.ziparea), d.country,
    ].join(';');
    // Delivered in full, one PostNord parcel per order (the sample has the partial deliveries).
    const tracking = `00370712${String(o.id).padStart(12, '0')}`;
    let text = '';
    for (const l of o.lines) {
      // The ERP prints unit prices plain and row amounts with thousands grouping.
      const qty = formatQty(l.qty, ',');
      text += `${head};${l.no};${l.product.model};${csvField(l.product.name)};${qty};${formatMinor(l.price, ',', false)};${l.discount};${formatMinor(l.amount, ',', true)};${l.product.vat};${qty};;${tracking};PostNord\r\n`;
    }
    await w.add(text);
    count(n, o);
    if (o.status === 'Makulerad') n.cancelled++;
  }
}

async function writeXml(src: OrderSource, w: ChunkWriter, n: Counters): Promise<void> {
  await w.add(`<?xml version="1.0" encoding="UTF-8"?>\n<Fakturor exportdatum="${EXPORT_DATE}">\n`);
  let invoiceNo = FIRST_INVOICE_NO;
  const exportDay = toDay(EXPORT_DATE);
  for (const o of src.orders()) {
    if (o.status === 'Makulerad') {
      n.cancelled++;
      continue; // a cancelled order is never invoiced; its lines do not count
    }
    const c = o.customer;
    const day = addWorkdays(o.day, src.int(1, 8));
    const due = day + c.paymentDays;
    const status = due >= exportDay ? 'Obetald' : src.chance(0.93) ? 'Betald' : 'Förfallen';
    // Lines + shipping, plus VAT rounded per rate; shipping taxed at 25 %.
    const base = new Map<number, number>([[25, o.shipping]]);
    for (const l of o.lines) base.set(l.product.vat, (base.get(l.product.vat) ?? 0) + l.amount);
    let total = 0;
    for (const [rate, net] of base) total += net + roundDiv(net * rate, 100);
    const el = (name: string, value: string, indent = '\t\t') => `${indent}<${name}>${xmlEscape(value)}</${name}>\n`;
    let text =
      `\t<Faktura nr="${invoiceNo++}">\n` +
      el('Kundnr', c.no) +
      el('Fakturadatum', fromDay(day)) +
      el('Forfallodatum', fromDay(due)) +
      el('Status', status) +
      el('Ordernr', o.id) +
      el('ErReferens', o.reference) +
      el('Valuta', c.currency) +
      el('Frakt', formatMinor(o.shipping, '.', false)) +
      el('Summa', formatMinor(total, '.', false)) +
      '\t\t<Kund>\n' +
      el('Namn', c.name, '\t\t\t') +
      el('Adress', c.invoice.address, '\t\t\t') +
      el('Postnr', c.invoice.zipcode.replaceAll(' ', ''), '\t\t\t') +
      el('Ort', c.invoice.ziparea, '\t\t\t') +
      el('Land', c.iso2, '\t\t\t') +
      '\t\t</Kund>\n\t\t<Rader>\n';
    for (const l of o.lines) {
      text +=
        `\t\t\t<Rad nr="${l.no}">\n` +
        el('Artikelnr', l.product.model, '\t\t\t\t') +
        `\t\t\t\t<Benamning>${xmlText(l.product.name)}</Benamning>\n` +
        el('Antal', formatQty(l.qty, '.'), '\t\t\t\t') +
        el('Pris', formatMinor(l.price, '.', false), '\t\t\t\t') +
        el('Rabatt', String(l.discount), '\t\t\t\t') +
        el('Belopp', formatMinor(l.amount, '.', false), '\t\t\t\t') +
        el('Moms', String(l.product.vat), '\t\t\t\t') +
        '\t\t\t</Rad>\n';
    }
    text += '\t\t</Rader>\n\t</Faktura>\n';
    await w.add(text);
    count(n, o);
  }
  await w.add('</Fakturor>\n');
}

function count(n: Counters, o: Order): void {
  n.documents++;
  n.perCustomer[Number(o.customer.no) - FIRST_CUSTOMER_NO]!++;
  if (!n.firstDate) n.firstDate = o.date;
  n.lastDate = o.date;
}

export function checkParams(p: GenerateParams): void {
  const positiveInt = (name: string, v: number, max: number) => {
    if (!Number.isInteger(v) || v < 1 || v > max) throw new Error(`--${name} must be a whole number from 1 to ${max}, got ${v}`);
  };
  positiveInt('lines', p.lines, 100_000_000);
  positiveInt('customers', p.customers, 10_000_000);
  positiveInt('years', p.years, 50);
  positiveInt('seed', p.seed, 0xffffffff);
  if (!(p.linesPerOrder >= 1 && p.linesPerOrder <= 100)) throw new Error(`--lines-per-order must be from 1 to 100, got ${p.linesPerOrder}`);
  if (p.format !== 'csv' && p.format !== 'xml') throw new Error(`--format must be csv or xml, got ${String(p.format)}`);
}

/** Writes `<outDir>/<benchFileName>` and its `.params.json`; returns what was written. */
export async function generate(params: GenerateParams, outDir: string = BENCH_DIR): Promise<GenerateStats> {
  const p = normalizeParams(params);
  checkParams(p);
  const started = performance.now();
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, benchFileName(p));
  const tmp = `${file}.tmp`;
  rmSync(paramsFileOf(file), { force: true });
  const src = new OrderSource(p);
  if (p.format === 'csv') assertCp1252(src);
  const w = new ChunkWriter(tmp, p.format === 'csv' ? 'windows-1252' : 'utf-8');
  const n: Counters = { documents: 0, cancelled: 0, perCustomer: new Uint32Array(p.customers), firstDate: '', lastDate: '' };
  try {
    await (p.format === 'csv' ? writeCsv(src, w, n) : writeXml(src, w, n));
    await w.close();
  } catch (err) {
    w.destroy();
    rmSync(tmp, { force: true });
    throw err;
  }
  renameSync(tmp, file);
  let used = 0;
  let max = 0;
  for (const k of n.perCustomer) {
    if (k > 0) used++;
    if (k > max) max = k;
  }
  const stats: GenerateStats = {
    file,
    bytes: w.bytes,
    lines: p.lines,
    documents: n.documents,
    cancelled: n.cancelled,
    customersUsed: used,
    maxDocumentsPerCustomer: max,
    firstDate: n.firstDate,
    lastDate: n.lastDate,
    ms: Math.round(performance.now() - started),
  };
  writeFileSync(paramsFileOf(file), JSON.stringify({ version: GENERATOR_VERSION, params: p, stats: { ...stats, file: path.basename(file) } }, null, 2) + '\n');
  return stats;
}

/** The parameters of `--lines/--customers/...` shared by generate.ts and ingest.ts. */
export const PARAM_OPTIONS = {
  lines: { type: 'string' },
  customers: { type: 'string' },
  'lines-per-order': { type: 'string' },
  years: { type: 'string' },
  seed: { type: 'string' },
  format: { type: 'string' },
} as const;

export function paramsFromArgs(values: Partial<Record<keyof typeof PARAM_OPTIONS, string | undefined>>): GenerateParams {
  const num = (v: string | undefined, d: number) => (v === undefined ? d : Number(v.replaceAll('_', '').replaceAll(',', '')));
  const p: GenerateParams = {
    format: (values.format ?? DEFAULTS.format) as BenchFormat,
    lines: num(values.lines, DEFAULTS.lines),
    customers: num(values.customers, DEFAULTS.customers),
    linesPerOrder: num(values['lines-per-order'], DEFAULTS.linesPerOrder),
    years: num(values.years, DEFAULTS.years),
    seed: num(values.seed, DEFAULTS.seed),
  };
  checkParams(p);
  return p;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { ...PARAM_OPTIONS, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    process.stdout.write(
      'usage: node --import tsx test/bench/generate.ts [--lines 1000000] [--customers 20000] [--lines-per-order 5] [--years 3] [--seed 20251130] [--format csv|xml] [--out .bench]\n',
    );
    return;
  }
  const p = paramsFromArgs(values);
  const stats = await generate(p, path.resolve(values.out ?? BENCH_DIR));
  process.stdout.write(JSON.stringify({ params: p, ...stats }, null, 2) + '\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  });
}
