import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { App } from '../../src/app.ts';
import { startAdmin } from '../../src/admin/server.ts';
import { processFile } from '../../src/ingest/process.ts';
import { silent, tmpDir, writeBytes } from '../helpers.ts';
import { sampleApp, SAMPLES } from '../support/s3-app.ts';

/** Takes a file from the drop folder as the daemon does (moved, published). */
async function take(app: App, name: string, bytes?: Buffer): Promise<void> {
  const drop = app.cfg.folders.drop;
  mkdirSync(drop, { recursive: true });
  if (bytes) writeBytes(drop, name, bytes);
  else copyFileSync(path.join(SAMPLES, name), path.join(drop, name));
  assert.equal((await processFile(app, path.join(drop, name), { move: true, publish: true })).outcome, 'ingested', name);
}

const headerOf = (name: string) => readFileSync(path.join(SAMPLES, name), 'latin1').split('\r\n')[0]!;
const tbody = (page: string, testid: string) => new RegExp(`data-testid="${testid}"[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(page)?.[1] ?? '';
const rows = (page: string, testid: string) => tbody(page, testid).split('<tr>').slice(1);
/** The cells of a table row as text. */
const cells = (row: string) => [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim());
const rowOf = (page: string, testid: string, first: string) => rows(page, testid).map(cells).find((c) => c[0] === first);

test('admin stock pages: a paged, searchable list of articles and each article per warehouse with its published JSON', async () => {
  const app = sampleApp(tmpDir('vp-admin-stock'));
  await take(app, 'lagersaldo_20251201.csv');
  const admin = await startAdmin({ app, host: '127.0.0.1', port: 0, tokenHashes: [], log: silent() });
  const get = (p: string) => fetch(`${admin.url}${p}`, { redirect: 'manual' });
  try {
    const home = await (await get('/')).text();
    assert.match(home, /<nav>[\s\S]*<a href="\/stock">Stock<\/a>[\s\S]*<\/nav>/);
    assert.match(home, /<a href="\/stock">\d+<\/a><\/div><div class="l">articles with stock published/);

    const list = await (await get('/stock')).text();
    assert.match(list, /8 articles with stock/);
    // Summed over its two warehouses (240 + 36, 212 + 36).
    assert.deepEqual(rowOf(list, 'stock', 'HN-100L'), ['HN-100L', '276', '248', 'yes', '', '', '2']);
    // Available below zero: not in stock; the next delivery shown.
    assert.deepEqual(rowOf(list, 'stock', 'TP-0800'), ['TP-0800', '0', '-12', 'no', '2025-12-08', '150', '1']);
    assert.match(list, /href="\/stock\/MP-4420"/);

    const found = await (await get('/stock?q=MP-44')).text();
    assert.deepEqual(rows(found, 'stock').map((r) => cells(r)[0]), ['MP-4410', 'MP-4420']);
    assert.match(found, /2 articles match “MP-44”/);
    // LIKE's wildcards are text: `%` matches no article.
    assert.match(await (await get('/stock?q=%25')).text(), /No article matches/);

    const article = await (await get('/stock/MP-4420')).text();
    assert.match(article, /Article <span class="mono">MP-4420<\/span> <span class="badge ok">published<\/span>/);
    assert.deepEqual(rows(article, 'warehouses').map(cells), [
      ['HUVUD', '0', '0', '2025-12-10', '60'],
      ['NORR', '12', '4', '2025-12-10', '20'],
    ]);
    // The next incoming delivery: the earliest date, the quantities due that day added up.
    assert.match(article, /<div class="n">2025-12-10<\/div><div class="l">next incoming · 80<\/div>/);
    const json = /href="(\/objects\/stock\/[^"]+\.json)">JSON as published/.exec(article)![1]!;
    const obj = await get(json);
    assert.equal(obj.status, 200);
    assert.deepEqual(Buffer.from(await obj.arrayBuffer()), readFileSync(app.target.pathOf(json.slice('/objects/'.length))));
    assert.equal((await get('/stock/NO-SUCH')).status, 404);
    assert.equal((await get('/stock/MP-4420/x')).status, 404);

    // Thousands of articles are paged: 230 more make 238, 100 a page.
    const header = headerOf('lagersaldo_20251201.csv');
    // 229 plain ones and one whose number holds markup, an ampersand and a space.
    const many = [...Array.from({ length: 229 }, (_, i) => `ZZ-${String(i).padStart(4, '0')};HUVUD;${i};${i};;`), 'ZZ-Ö&<i> 1;HUVUD;7;7;;'];
    await take(app, 'lagersaldo_20251202.csv', Buffer.from(`${header}\r\n${many.join('\r\n')}\r\n`, 'latin1'));
    const first = await (await get('/stock')).text();
    assert.match(first, /238 articles with stock/);
    assert.equal(rows(first, 'stock').length, 100);
    assert.match(first, /page 1 of 3/);
    assert.match(first, /href="\/stock\?page=2">older/);
    const last = await (await get('/stock?page=3')).text();
    assert.equal(rows(last, 'stock').length, 38);
    assert.equal(cells(rows(last, 'stock').at(-1)!)[0], 'ZZ-Ö&amp;&lt;i&gt; 1');
    const searched = await (await get('/stock?q=ZZ-02')).text();
    assert.match(searched, /29 articles match/);
    assert.equal(rows(searched, 'stock').length, 29);
    // Markup in an article number is text, and its link finds it.
    const odd = await (await get('/stock?q=%3Ci%3E')).text();
    assert.ok(!odd.includes('<i>'), 'no raw markup');
    const link = /href="(\/stock\/ZZ-[^"]+)"/.exec(odd)![1]!;
    assert.equal(link, '/stock/ZZ-%C3%96%26%3Ci%3E%201');
    const oddPage = await (await get(link)).text();
    assert.match(oddPage, /Article <span class="mono">ZZ-Ö&amp;&lt;i&gt; 1<\/span>/);
    assert.equal((await get(/href="(\/objects\/stock\/[^"]+)">JSON as published/.exec(oddPage)![1]!)).status, 200);
  } finally {
    await admin.close();
    app.close();
  }
});

test("admin customer page: its price group and the prices it pays, resolved as the compute path resolves them, on a date, paged", async () => {
  const app = sampleApp(tmpDir('vp-admin-prices'));
  for (const name of ['ordrar_20251130.csv', 'kundregister_20251201.csv', 'prislista_20251201.csv']) await take(app, name);
  const admin = await startAdmin({ app, host: '127.0.0.1', port: 0, tokenHashes: [], log: silent() });
  const get = (p: string) => fetch(`${admin.url}${p}`, { redirect: 'manual' });
  try {
    // 10004 is in group STAD and has a price of its own for HN-100L until 2025-12-31.
    const dec = await (await get('/customers/10004?date=2025-12-01')).text();
    assert.match(dec, /data-testid="price-basis">Price group: <span class="mono">STAD<\/span> · on 2025-12-01/);
    assert.match(dec, /Prices <span class="muted">\(3 articles\)/);
    assert.deepEqual(rows(dec, 'prices').map(cells), [
      ['HN-100L', '95.00 SEK', 'own price', '129.00', '1+: 95.00', '2025-12-31'],
      // 199.00 holds from 2026-01-01 only; STAD has no price of its own for it.
      ['RM-5000', '189.00 SEK', 'list price', '189.00', '1+: 189.00', ''],
      ['TP-0800', '459.00 SEK', 'list price', '459.00', '1+: 459.00', ''],
    ]);
    // After its own price expired: the group's, with its quantity breaks; the new list price holds.
    const jan = await (await get('/customers/10004?date=2026-01-15')).text();
    assert.deepEqual(rowOf(jan, 'prices', 'HN-100L'), ['HN-100L', '112.00 SEK', 'price group', '129.00', '1+: 112.00 · 50+: 99.00', '']);
    assert.deepEqual(rowOf(jan, 'prices', 'RM-5000')?.slice(0, 3), ['RM-5000', '199.00 SEK', 'list price']);
    // 10003 (BYGG) pays its group's price for RM-5000.
    const bygg = await (await get('/customers/10003?date=2025-12-01')).text();
    assert.match(bygg, /Price group: <span class="mono">BYGG<\/span>/);
    assert.deepEqual(rowOf(bygg, 'prices', 'RM-5000')?.slice(0, 3), ['RM-5000', '172.50 SEK', 'price group']);
    assert.equal((await get('/customers/10003?date=2025-02-30')).status, 400);
    assert.equal((await get('/customers/10003?date=tomorrow')).status, 400);

    // Many list prices are paged, 50 articles a page; the date stays in the pager's links.
    const header = headerOf('prislista_20251201.csv');
    const many = Array.from({ length: 60 }, (_, i) => `PP-${String(i).padStart(3, '0')};Alla;;SEK;1;${i + 1},00;;`);
    await take(app, 'prislista_20251202.csv', Buffer.from(`${header}\r\n${many.join('\r\n')}\r\n`, 'latin1'));
    const p1 = await (await get('/customers/10002?date=2025-12-01')).text();
    assert.match(p1, /Price group: none/);
    assert.match(p1, /Prices <span class="muted">\(63 articles\)/);
    assert.equal(rows(p1, 'prices').length, 50);
    const next = /href="([^"]*prices=2[^"]*)#prices">older/.exec(p1)?.[1]?.replace(/&amp;/g, '&');
    assert.equal(next, '/customers/10002?prices=2&date=2025-12-01');
    const p2 = await (await get(next!)).text();
    assert.equal(rows(p2, 'prices').length, 13);
    assert.deepEqual(rowOf(p2, 'prices', 'TP-0800')?.slice(0, 3), ['TP-0800', '459.00 SEK', 'list price']);
    assert.deepEqual(rowOf(p2, 'prices', 'PP-059')?.slice(0, 2), ['PP-059', '60.00 SEK']);
    // A page past the end shows the last one.
    const past = await (await get('/customers/10002?date=2025-12-01&prices=9')).text();
    assert.equal(rows(past, 'prices').length, 13);
    assert.match(past, /page 2 of 2/);
  } finally {
    await admin.close();
    app.close();
  }
});
