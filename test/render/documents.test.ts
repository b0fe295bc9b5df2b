import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderCustomer as renderAll, totals, compareIds } from '../../src/render/documents.ts';
import { serialize } from '../../src/publish/cycle.ts';
import { createValidator } from '../../src/render/validate.ts';
import type { StoredDoc } from '../../src/store/db.ts';
import type { DocLine } from '../../src/model.ts';

const NBSP = '\u00a0';
const renderCustomer = (...args: Parameters<typeof renderAll>) => renderAll(...args).documents;

function doc(kind: 'order' | 'invoice', id: string, date: string, lines: DocLine[], extra: Partial<StoredDoc['header']> = {}): StoredDoc {
  return {
    kind,
    id,
    customer_no: 'C1',
    header: { id, customer_no: 'C1', date, currency: 'SEK', customer: { company: 'Kund AB', no: 'C1', country: 'Sverige', country_iso: 'SWE' }, delivery: {}, ...extra },
    lines,
    source: { file: 'x.csv', line: 2, record: 1 },
  };
}

test('totals: rows from quantity × price − discount, VAT per rate, shipping at the highest rate, exact', () => {
  const d = doc('order', '1', '2025-01-02', [
    { quantity: '3', price: '0.10', vat_rate: '25' },
    { quantity: '2', price: '99.95', discount: '10', vat_rate: '12' },
    { quantity: '1', price: '1000', row_total: '900.00', vat_rate: '25.00' },
  ], { shipping_cost: '49' });
  const t = totals(d);
  assert.deepEqual(t.rows, ['0.30', '179.91', '900.00']);
  assert.deepEqual(t.tax, [
    { rate: '25', base: '949.30', amount: '237.33' },
    { rate: '12', base: '179.91', amount: '21.59' },
  ]);
  assert.equal(t.net, '1080.21');
  assert.equal(t.total, '1388.13');
  // The ERP's own total wins when the export carries one.
  assert.equal(totals(doc('order', '1', '2025-01-02', [{ quantity: '1', price: '10', vat_rate: '25' }], { total: '12.49' })).total, '12.49');
});

test('lists are newest first, then higher number first; pages of pageSize; year pages', () => {
  const docs = [
    doc('order', '9', '2024-12-31', []),
    doc('order', '10', '2025-01-01', []),
    doc('order', '11', '2025-01-01', []),
    doc('order', '2', '2025-03-01', []),
  ];
  const out = renderCustomer('C1', docs, { locale: 'sv-SE', pageSize: 3 });
  const page = (k: string) => out.find((o) => o.key === k)!.body as { items: Array<{ id: string }>; total: number; total_pages: number; date_from: string; date_to: string };
  const p1 = page('customers/C1/orders/pages/1.json');
  assert.deepEqual(p1.items.map((i) => i.id), ['2', '11', '10']);
  assert.equal(p1.total, 4);
  assert.equal(p1.total_pages, 2);
  assert.equal(p1.date_from, '2025-01-01');
  assert.equal(p1.date_to, '2025-03-01');
  assert.deepEqual(page('customers/C1/orders/pages/2.json').items.map((i) => i.id), ['9']);
  assert.deepEqual(page('customers/C1/orders/years/2024/pages/1.json').items.map((i) => i.id), ['9']);
  assert.equal(page('customers/C1/orders/years/2025/pages/1.json').total, 3);
  // A customer with orders only still gets an (empty) first invoice page.
  assert.deepEqual(page('customers/C1/invoices/pages/1.json').items, []);
  assert.ok(compareIds('10', '9') > 0 && compareIds('009', '10') < 0 && compareIds('A2', 'A10') > 0);
});

test('money is formatted for the locale with the exact value beside it', () => {
  const out = renderCustomer('C1', [doc('invoice', 'F1', '2025-02-03', [{ quantity: '1', price: '1234.5', vat_rate: '0' }], { due_date: '2025-03-05', payment_status: 'Obetald', currency: 'EUR' })], { locale: 'sv-SE', pageSize: 50 });
  const inv = out.find((o) => o.type === 'invoice')!.body as Record<string, unknown>;
  assert.equal(inv.total, `1${NBSP}234,50${NBSP}€`);
  assert.equal(inv.total_amount, '1234.50');
  assert.equal(inv.currency, 'EUR');
  const list = out.find((o) => o.type === 'invoice-list')!.body as { items: Array<Record<string, unknown>> };
  assert.deepEqual(list.items[0], { id: 'F1', customer_no: 'C1', sum: `1${NBSP}234,50${NBSP}€`, sum_amount: '1234.50', currency: 'EUR', date: '2025-02-03', reference: null, due_date: '2025-03-05', payment_status: 'Obetald', type: 'invoice' });
});

test('same records give byte-identical output, in any input order; every document matches its schema', () => {
  const docs = [doc('order', '1', '2025-01-02', [{ quantity: '1', price: '5', vat_rate: '25' }]), doc('invoice', 'F1', '2025-01-03', [{ quantity: '1', price: '5', vat_rate: '25' }], { order_nos: ['1'] })];
  const a = renderCustomer('C1', docs, { locale: 'sv-SE', pageSize: 50 });
  const b = renderCustomer('C1', [...docs].reverse().map((d) => structuredClone(d)), { locale: 'sv-SE', pageSize: 50 });
  assert.deepEqual(a.map((d) => d.key).sort(), b.map((d) => d.key).sort());
  for (const d of a) {
    const twin = b.find((x) => x.key === d.key)!;
    assert.ok(serialize(d.body).equals(serialize(twin.body)), d.key);
    assert.ok(!JSON.stringify(d.body).match(/generated|timestamp/i));
  }
  const validate = createValidator();
  for (const d of a) assert.equal(validate(d.type, d.body), undefined, d.key);
  // And the validator does catch a broken document.
  const order = a.find((d) => d.type === 'order')!;
  assert.match(validate('order', { ...order.body, total_amount: 12.5 }) ?? '', /total_amount/);
  assert.match(validate('order', { ...order.body, surprise: 1 }) ?? '', /additional/);
});

test('shipping at a fixed VAT rate when configured; ERP amounts are published with at least two decimals', () => {
  const d = doc('order', '1', '2025-01-02', [{ quantity: '1', price: '100', vat_rate: '12' }], { shipping_cost: '50' });
  assert.deepEqual(totals(d).tax, [{ rate: '12', base: '150.00', amount: '18.00' }]);
  assert.deepEqual(totals(d, '25').tax, [
    { rate: '25', base: '50.00', amount: '12.50' },
    { rate: '12', base: '100.00', amount: '12.00' },
  ]);
  const given = doc('order', '2', '2025-01-02', [{ quantity: '1', price: '239', row_total: '239.5', vat_rate: '25' }], { total: '1234.5' });
  assert.equal(totals(given).total, '1234.50');
  assert.deepEqual(totals(given).rows, ['239.50']);
});
