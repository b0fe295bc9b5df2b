import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { App } from '../../src/app.ts';
import { healthChecker, startAdmin } from '../../src/admin/server.ts';
import { escapeHtml, html, raw } from '../../src/admin/html.ts';
import { ConfigError } from '../../src/errors.ts';
import { createMetrics, kindOfKey, type Metrics } from '../../src/ops/metrics.ts';
import { processFile } from '../../src/ingest/process.ts';
import { silent, tmpDir, writeBytes } from '../helpers.ts';
import { sampleApp } from '../support/s3-app.ts';

const SAMPLES = path.resolve('samples/exports');


/** The Swedish samples through the daemon's path (move: true), plus a broken export and one with markup in its data. */
async function daemonLike(app: App, metrics: Metrics) {
  const drop = app.cfg.folders.drop;
  mkdirSync(drop, { recursive: true });
  const take = async (name: string) => {
    const r = await processFile(app, path.join(drop, name), { move: true, publish: true, onDrain: metrics.onDrain });
    metrics.fileDone(r);
    return r;
  };
  for (const name of ['ordrar_20251130.csv', 'fakturor_20251130.xml', 'kundregister_20251201.csv', 'leveransadresser_20251201.csv']) {
    copyFileSync(path.join(SAMPLES, name), path.join(drop, name));
    assert.equal((await take(name)).outcome, 'ingested', name);
  }
  const header = readFileSync(path.join(SAMPLES, 'ordrar_20251130.csv'), 'latin1').split('\r\n')[0]!;
  writeBytes(drop, 'ordrar_broken.csv', Buffer.from(`${header}\r\n"100;10001;20250101\r\n`, 'latin1'));
  assert.equal((await take('ordrar_broken.csv')).outcome, 'rejected');
  const cols = header.split(';');
  const row = cols.map((c) =>
    ({ Ordernr: '900001', Kundnr: 'X1', Kundnamn: '<img src=x onerror=alert(1)> & Co', Orderdatum: '20250102', Status: 'Aktiv', Valuta: 'SEK', Antal: '1', 'À-pris': '10,00', 'Moms %': '25', Kommentar: '</pre><script>alert(2)</script>' } as Record<string, string>)[c] ?? '',
  );
  writeBytes(drop, 'ordrar_markup.csv', Buffer.from(`${header}\r\n${row.join(';')}\r\n`, 'latin1'));
  assert.equal((await take('ordrar_markup.csv')).outcome, 'ingested');
}

