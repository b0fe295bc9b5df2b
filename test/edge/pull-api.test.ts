import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildComputeHandler, buildViewerRequest } from '../../src/edge/bundle.ts';
import { computeHandler } from '../../src/edge/compute/lambda.ts';
import { MAX_COUNT } from '../../src/edge/compute/params.ts';
import { kvsEntries } from '../../src/edge/kvs.ts';
import { startServer } from '../../src/serve/server.ts';
import { silent, tmpDir } from '../helpers.ts';
import { ingestSamples, readTree, sampleApp } from '../support/s3-app.ts';
import { startS3rver, type S3rverHandle } from '../support/s3rver.ts';
import { rawRequest } from '../serve/http.ts';
import { AUTH_CONFIG, AUTH_ENV, CREDENTIALS, NOW, SETTINGS, TOKENS, signed } from './cases.ts';
import { loadFunction } from './cloudfront-sim.ts';
import { cdnRequest, type Cdn } from './cdn.ts';
import { apiCases, expectedList, type FullLists, type ListName } from './pull-api-cases.ts';

const BUCKET = 'pull-api-cdn';
const ROOT = 'tenant-a';
const C = '10003';
/** The day prices are resolved for when a call names none (both compute paths are given it). */
const TODAY = '2025-12-04';
const bearer = { authorization: `Bearer ${TOKENS[1]}` };

let tree: Map<string, Buffer>;
let full: FullLists;
let pageSize: number;
let s3: S3rverHandle;
let serve: Awaited<ReturnType<typeof startServer>>;
let cdn: Cdn;
let closeApp: () => void;
let serveRoot: string;

const json = (b: Buffer) => JSON.parse(b.toString('utf8')) as Record<string, unknown>;

