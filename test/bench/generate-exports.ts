/**
 * Benchmark input for issue 17's feeds, beside the order export of generate.ts: a stock export, a
 * customer register with price groups and a price list, in the Swedish dialect of the bundled samples
 * (samples/exports/lagersaldo_*, kundregister_*, prislista_*): Windows-1252, `;`, decimal comma,
 * CRLF, dates YYYYMMDD, so the sample config's feeds se-lagersaldo, se-kunder and se-priser read them.
 *
 * - `lagersaldo_bench_<articles>.csv`: every article in warehouse HUVUD, ~30 % also in NORR and ~15 %
 *   in SYD; Saldo with thousands grouping, Disponibelt (now and then negative), ~15 % with a next
 *   incoming delivery.
 * - `kundregister_bench_<customers>.csv`: the order export's customers (same numbers, names and
 *   addresses), each in one of `priceGroups` price groups.
 * - `prislista_bench_<articles>.csv`: a SEK list price per article (~20 % with a quantity break at 10,
 *   ~10 % also in EUR, ~5 % with a new price from 2026-01-01), 100–300 group prices per price group
 *   (~20 % with a break at 50, some valid from 2025-01-01) and customer prices for ~10 % of the
 *   customers (1–10 articles each, half valid 2025-11-01..2026-12-31). Rows of one article together.
 *
 * The articles are the order export's catalogue followed by generated ones up to `articles`.
 * Deterministic like generate.ts (seeded PRNG, integer arithmetic). `<file>.params.json` beside the
 * price list names a probe for the compute-path timing: a customer with prices of its own and 50
 * articles mixing its own, its group's and list prices.
 *
 *   node --import tsx test/bench/generate-exports.ts [--articles 100000] [--customers 20000] [--price-groups 500] [--seed 20251130]
 */
import { existsSync, readFileSync, renameSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCH_DIR, ChunkWriter, DEFAULTS, OrderSource, Rng, csvField, formatMinor, roundDiv, type Product } from './generate.ts';

/** Bump when the output for the same parameters changes. */
export const EXPORTS_VERSION = 1;

export interface ExportParams {
  articles: number;
  customers: number;
  priceGroups: number;
  seed: number;
}

export const EXPORT_DEFAULTS: ExportParams = {
  articles: 100_000,
  customers: DEFAULTS.customers,
  priceGroups: 500,
  seed: DEFAULTS.seed,
};

export interface ExportFiles {
  stock: string;
  customers: string;
  prices: string;
}

export interface ExportStats {
  files: ExportFiles;
  bytes: Record<keyof ExportFiles, number>;
  rows: Record<keyof ExportFiles, number>;
  customerPrices: number;
  customersWithPrices: number;
  groupPrices: number;
  /** For the compute-path timing: a customer with prices of its own, and 50 articles. */
  probe: { customer: string; group: string; articles: string[] };
  ms: number;
}

export function exportFiles(p: ExportParams, dir: string = BENCH_DIR): ExportFiles {
  return {
    stock: path.join(dir, `lagersaldo_bench_${p.articles}.csv`),
    customers: path.join(dir, `kundregister_bench_${p.customers}.csv`),
    prices: path.join(dir, `prislista_bench_${p.articles}.csv`),
  };
}

const sidecar = (f: ExportFiles): string => `${f.prices}.params.json`;

/** The stats of files made with exactly these parameters, or undefined. */
export function readExportStats(p: ExportParams, dir: string = BENCH_DIR): ExportStats | undefined {
  const f = exportFiles(p, dir);
  if (![f.stock, f.customers, f.prices, sidecar(f)].every((x) => existsSync(x))) return undefined;
  try {
    const meta = JSON.parse(readFileSync(sidecar(f), 'utf8')) as {
      version?: number;
      params?: ExportParams;
      stats: ExportStats;
    };
    if (meta.version !== EXPORTS_VERSION || JSON.stringify(meta.params) !== JSON.stringify(norm(p))) return undefined;
    return { ...meta.stats, files: f };
  } catch {
    return undefined;
  }
}