test('admin port: health, Prometheus metrics, and pages for feeds, quarantine, outbox and a customer, all escaped', async () => {
  const app = sampleApp(tmpDir('vp-admin'));
  const metrics = createMetrics({ store: app.store, feeds: app.cfg.feeds, quarantineDir: app.cfg.folders.quarantine, markers: app.cfg.inbox.markers });
  await daemonLike(app, metrics);
  const admin = await startAdmin({ app, host: '127.0.0.1', port: 0, tokenHashes: [], metrics, log: silent() });
  const get = (p: string, init?: RequestInit) => fetch(`${admin.url}${p}`, { redirect: 'manual', ...init });
  try {
    const health = await get('/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok', store: 'ok', target: 'ok', publish: 'ok', stopping: false });

    const m = await get('/metrics');
    assert.equal(m.status, 200);
    assert.match(m.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await m.text();
    assert.match(text, /^vendre_pull_files_taken_total\{feed="se-orders"\} 3$/m);
    assert.match(text, /^vendre_pull_files_archived_total\{feed="se-orders"\} 2$/m);
    assert.match(text, /^vendre_pull_files_quarantined_total\{feed="se-orders"\} 1$/m);
    assert.match(text, /^vendre_pull_files_archived_total\{feed="xml-invoices"\} 1$/m);
    assert.match(text, /^vendre_pull_records_total\{feed="se-orders"\} \d{3}$/m);
    assert.match(text, /^vendre_pull_documents_written_total\{kind="order"\} \d+$/m);
    assert.match(text, /^vendre_pull_documents_written_total\{kind="invoice-list"\} \d+$/m);
    assert.match(text, /^vendre_pull_publish_duration_seconds_bucket\{le="0\.1",op="put"\} \d+$/m);
    assert.match(text, /^vendre_pull_publish_duration_seconds_count\{op="put"\} \d+$/m);
    assert.match(text, /^vendre_pull_outbox_depth 0$/m);
    assert.match(text, /^vendre_pull_seconds_since_last_success\{feed="se-orders"\} \d+$/m);
    assert.match(text, /^vendre_pull_last_success_timestamp_seconds\{feed="xml-invoices"\} \d+(\.\d+)?$/m);
    assert.match(text, /^vendre_pull_quarantine_files 1$/m);
    assert.match(text, /^vendre_pull_documents_stored\{kind="order"\} \d+$/m);
    assert.match(text, /^process_cpu_user_seconds_total /m);
    // Feeds without a file yet have zero series (rate() works from the start) and no "since" series.
    const quiet = app.cfg.feeds.find((f) => !['se-orders', 'xml-invoices', 'se-kunder', 'se-leveransadresser'].includes(f.name));
    if (quiet) {
      assert.match(text, new RegExp(`^vendre_pull_files_taken_total\\{feed="${quiet.name}"\\} 0$`, 'm'));
      assert.doesNotMatch(text, new RegExp(`seconds_since_last_success\\{feed="${quiet.name}"\\}`));
    }

    const home = await get('/');
    assert.equal(home.status, 200);
    assert.match(home.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const page = await home.text();
    assert.match(page, /<h1>Overview<\/h1>/);
    assert.match(page, /se-orders/);
    assert.match(page, /ordrar_broken\.csv/);
    assert.match(page, /badge ok">ready/);

    const lookup = await get('/customers?q=10003');
    assert.equal(lookup.status, 303);
    assert.equal(lookup.headers.get('location'), '/customers/10003');
    const byName = await (await get('/customers?q=%C3%85kesson')).text();
    assert.match(byName, /href="\/customers\/10003"/);

    const customer = await (await get('/customers/10003')).text();
    assert.match(customer, /Customer 10003 · Åkesson &amp; Söner AB/);
    assert.match(customer, /data-testid="orders"/);
    assert.match(customer, /data-testid="invoices"/);
    assert.match(customer, /\d\skr<\/td>/);
    assert.match(customer, /badge ok">published/);
    // Its addresses (issue 17): the billing address and both delivery addresses, LAGER-B the default.
    const addresses = /data-testid="addresses"[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(customer)?.[1] ?? '';
    assert.equal(addresses.match(/<tr>/g)?.length, 3, addresses);
    assert.match(addresses, /LAGER-B<\/span><\/td>[\s\S]*?Exportgatan 31, Lager B/);
    assert.match(/<tr>(?:(?!<tr>)[\s\S])*default(?:(?!<tr>)[\s\S])*<\/tr>/.exec(addresses)?.[0] ?? '', /LAGER-B/);
    const order = /href="(\/customers\/10003\/orders\/[^"]+)"/.exec(customer)![1]!;
    const orderPage = await (await get(order)).text();
    assert.match(orderPage, /data-testid="products"/);
    assert.match(orderPage, /class="grand"><td>Total<\/td><td class="num">[^<]+kr<\/td>/);
    const json = /href="(\/objects\/customers\/10003\/orders\/[^"]+\.json)"/.exec(orderPage)![1]!;
    const obj = await get(json);
    assert.equal(obj.status, 200);
    assert.match(obj.headers.get('content-type') ?? '', /^application\/json/);
    const key = json.slice('/objects/'.length);
    assert.deepEqual(Buffer.from(await obj.arrayBuffer()), readFileSync(app.target.pathOf(key)));
    // Page 2 of the orders: 10003 has more than one page.
    assert.match(await (await get('/customers/10003?orders=2')).text(), /page 2 of \d/);
    // Paged like the shop: a screenful of rows per list, not the whole history on one page.
    const rowsOf = (html: string, list: string) => (new RegExp(`data-testid="${list}"[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(html)?.[1]!.match(/<tr>/g) ?? []).length;
    assert.equal(rowsOf(customer, 'orders'), 25);
    assert.ok(rowsOf(await (await get('/customers/10003?orders=2')).text(), 'orders') >= 1);

    // Markup in the data is text, never markup.
    const x1 = await (await get('/customers/X1')).text();
    assert.ok(x1.includes('&lt;img src=x onerror=alert(1)&gt; &amp; Co'), 'company escaped');
    assert.ok(!x1.includes('<img src=x'), 'no raw markup');
    const x1order = await (await get('/customers/X1/orders/900001')).text();
    assert.ok(x1order.includes('&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;'), 'comment escaped');
    assert.ok(!/<script/i.test(x1order));

    const q = await (await get('/quarantine')).text();
    assert.match(q, /href="\/quarantine\/ordrar_broken\.csv"/);
    const qfile = await (await get('/quarantine/ordrar_broken.csv')).text();
    assert.match(qfile, /data-testid="errors"/);
    assert.match(qfile, /never closed/);
    // Each error names its stable code (what the README's error table lists), the rule under it.
    assert.match(qfile, /<span class="mono">VP_E_[A-Z_]+<\/span><br><span class="muted mono">[a-z-]+<\/span>/);

    const outbox = await (await get('/outbox')).text();
    assert.match(outbox, /The outbox is empty/);
    const files = await (await get('/files?feed=se-orders')).text();
    assert.match(files, /ordrar_markup\.csv/);

    // Nothing outside what the pages list can be reached, and nothing can be changed.
    assert.equal((await get('/quarantine/..%2F..%2Fstate.db')).status, 404);
    assert.equal((await get('/objects/..%2Fstate.db')).status, 404);
    assert.equal((await get('/objects/customers/..%2F..%2F..%2Fstate.db')).status, 404);
    assert.equal((await get('/customers/nobody')).status, 404);
    assert.equal((await get('/customers', { method: 'POST' })).status, 405);
    assert.equal((await get('/nope')).status, 404);
  } finally {
    await admin.close();
    app.close();
  }
});

test('admin port beyond loopback: a token (Bearer, or Basic with the token as password) for everything but /healthz; none configured refuses to start', async () => {
  const app = sampleApp(tmpDir('vp-admin-auth'));
  const token = 'admin-token-for-tests';
  const hash = createHash('sha256').update(token).digest('hex');
  await assert.rejects(startAdmin({ app, host: '127.0.0.1', port: 0, tokenHashes: [], log: silent(), requireToken: true }), ConfigError);
  await assert.rejects(startAdmin({ app, host: '0.0.0.0', port: 0, tokenHashes: [], log: silent() }), /not loopback/);
  const metrics = createMetrics({ store: app.store, feeds: app.cfg.feeds, quarantineDir: app.cfg.folders.quarantine, markers: app.cfg.inbox.markers }, { defaultMetrics: false });
  const admin = await startAdmin({ app, host: '127.0.0.1', port: 0, tokenHashes: [hash], metrics, log: silent(), requireToken: true });
  try {
    const h = await fetch(`${admin.url}/healthz`);
    assert.equal(h.status, 200);
    assert.deepEqual(await h.json(), { status: 'ok' }, 'no details without a token');
    const none = await fetch(`${admin.url}/metrics`);
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Basic realm="vendre-pull admin"/);
    assert.equal((await fetch(`${admin.url}/`, { headers: { authorization: 'Bearer wrong-token-xyz' } })).status, 401);
    assert.equal((await fetch(`${admin.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    const basic = Buffer.from(`ops:${token}`).toString('base64');
    assert.equal((await fetch(`${admin.url}/`, { headers: { authorization: `Basic ${basic}` } })).status, 200);
  } finally {
    await admin.close();
    app.close();
  }
});

test('health: not ready while the target fails its check or the store is closed', async () => {
  const app = sampleApp(tmpDir('vp-health'));
  let fail = true;
  const broken = { ...app, target: Object.assign(Object.create(Object.getPrototypeOf(app.target)), app.target, { check: async () => { if (fail) throw new Error('bucket is gone'); } }) } as App;
  const health = healthChecker(broken, { ttlMs: 0 });
  const h = await health();
  assert.equal(h.ready, false);
  assert.match(h.target, /bucket is gone/);
  fail = false;
  assert.equal((await health()).ready, true);
  const slow = healthChecker({ ...app, target: Object.assign(Object.create(Object.getPrototypeOf(app.target)), app.target, { check: () => new Promise<void>(() => undefined) }) } as App, { ttlMs: 0, timeoutMs: 50 });
  assert.match((await slow()).target, /no answer within 50 ms/);
  app.close();
  const closed = await healthChecker(app, { ttlMs: 0 })();
  assert.equal(closed.ready, false);
  assert.match(closed.store, /closed/);
});

test('html: every interpolated value is escaped unless it is markup made by the views', () => {
  assert.equal(escapeHtml(`<a href="x" onclick='y'>&\``), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;');
  const evil = '"><script>alert(1)</script>';
  assert.equal(html`<input value="${evil}">`.value, '<input value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">');
  assert.equal(html`<p>${html`<b>${evil}</b>`}${raw('<br>')}${null}${undefined}${false}${['a', '<']}</p>`.value, '<p><b>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</b><br>a&lt;</p>');
});

test('metrics: object kinds from keys', () => {
  assert.equal(kindOfKey('customers/10003/orders/100001.json'), 'order');
  assert.equal(kindOfKey('customers/10003/invoices/years/2024/pages/1.json'), 'invoice-list');
  assert.equal(kindOfKey('customers/10003/credit-invoices/590001.json'), 'credit');
  assert.equal(kindOfKey('customers/10003/invoices/500001.pdf'), 'pdf');
  assert.equal(kindOfKey('customers/10003/backorders.json'), 'backorders');
  assert.equal(kindOfKey('customers/10003/addresses.json'), 'addresses');
  assert.equal(kindOfKey('stock/HAV-6.json'), 'stock');
  assert.equal(kindOfKey('customers/10003/stock/HAV-6.json'), 'other');
  assert.equal(kindOfKey('something/else'), 'other');
});