before(async () => {
  const dir = tmpDir('vp-pull-api');
  const app = sampleApp(dir);
  closeApp = () => app.close();
  await ingestSamples(app);
  serveRoot = app.target.root;
  tree = readTree(app.target.root);
  // The published whole-history lists, page after page: what every expectation is computed from.
  full = new Map();
  for (const key of tree.keys()) {
    const m = /^customers\/([^/]+)\/index\.json$/.exec(key);
    if (!m) continue;
    const lists = { orders: [], invoices: [], 'credit-invoices': [] } as Record<ListName, Array<Record<string, unknown>>>;
    for (const l of Object.keys(lists) as ListName[]) {
      for (let page = 1; tree.has(`customers/${m[1]}/${l}/pages/${page}.json`); page++) {
        const body = json(tree.get(`customers/${m[1]}/${l}/pages/${page}.json`)!);
        pageSize = body.per_page as number;
        lists[l].push(...(body.items as Array<Record<string, unknown>>));
      }
    }
    full.set(json(tree.get(key)!).customer_no as string, lists);
  }
  s3 = await startS3rver([BUCKET]);
  for (const [key, body] of tree) {
    await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${ROOT}/v1/${key}`, Body: body, ContentType: key.endsWith('.pdf') ? 'application/pdf' : 'application/json; charset=utf-8' }));
  }
  serve = await startServer({ host: '127.0.0.1', port: 0, edge: SETTINGS, credentials: CREDENTIALS, target: app.target, log: silent(), now: () => NOW, compute: { pageSize, currency: 'SEK', today: () => TODAY } });
  const fn = loadFunction(await buildViewerRequest(SETTINGS), kvsEntries(AUTH_CONFIG, AUTH_ENV));
  cdn = { fn, compute: computeHandler({ prefix: 'v1', pageSize, bucket: BUCKET, root: ROOT, currency: 'SEK', today: () => TODAY }, s3.client), s3: s3.client, bucket: BUCKET, root: ROOT };
});

after(async () => {
  await serve?.close();
  await s3?.close();
  closeApp?.();
});

async function both(path: string, query: string, headers: Record<string, string> = bearer) {
  const a = await rawRequest(serve.url, 'GET', query ? `${path}?${query}` : path, headers);
  const b = await cdnRequest(cdn, 'GET', path, query, headers, NOW);
  return { serve: a, cdn: b };
}

test('the samples publish one index per customer and per list and year, outside the servable layout', async () => {
  const manifests = [...tree.keys()].filter((k) => /^customers\/[^/]+\/index\.json$/.test(k));
  assert.equal(manifests.length, full.size);
  assert.ok(full.size >= 2);
  const m = json(tree.get(`customers/${C}/index.json`)!);
  assert.deepEqual(
    m.orders,
    [2025, 2024].map((y) => [y, full.get(C)!.orders.filter((i) => String(i.date).startsWith(`${y}-`)).length]),
  );
  const r = await both(`/v1/customers/${C}/index.json`, '');
  assert.equal(r.serve.status, 404, 'an index is not a document');
  assert.equal(r.cdn.status, 404);
});

test('the Pull API table: serve and the CDN path give the same exact answers, computed from the published full lists', async () => {
  const c10003 = full.get(C)!;
  const other = [...full.keys()].find((k) => k !== C && full.get(k)!['credit-invoices'].length === 0 && full.get(k)!.orders.length > 0)!;
  const creditId = c10003['credit-invoices'][0]!.id as string;
  const someDate = c10003.orders[9]!.date as string;
  const cases = apiCases(C, other, creditId, someDate);
  assert.ok(cases.length >= 150, `${cases.length} cases`);
  const via = { s3: 0, compute: 0, function: 0 };
  for (const c of cases) {
    const r = await both(c.path, c.query);
    assert.equal(r.cdn.status, r.serve.status, `${c.name}: same status`);
    assert.deepEqual(json(r.cdn.body), json(r.serve.body), `${c.name}: same body`);
    via[r.cdn.via]++;
    const body = json(r.serve.body);
    if ('status' in c.kind) {
      assert.equal(r.serve.status, c.kind.status, c.name);
      assert.deepEqual(Object.keys(body), ['error', 'message'], c.name);
      continue;
    }
    assert.equal(r.serve.status, 200, `${c.name}: ${r.serve.body}`);
    if ('document' in c.kind) {
      assert.deepEqual(body, json(tree.get(c.kind.document)!), c.name);
      continue;
    }
    const e = expectedList(full, c.kind.list, c.kind.customer, c.query, pageSize);
    assert.deepEqual((body.items as Array<{ id: string }>).map((i) => i.id), e.ids, `${c.name}: ids`);
    assert.deepEqual([body.total, body.total_pages, body.page, body.per_page], [e.total, e.total_pages, e.page, e.per_page], `${c.name}: totals`);
    const published = c.kind.static && tree.get(publishedKey(c.kind.customer, c.kind.list, c.query, c.kind.static.year));
    if (published) {
      assert.equal(r.cdn.via, 's3', `${c.name}: one object at the edge`);
      assert.deepEqual(body, json(published), `${c.name}: the published page as it is`);
    } else {
      assert.equal(r.cdn.via, 'compute', c.name);
      assert.deepEqual([body.date_from, body.date_to], [e.date_from, e.date_to], `${c.name}: the span of the filtered set`);
      assert.equal(body.customer_no, c.kind.customer, c.name);
      // Items as they are on the published pages, byte for byte.
      const all = full.get(c.kind.customer)?.[c.kind.list] ?? [];
      for (const item of body.items as Array<{ id: string }>) assert.deepEqual(item, all.find((i) => i.id === item.id), c.name);
    }
  }
  assert.ok(via.s3 >= 10 && via.compute > 100, JSON.stringify(via));
});

function publishedKey(customer: string, list: ListName, query: string, year?: number): string {
  const page = new URLSearchParams(query).get('page') ?? '1';
  return `customers/${customer}/${list}/${year === undefined ? '' : `years/${year}/`}pages/${page}.json`;
}

test('backorders: published for a known customer, empty for one the ERP never exported', async () => {
  const known = await both('/v1/backorders', `customer_no=${C}`);
  assert.equal(known.cdn.via, 's3');
  assert.deepEqual(json(known.serve.body), json(tree.get(`customers/${C}/backorders.json`)!));
  assert.deepEqual(json(known.cdn.body), json(known.serve.body));
  for (const q of ['customer_no=99999', 'customer_no=A%2FB']) {
    const r = await both('/v1/backorders', q);
    const customer = new URLSearchParams(q).get('customer_no');
    const expected = { schema_version: 1, type: 'backorders', customer_no: customer, total: 0, items: [] };
    assert.deepEqual([r.serve.status, json(r.serve.body)], [200, expected], q);
    assert.deepEqual([r.cdn.status, json(r.cdn.body), r.cdn.via], [200, expected, 'compute'], q);
  }
});

test(`offset/count: the maximum is ${MAX_COUNT}; a signed call reaches the compute path like a bearer one`, async () => {
  const q = `customer_no=${C}&from=2024-06-01&to=2025-05-31&count=3&offset=2`;
  const r = await both('/v1/orders', q, signed('GET', '/v1/orders', q));
  assert.equal(r.cdn.via, 'compute');
  const e = expectedList(full, 'orders', C, q, pageSize);
  assert.deepEqual((json(r.serve.body).items as Array<{ id: string }>).map((i) => i.id), e.ids);
  assert.deepEqual(json(r.cdn.body), json(r.serve.body));
  const over = await both('/v1/orders', `customer_no=${C}&count=${MAX_COUNT + 1}`);
  assert.deepEqual([over.serve.status, over.cdn.status], [400, 400]);
  assert.match(String(json(over.serve.body).message), new RegExp(`1 to ${MAX_COUNT}`));
});

test('the compute origin answers only list calls and missing published keys', async () => {
  for (const rawPath of ['/v1/customers/10003/index.json', '/v1/customers/10003/orders/index/2025.json', '/v1/nothing', '/v2/orders', '/v1/__proto__']) {
    const r = await cdn.compute({ rawPath, rawQueryString: `customer_no=${C}` });
    assert.equal(r.statusCode, 404, rawPath);
  }
  const post = await cdn.compute({ rawPath: '/v1/orders', rawQueryString: `customer_no=${C}`, requestContext: { http: { method: 'POST' } } });
  assert.equal(post.statusCode, 405);
});

test('the bundled compute handler (what `vendre-pull edge` writes to compute/index.mjs) is one ES module with the settings baked in', async () => {
  const code = await buildComputeHandler({ prefix: 'v1', pageSize: 50 });
  assert.match(code, /^\/\/ vendre-pull compute origin/);
  assert.doesNotMatch(code, /old-token|new-token|hmac-secret|pdf-link-secret/, 'no secret');
  assert.doesNotMatch(code, /@aws-sdk\/client-s3[^"]*"\)\s*\{/, 'the SDK is not bundled');
  const dir = tmpDir('vp-compute');
  // The Lambda runtime provides the AWS SDK; here, this project's node_modules does.
  symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'));
  const file = path.join(dir, 'index.mjs');
  writeFileSync(file, code);
  const mod = (await import(pathToFileURL(file).href)) as { handler: (e: unknown) => Promise<{ statusCode: number; body: string }> };
  // Answered before any S3 read: the bundle runs.
  const r = await mod.handler({ rawPath: '/v1/orders', rawQueryString: 'customer_no=1', requestContext: { http: { method: 'DELETE' } } });
  assert.equal(r.statusCode, 405);
  assert.ok(Buffer.byteLength(code) < 64 * 1024, `${Buffer.byteLength(code)} bytes`);
});

test('published documents without index objects (before a rebuild): 503 asking for one, not an empty list', async () => {
  const key = 'customers/NOIDX-1/backorders.json';
  const body = Buffer.from('{"schema_version":1,"type":"backorders","customer_no":"NOIDX-1","total":0,"items":[]}\n');
  mkdirSync(path.join(serveRoot, 'customers/NOIDX-1'), { recursive: true });
  writeFileSync(path.join(serveRoot, key), body);
  await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${ROOT}/v1/${key}`, Body: body, ContentType: 'application/json; charset=utf-8' }));
  for (const q of ['customer_no=NOIDX-1&from=2025-01-01', 'customer_no=NOIDX-1&page=2']) {
    const r = await both('/v1/orders', q);
    assert.deepEqual([r.serve.status, json(r.serve.body).error], [503, 'not_indexed'], q);
    assert.deepEqual([r.cdn.status, json(r.cdn.body)], [r.serve.status, json(r.serve.body)], q);
  }
});