const norm = (p: ExportParams): ExportParams => ({
  articles: p.articles,
  customers: p.customers,
  priceGroups: p.priceGroups,
  seed: p.seed,
});

const GROUP_WORDS = ['BYGG', 'STAD', 'HOTELL', 'KOMMUN', 'VÅRD', 'SKOLA', 'KROG', 'INDUSTRI', 'BUTIK', 'KONTOR'];
const groupName = (i: number): string => `${GROUP_WORDS[i % GROUP_WORDS.length]}-${String(Math.floor(i / GROUP_WORDS.length) + 1).padStart(2, '0')}`;
const WAREHOUSES = ['HUVUD', 'NORR', 'SYD'] as const;
const day = (iso: string): string => iso.replaceAll('-', '');

/** Integer with a space every three digits, as the ERP prints quantities ("1 250"). */
function grouped(n: number): string {
  const s = String(Math.abs(n));
  let out = '';
  for (let i = s.length; i > 0; i -= 3) out = s.slice(Math.max(0, i - 3), i) + (out ? ` ${out}` : '');
  return `${n < 0 ? '-' : ''}${out}`;
}
/** Tenths as the ERP prints a stock quantity: grouped whole part, one decimal only when there is one. */
const stockQty = (tenths: number): string => (tenths % 10 === 0 ? grouped(tenths / 10) : `${grouped(Math.trunc(tenths / 10))},${Math.abs(tenths % 10)}`);

interface Article {
  no: string;
  price: number;
  decimalQty: boolean;
}

function articlesOf(catalogue: readonly Product[], n: number, rng: Rng): Article[] {
  const out: Article[] = catalogue.slice(0, n).map((p) => ({ no: p.model, price: p.price, decimalQty: p.decimalQty }));
  const prefixes = [...new Set(catalogue.filter((p) => p.vat === 25).map((p) => p.model.split('-')[0]!))];
  for (let k = out.length; k < n; k++) {
    // Outside the catalogue's number ranges (its serials stay far below 200000).
    const food = rng.chance(0.15);
    out.push({
      no: food ? String(700000 + k) : `${prefixes[k % prefixes.length]}-${200000 + k}`,
      price: rng.int(900, 250000),
      decimalQty: rng.chance(0.03),
    });
  }
  return out;
}

