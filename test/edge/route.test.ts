import { test } from 'node:test';
import assert from 'node:assert/strict';
import { route } from '../../src/edge/route.ts';
import { parseQueryString } from '../../src/edge/query.ts';
import { documentKey, parseKey } from '../../src/layout/keys.ts';

const r = (path: string, query = '') => route(path, parseQueryString(query), 'v1');

test('query-style calls land on the published keys', () => {
  assert.deepEqual(r('/v1/orders', 'customer_no=10003'), { key: 'customers/10003/orders/pages/1.json' });
  assert.deepEqual(r('/v1/orders', 'customer_no=10003&page=4&from=2025-01-01&to=2025-12-31'), { key: 'customers/10003/orders/years/2025/pages/4.json' });
  assert.deepEqual(r('/v1/orders', 'customer_no=10003&page=4&from=2025-02-01&to=2025-02-28'), {
    compute: 'orders',
    query: [{ name: 'customer_no', value: '10003' }, { name: 'from', value: '2025-02-01' }, { name: 'page', value: '4' }, { name: 'to', value: '2025-02-28' }],
  });
  assert.deepEqual(r('/v1/invoices', 'customer_no=10003&to=2025-01-31&x=1'), { compute: 'invoices', query: [{ name: 'customer_no', value: '10003' }, { name: 'to', value: '2025-01-31' }] });
  assert.deepEqual(r('/v1/invoices', 'customer_no=10003&from=2025-01-01&to=2025-12-31T00:00'), {
    compute: 'invoices',
    query: [{ name: 'customer_no', value: '10003' }, { name: 'from', value: '2025-01-01' }, { name: 'to', value: '2025-12-31T00%3A00' }],
  });
  assert.deepEqual(r('/v1/credit-invoices', 'customer_no=10003&page=2'), { key: 'customers/10003/credit-invoices/pages/2.json' });
  assert.deepEqual(r('/v1/backorders', 'customer_no=10003&page=9'), { key: 'customers/10003/backorders.json' });
  assert.deepEqual(r('/v1/invoices/F%2F1', 'customer_no=10003'), { key: 'customers/10003/invoices/F~2F1.json' });
});

test('every id, however odd, becomes the publisher\'s key inside the customer\'s prefix', () => {
  const ids = ['12345', 'A 12/3', '../../etc/passwd', '..', '.hidden', '%2e%2e', '\\..\\x', 'Örebro-ÅÄÖ 7', '日本', '😀', 'x'.repeat(200)];
  for (const id of ids) {
    const got = r(`/v1/orders/${encodeURIComponent(id)}`, `customer_no=${encodeURIComponent('10 003')}`);
    assert.deepEqual(got, { key: documentKey('10 003', 'orders', id) }, id);
    const parsed = parseKey((got as { key: string }).key);
    assert.deepEqual(parsed, { type: 'document', customerNo: '10 003', list: 'orders', id }, id);
  }
});

test('static paths must be spelled as published', () => {
  assert.deepEqual(r('/v1/customers/10003/orders/pages/1.json'), { key: 'customers/10003/orders/pages/1.json' });
  assert.deepEqual(r('/v1/customers/10003/backorders.json'), { key: 'customers/10003/backorders.json' });
  assert.deepEqual(r('/v1/customers/10003/credit-invoices/K-1.pdf'), { key: 'customers/10003/credit-invoices/K-1.pdf' });
  for (const p of ['/v1/customers/10003/orders/A 1.json', '/v1/customers/10003/orders/A%201.json', '/v1/customers/10003%2Forders%2Fpages%2F1.json']) {
    assert.equal((r(p) as { status?: number }).status, 404, p);
  }
});

test('a prefix with several segments', () => {
  assert.deepEqual(route('/api/v2/orders', parseQueryString('customer_no=1'), 'api/v2'), { key: 'customers/1/orders/pages/1.json' });
  assert.equal((route('/v1/orders', parseQueryString('customer_no=1'), 'api/v2') as { status?: number }).status, 404);
});