test('addresses and stock (issue 17): serve and the CDN path give the same answers, checked against the published objects', async () => {
  const published = (key: string) => json(tree.get(key)!);
  const envelope = new Set(['schema_version', 'type', 'article']);
  // [name, path, query, what the answer must be]
  type Want = { object: string } | { status: 400 | 404 } | { emptyAddresses: string } | { stock: string[] };
  const cases: Array<[string, string, string, Want]> = [
    ['addresses of a customer with documents', '/v1/addresses', `customer_no=${C}`, { object: `customers/${C}/addresses.json` }],
    ['addresses at the static key', `/v1/customers/${C}/addresses.json`, '', { object: `customers/${C}/addresses.json` }],
    ['addresses of a customer known only from the customer register', '/v1/addresses', 'customer_no=C20009', { object: 'customers/C20009/addresses.json' }],
    ['addresses of a customer with documents but no address export', '/v1/addresses', 'customer_no=30001', { emptyAddresses: '30001' }],
    ['addresses of a customer the ERP never exported', '/v1/addresses', 'customer_no=99999', { emptyAddresses: '99999' }],
    ['addresses of an odd customer number', '/v1/addresses', 'customer_no=%C3%96%201%2F2', { emptyAddresses: 'Ö 1/2' }],
    ['addresses without customer_no', '/v1/addresses', '', { status: 400 }],
    ['addresses with an id', '/v1/addresses/1', `customer_no=${C}`, { status: 404 }],
    ['addresses given customer_no twice', '/v1/addresses', `customer_no=${C}&customer_no=1`, { status: 400 }],
    ['one article', '/v1/stock/HAV-6', '', { object: 'stock/HAV-6.json' }],
    ['one article, Swedish export', '/v1/stock/RM-5000', 'customer_no=10003', { object: 'stock/RM-5000.json' }],
    ['one unknown article', '/v1/stock/NO-SUCH', '', { status: 404 }],
    ['one article with a slash in its number', '/v1/stock/A%2F1', '', { status: 404 }],
    ['many articles, an unknown one among them', '/v1/stock', 'articles=HAV-6,NO-SUCH,RM-5000', { stock: ['HAV-6', 'NO-SUCH', 'RM-5000'] }],
    ['many articles, spaces and a repeat', '/v1/stock', 'articles=TP-0800,%20MP-4420%20,TP-0800', { stock: ['TP-0800', 'MP-4420'] }],
    ['one article as a list', '/v1/stock', 'articles=KB-BRY1', { stock: ['KB-BRY1'] }],
    ['only unknown articles', '/v1/stock', 'articles=X1,X2', { stock: ['X1', 'X2'] }],
    ['200 articles (the maximum)', '/v1/stock', `articles=${Array.from({ length: 200 }, (_, i) => (i === 7 ? 'HAV-6' : `N${i}`)).join(',')}`, { stock: Array.from({ length: 200 }, (_, i) => (i === 7 ? 'HAV-6' : `N${i}`)) }],
    ['201 articles', '/v1/stock', `articles=${Array.from({ length: 201 }, (_, i) => `N${i}`).join(',')}`, { status: 400 }],
    ['no articles parameter', '/v1/stock', 'customer_no=10003', { status: 400 }],
    ['an empty articles parameter', '/v1/stock', 'articles=', { status: 400 }],
    ['an empty entry', '/v1/stock', 'articles=HAV-6,,RM-5000', { status: 400 }],
    ['articles given twice', '/v1/stock', 'articles=HAV-6&articles=RM-5000', { status: 400 }],
    ['stock as a folder of the customer layout', `/v1/customers/${C}/stock/HAV-6.json`, '', { status: 404 }],
  ];
  for (const [name, p, q, want] of cases) {
    const r = await both(p, q);
    assert.equal(r.cdn.status, r.serve.status, `${name}: same status`);
    assert.deepEqual(json(r.cdn.body), json(r.serve.body), `${name}: same body`);
    const body = json(r.serve.body);
    if ('status' in want) {
      assert.equal(r.serve.status, want.status, `${name}: ${r.serve.body}`);
      assert.deepEqual(Object.keys(body), ['error', 'message'], name);
    } else if ('object' in want) {
      assert.equal(r.serve.status, 200, name);
      assert.equal(r.cdn.via, 's3', `${name}: one object at the edge`);
      assert.deepEqual(body, published(want.object), name);
    } else if ('emptyAddresses' in want) {
      assert.equal(tree.has(`customers/${want.emptyAddresses}/addresses.json`), false, name);
      assert.deepEqual([r.serve.status, body], [200, { schema_version: 1, type: 'addresses', customer_no: want.emptyAddresses, total: 0, items: [] }], name);
    } else {
      assert.equal(r.serve.status, 200, `${name}: ${r.serve.body}`);
      assert.equal(r.cdn.via, 'compute', name);
      const items = body.items as Array<Record<string, unknown>>;
      assert.deepEqual(items.map((i) => i.article), want.stock, name);
      let found = 0;
      for (const item of items) {
        const doc = tree.get(`stock/${item.article as string}.json`);
        if (!doc) {
          assert.deepEqual(item, { article: item.article, found: false }, name);
          continue;
        }
        found++;
        const expected: Record<string, unknown> = { article: item.article, found: true };
        for (const [k, v] of Object.entries(json(doc))) if (!envelope.has(k)) expected[k] = v;
        assert.deepEqual(item, expected, name);
      }
      assert.deepEqual([body.type, body.total, body.found], ['stock-list', want.stock.length, found], name);
    }
  }
});