export async function generateExports(params: ExportParams, outDir: string = BENCH_DIR): Promise<ExportStats> {
  const p = norm(params);
  for (const [k, v, max] of [
    ['articles', p.articles, 10_000_000],
    ['customers', p.customers, 10_000_000],
    ['price-groups', p.priceGroups, 100_000],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > max) throw new Error(`--${k} must be a whole number from 1 to ${max}, got ${v}`);
  }
  const started = performance.now();
  mkdirSync(outDir, { recursive: true });
  const files = exportFiles(p, outDir);
  rmSync(sidecar(files), { force: true });
  // The order export's catalogue and customers (same seed and customer count as generate.ts).
  const src = new OrderSource({
    ...DEFAULTS,
    customers: p.customers,
    seed: p.seed,
  });
  const rng = new Rng((p.seed ^ 0x5eed17) >>> 0);
  const articles = articlesOf(src.catalogue, p.articles, rng);
  const groups = Array.from({ length: p.priceGroups }, (_, i) => groupName(i));
  const bytes = { stock: 0, customers: 0, prices: 0 };
  const rows = { stock: 0, customers: 0, prices: 0 };

  const write = async (key: keyof ExportFiles, header: string, body: (add: (line: string) => Promise<void>) => Promise<void>): Promise<void> => {
    const tmp = `${files[key]}.tmp`;
    const w = new ChunkWriter(tmp, 'windows-1252');
    try {
      await w.add(`${header}\r\n`);
      await body(async (line) => {
        rows[key]++;
        await w.add(`${line}\r\n`);
      });
      await w.close();
    } catch (err) {
      w.destroy();
      rmSync(tmp, { force: true });
      throw err;
    }
    renameSync(tmp, files[key]);
    bytes[key] = w.bytes;
  };

  await write('stock', 'Artikelnr;Lager;Saldo;Disponibelt;Nästa inleverans;Inleverans antal', async (add) => {
    for (const a of articles) {
      for (const [wi, wh] of WAREHOUSES.entries()) {
        if (wi === 1 && !rng.chance(0.3)) continue;
        if (wi === 2 && !rng.chance(0.15)) continue;
        const unit = a.decimalQty ? 1 : 10; // tenths
        const onHand = rng.chance(0.08) ? 0 : rng.int(1, wi === 0 ? 5000 : 600) * unit;
        const reserved = rng.chance(0.05) ? onHand + rng.int(1, 50) * unit : rng.int(0, Math.floor(onHand / unit / 4)) * unit;
        const incoming = onHand === 0 || rng.chance(0.12);
        const when = incoming ? day(new Date(Date.UTC(2025, 11, 1 + rng.int(0, 90))).toISOString().slice(0, 10)) : '';
        const qty = incoming ? grouped(rng.int(1, 40) * 10) : '';
        await add(`${a.no};${wh};${stockQty(onHand)};${stockQty(onHand - reserved)};${when};${qty}`);
      }
    }
  });

  const groupOf = src.customers.map(() => groups[rng.int(0, groups.length - 1)]!);
  await write('customers', 'Kundnr;Namn;Adress;Adress2;Postnr;Ort;Land;Er referens;Standardleveransadress;Prisgrupp', async (add) => {
    for (const [i, c] of src.customers.entries()) {
      const a = c.invoice;
      await add([c.no, csvField(c.name), csvField(a.address), csvField(a.address2), a.zipcode, csvField(a.ziparea), a.country, csvField(c.references[0] ?? ''), '', groupOf[i]].join(';'));
    }
  });

  // Rows per article (index), so each article's rows are written together.
  const extra: string[][] = articles.map(() => []);
  let groupPrices = 0;
  for (const g of groups) {
    const n = rng.int(100, 300);
    const discount = rng.int(5, 25);
    const dated = rng.chance(0.3);
    const taken = new Set<number>(); // one price per article and group (a repeat would replace it)
    for (let k = 0; k < n; k++) {
      const ai = rng.chance(0.5) ? rng.int(0, Math.min(articles.length, src.catalogue.length) - 1) : rng.int(0, articles.length - 1);
      if (taken.has(ai)) continue;
      taken.add(ai);
      const a = articles[ai]!;
      const price = roundDiv(a.price * (100 - discount), 100);
      const from = dated ? '20250101' : '';
      extra[ai]!.push(`${a.no};Prisgrupp;${g};SEK;1;${formatMinor(price, ',', false)};${from};`);
      groupPrices++;
      if (rng.chance(0.2)) {
        extra[ai]!.push(`${a.no};Prisgrupp;${g};SEK;50;${formatMinor(roundDiv(price * 90, 100), ',', false)};${from};`);
        groupPrices++;
      }
    }
  }
  let customerPrices = 0;
  let customersWithPrices = 0;
  let probe: ExportStats['probe'] | undefined;
  for (const [i, c] of src.customers.entries()) {
    if (!rng.chance(0.1)) continue;
    customersWithPrices++;
    const own: string[] = [];
    const n = rng.int(1, 10);
    for (let k = 0; k < n; k++) {
      // Mostly its favourite articles (those it orders), now and then any article.
      const ai = rng.chance(0.8) && c.favourites.length ? c.favourites[rng.int(0, c.favourites.length - 1)]! : rng.int(0, articles.length - 1);
      if (ai >= articles.length) continue;
      const a = articles[ai]!;
      const price = roundDiv(a.price * rng.int(60, 90), 100);
      const [from, to] = rng.chance(0.5) ? ['20251101', '20261231'] : ['', ''];
      extra[ai]!.push(`${a.no};Kund;${c.no};SEK;1;${formatMinor(price, ',', false)};${from};${to}`);
      customerPrices++;
      if (rng.chance(0.15)) {
        extra[ai]!.push(`${a.no};Kund;${c.no};SEK;100;${formatMinor(roundDiv(price * 92, 100), ',', false)};${from};${to}`);
        customerPrices++;
      }
      own.push(a.no);
    }
    if (!probe && own.length >= 5) probe = { customer: c.no, group: groupOf[i]!, articles: own };
  }
  if (probe) {
    // The probe's group's articles, then list-price articles, to 50 distinct ones.
    const seen = new Set(probe.articles);
    const mine = `;Prisgrupp;${probe.group};`;
    for (const [ai, list] of extra.entries()) {
      if (seen.size >= 25) break;
      if (list.some((r) => r.includes(mine))) seen.add(articles[ai]!.no);
    }
    for (let ai = 0; seen.size < 50 && ai < articles.length; ai += Math.max(1, Math.floor(articles.length / 60))) seen.add(articles[ai]!.no);
    probe.articles = [...seen].slice(0, 50);
  }

  await write('prices', 'Artikelnr;Pristyp;Kod;Valuta;Från antal;Pris;Giltig från;Giltig till', async (add) => {
    for (const [ai, a] of articles.entries()) {
      const list = formatMinor(a.price, ',', false);
      await add(`${a.no};Alla;;SEK;1;${list};;`);
      if (rng.chance(0.2)) await add(`${a.no};Alla;;SEK;10;${formatMinor(roundDiv(a.price * 92, 100), ',', false)};;`);
      if (rng.chance(0.05)) await add(`${a.no};Alla;;SEK;1;${formatMinor(roundDiv(a.price * 105, 100), ',', false)};20260101;`);
      if (rng.chance(0.1)) await add(`${a.no};Alla;;EUR;1;${formatMinor(roundDiv(a.price * 100, 1140), ',', false)};;`);
      for (const r of extra[ai]!) await add(r);
    }
  });

  const stats: ExportStats = {
    files,
    bytes,
    rows,
    customerPrices,
    customersWithPrices,
    groupPrices,
    probe: probe ?? {
      customer: src.customers[0]!.no,
      group: groupOf[0]!,
      articles: articles.slice(0, 50).map((a) => a.no),
    },
    ms: Math.round(performance.now() - started),
  };
  const rel = {
    stock: path.basename(files.stock),
    customers: path.basename(files.customers),
    prices: path.basename(files.prices),
  };
  writeFileSync(sidecar(files), `${JSON.stringify({ version: EXPORTS_VERSION, params: p, stats: { ...stats, files: rel } }, null, 2)}\n`);
  return stats;
}

export const EXPORT_OPTIONS = {
  articles: { type: 'string' },
  'price-groups': { type: 'string' },
} as const;

export function exportParamsFrom(values: { articles?: string; 'price-groups'?: string; customers?: string; seed?: string }): ExportParams {
  const num = (v: string | undefined, d: number) => (v === undefined ? d : Number(v.replaceAll('_', '').replaceAll(',', '')));
  return {
    articles: num(values.articles, EXPORT_DEFAULTS.articles),
    customers: num(values.customers, EXPORT_DEFAULTS.customers),
    priceGroups: num(values['price-groups'], EXPORT_DEFAULTS.priceGroups),
    seed: num(values.seed, EXPORT_DEFAULTS.seed),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ...EXPORT_OPTIONS,
      customers: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
    },
    strict: true,
  });
  const stats = await generateExports(exportParamsFrom(values), path.resolve(values.out ?? BENCH_DIR));
  process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  });
}
