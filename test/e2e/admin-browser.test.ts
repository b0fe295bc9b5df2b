import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { parse, stringify } from 'yaml';
import { tmpDir, writeBytes } from '../helpers.ts';
import { CHROMIUM, CHROMIUM_ARGS, ensureChromium } from '../tools/chromium.ts';

/**
 * The admin pages as a person uses them, in headless Chromium (Debian's, through playwright-core),
 * against a real daemon that took the sample exports and one broken export from its drop folder:
 * look up a sample customer, open one of its orders, find the quarantined file and its error.
 * Screenshots land in a temp folder named in the test's output.
 */

const CLI = ['--import', 'tsx', path.resolve('src/cli.ts')];

test('admin pages in a browser: customer lookup, an order, the quarantined file and its error', { timeout: 20 * 60_000 }, async (t) => {
  // No skipping: a machine that cannot get Chromium fails this test and says why.
  const why = ensureChromium((line) => t.diagnostic(line));
  if (why) assert.fail(why);

  const dir = tmpDir('vp-admin-e2e');
  const shots = path.join(dir, 'screenshots');
  mkdirSync(shots, { recursive: true });
  const raw = parse(readFileSync('samples/vendre-pull.yaml', 'utf8')) as Record<string, unknown>;
  // se-orders delivers in this run; bc-orders is expected hourly and never delivers: stale.
  for (const f of raw.feeds as Array<Record<string, unknown>>) if (f.name === 'se-orders' || f.name === 'bc-orders') f.expectEveryMinutes = 60;
  Object.assign(raw, {
    state: 'state.db',
    target: 'public',
    folders: { drop: 'inbox', archive: 'archive', quarantine: 'quarantine' },
    inbox: { stableMs: 100, rescanMs: 500 },
    serve: { host: '127.0.0.1', port: 0 },
    admin: { host: '127.0.0.1', port: 0, timeZone: 'Europe/Stockholm' },
  });
  const cfg = writeBytes(dir, 'vendre-pull.yaml', stringify(raw));
  const inbox = path.join(dir, 'inbox');
  mkdirSync(inbox, { recursive: true });
  for (const name of ['ordrar_20251130.csv', 'fakturor_20251130.xml']) copyFileSync(path.join('samples/exports', name), path.join(inbox, name));
  // A broken export: the sample's header and first row (Windows-1252 bytes kept), with a date that does not exist.
  const [header, first] = readFileSync('samples/exports/ordrar_20251130.csv', 'latin1').split('\r\n');
  const cells = first!.split(';');
  cells[3] = '20250231';
  writeFileSync(path.join(inbox, 'ordrar_trasig.csv'), Buffer.from(`${header}\r\n${cells.join(';')}\r\n`, 'latin1'));

  const child = spawn(process.execPath, [...CLI, '--config', cfg, 'run'], { env: { ...process.env, VENDRE_PULL_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  const waitFor = async (what: () => boolean, label: string, ms = 60_000) => {
    const until = Date.now() + ms;
    while (!what()) {
      if (Date.now() > until) assert.fail(`timed out waiting for ${label}\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    await waitFor(() => /"url":"(http:\/\/127\.0\.0\.1:\d+)","auth":"loopback","msg":"admin port/.test(out), 'the admin port');
    const admin = /"url":"(http:\/\/127\.0\.0\.1:\d+)","auth":"loopback","msg":"admin port/.exec(out)![1]!;
    await waitFor(() => readdirSync(inbox).length === 0 && out.includes('file quarantined') && (out.match(/file archived/g) ?? []).length >= 2, 'the three files taken');

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${admin}/`);
    assert.equal(await page.locator('h1').textContent(), 'Overview');
    // The 2 a.m. check: per feed the time since its last good file, and the stale signal.
    const fresh = page.getByTestId('freshness-se-orders');
    assert.equal(await fresh.getAttribute('data-stale'), 'no');
    assert.match((await fresh.textContent()) ?? '', /on time\s+last good file \d+ min ago \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d CES?T\) · expected every 1 h 00 min/);
    const stale = page.getByTestId('freshness-bc-orders');
    assert.equal(await stale.getAttribute('data-stale'), 'yes');
    assert.match((await stale.textContent()) ?? '', /stale\s+no good file yet/);
    assert.equal(await stale.locator('.badge.bad').textContent(), 'stale');
    assert.match((await page.locator('.card', { hasText: 'stale feeds' }).textContent()) ?? '', /^1/);
    assert.match((await page.locator('body').textContent()) ?? '', /Times in Europe\/Stockholm/);
    await page.screenshot({ path: path.join(shots, '1-overview.png'), fullPage: true });

    // Look up a sample customer from the search box in the header.
    await page.getByLabel('Customer lookup').fill('10003');
    await Promise.all([page.waitForURL(/\/customers\/10003$/), page.getByLabel('Customer lookup').press('Enter')]);
    assert.match((await page.locator('h1').textContent()) ?? '', /Customer 10003 · Åkesson & Söner AB/);
    const orders = page.getByTestId('orders');
    assert.ok((await orders.locator('tbody tr').count()) >= 10, 'a page of orders');
    assert.match((await orders.locator('tbody tr').first().locator('td.num').first().textContent()) ?? '', /\d,\d\d\skr$/);
    assert.ok((await page.getByTestId('invoices').locator('tbody tr').count()) >= 1, 'invoices listed');
    await page.screenshot({ path: path.join(shots, '2-customer.png'), fullPage: true });

    // Open an order.
    const first = orders.locator('tbody tr').first().locator('td').first().locator('a');
    const orderNo = (await first.textContent())!.trim();
    await Promise.all([page.waitForURL(new RegExp(`/customers/10003/orders/${orderNo}$`)), first.click()]);
    assert.match((await page.locator('h1').textContent()) ?? '', new RegExp(`Order ${orderNo}`));
    assert.ok((await page.getByTestId('products').locator('tbody tr').count()) >= 1, 'products listed');
    assert.match((await page.getByTestId('totals').locator('tr.grand').textContent()) ?? '', /Total.*kr/);
    await page.screenshot({ path: path.join(shots, '3-order.png'), fullPage: true });
    // Its JSON, as published.
    const json = await page.getByRole('link', { name: 'JSON as published' }).getAttribute('href');
    const res = await page.request.get(`${admin}${json}`);
    assert.equal(res.status(), 200);
    assert.equal((await res.json()).id, orderNo);

    // Find the quarantined file and its error.
    await Promise.all([page.waitForURL(/\/quarantine$/), page.getByRole('link', { name: 'Quarantine', exact: true }).click()]);
    const row = page.getByTestId('quarantine').locator('tbody tr', { hasText: 'ordrar_trasig.csv' });
    assert.equal(await row.count(), 1);
    await Promise.all([page.waitForURL(/\/quarantine\/ordrar_trasig\.csv$/), row.getByRole('link', { name: 'ordrar_trasig.csv' }).click()]);
    const error = page.getByTestId('errors').locator('tbody tr').first();
    assert.match((await error.textContent()) ?? '', /20250231/);
    assert.match((await error.textContent()) ?? '', /date-invalid/);
    await page.screenshot({ path: path.join(shots, '4-quarantine.png'), fullPage: true });
    // Long errors wrap inside the page instead of widening it.
    assert.ok(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), 'no horizontal overflow on the quarantine file page');
    t.diagnostic(`screenshots: ${shots}`);
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0, out);
});