test('customer prices (issue 17): the price lists resolved per customer, the same on serve and the CDN path, never served as published', async () => {
  // [name, path, query, [article, price, source][] | status]: the prices as the sample price lists say, worked out by hand.
  type Want = Array<[string, string, string] | [string, null]> | 400 | 404;
  const cases: Array<[string, string, string, Want]> = [
    ['a customer price inside its validity wins over its group', '/v1/prices', 'customer_no=C20002&articles=HAV-6&date=2025-12-04', [['HAV-6', '39.00', 'customer']]],
    ['today by default', '/v1/prices', 'customer_no=C20002&articles=HAV-6', [['HAV-6', '39.00', 'customer']]],
    ['after its validity: the group price', '/v1/prices', 'customer_no=C20002&articles=HAV-6&date=2026-02-01', [['HAV-6', '44.50', 'group']]],
    ['the group\'s quantity break', '/v1/prices', 'customer_no=C20002&articles=HAV-6&date=2026-02-01&quantity=24', [['HAV-6', '41.00', 'group']]],
    ['another customer of the group, above the break', '/v1/prices', 'customer_no=C20001&articles=HAV-6&quantity=30', [['HAV-6', '41.00', 'group']]],
    ['a customer without a group pays list prices', '/v1/prices', 'customer_no=C20005&articles=HAV-6,KB-ESP1', [['HAV-6', '49.90', 'list'], ['KB-ESP1', '189.00', 'list']]],
    ['a group price valid from a date', '/v1/prices', 'customer_no=C20006&articles=KB-ESP1&date=2025-06-01', [['KB-ESP1', '169.00', 'group']]],
    ['the day before it', '/v1/prices', 'customer_no=C20006&articles=KB-ESP1&date=2025-05-31', [['KB-ESP1', '189.00', 'list']]],
    ['another currency: only its prices', '/v1/prices', 'customer_no=C20006&articles=KB-ESP1&currency=eur', [['KB-ESP1', '17.90', 'list']]],
    ['a list price that expires and its successor', '/v1/prices', 'customer_no=99999&articles=KOP-ESP&date=2025-12-31', [['KOP-ESP', '1249.00', 'list']]],
    ['the successor the day after', '/v1/prices', 'customer_no=99999&articles=KOP-ESP&date=2026-01-01', [['KOP-ESP', '1299.00', 'list']]],
    ['the customer\'s own price beats its group\'s break', '/v1/prices', 'customer_no=10004&articles=HN-100L&quantity=60', [['HN-100L', '95.00', 'customer']]],
    ['after it: the group\'s break at 50', '/v1/prices', 'customer_no=10004&articles=HN-100L&quantity=60&date=2026-01-05', [['HN-100L', '99.00', 'group']]],
    ['below the break', '/v1/prices', 'customer_no=10004&articles=HN-100L&quantity=10&date=2026-01-05', [['HN-100L', '112.00', 'group']]],
    ['two list prices: the later valid_from', '/v1/prices', 'customer_no=99999&articles=RM-5000&date=2026-01-02', [['RM-5000', '199.00', 'list']]],
    ['a group price in the Swedish list', '/v1/prices', 'customer_no=10003&articles=RM-5000,TP-0800,NO-SUCH', [['RM-5000', '172.50', 'group'], ['TP-0800', '459.00', 'list'], ['NO-SUCH', null]]],
    ['one article in the path', '/v1/prices/HAV-6', 'customer_no=C20002&date=2026-02-01', [['HAV-6', '44.50', 'group']]],
    ['an article without prices in the path', '/v1/prices/NO-SUCH', 'customer_no=C20002', [['NO-SUCH', null]]],
    ['without customer_no', '/v1/prices', 'articles=HAV-6', 400],
    ['quantity 0', '/v1/prices', 'customer_no=C20002&articles=HAV-6&quantity=0', 400],
    ['quantity not a number', '/v1/prices', 'customer_no=C20002&articles=HAV-6&quantity=two', 400],
    ['a date that does not exist', '/v1/prices', 'customer_no=C20002&articles=HAV-6&date=2025-02-30', 400],
    ['a currency of four letters', '/v1/prices', 'customer_no=C20002&articles=HAV-6&currency=SEKK', 400],
    ['no articles', '/v1/prices', 'customer_no=C20002', 400],
    ['an article in the path and articles', '/v1/prices/HAV-6', 'customer_no=C20002&articles=KB-ESP1', 400],
    ['the published price objects are not served: this is an article named HAV-6.json', '/v1/prices/HAV-6.json', 'customer_no=C20002', [['HAV-6.json', null]]],
    ['nor at their key', '/v1/prices/HAV-6.json', '', 400],
    ['nor a customer\'s pricing', '/v1/customers/C20002/pricing.json', '', 404],
  ];
  for (const [name, p, q, want] of cases) {
    const r = await both(p, q);
    assert.equal(r.cdn.status, r.serve.status, `${name}: same status`);
    assert.deepEqual(json(r.cdn.body), json(r.serve.body), `${name}: same body`);
    const body = json(r.serve.body);
    if (typeof want === 'number') {
      assert.equal(r.serve.status, want, `${name}: ${r.serve.body}`);
      continue;
    }
    assert.equal(r.serve.status, 200, `${name}: ${r.serve.body}`);
    assert.equal(r.cdn.via, 'compute', name);
    const items = body.items as Array<Record<string, unknown>>;
    assert.deepEqual(items.map((i) => (i.found ? [i.article, i.price, i.source] : [i.article, null])), want, name);
    assert.deepEqual([body.type, body.total, body.found], ['customer-prices', want.length, want.filter((w) => w[1] !== null).length], name);
  }
  // One answer in full: the quantity breaks of the level that priced it, the list price beside it.
  const full1 = json((await both('/v1/prices', 'customer_no=C20001&articles=HAV-6&quantity=2')).serve.body);
  assert.deepEqual(full1, {
    schema_version: 1, type: 'customer-prices', customer_no: 'C20001', price_group: 'CAFE', date: TODAY, quantity: '2', currency: 'SEK', total: 1, found: 1,
    items: [{ article: 'HAV-6', found: true, price: '44.50', currency: 'SEK', source: 'group', min_quantity: '0', valid_to: null, list_price: '49.90', breaks: [{ min_quantity: '0', price: '44.50' }, { min_quantity: '24', price: '41.00' }] }],
  });
  // The price objects are published (for the compute path), in the layout's own places.
  assert.ok(tree.has('prices/HAV-6.json') && tree.has('customers/C20002/pricing.json'));
  assert.equal(tree.has('customers/C20005/pricing.json'), false, 'no group, no pricing object');
});
