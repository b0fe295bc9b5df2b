import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderCustomer } from '../../src/render/documents.ts';
import { BUILT_IN_CARRIERS, carrierTable } from '../../src/render/carriers.ts';
import { createValidator } from '../../src/render/validate.ts';
import type { StoredDoc } from '../../src/store/db.ts';
import type { DocHeader, DocKind, DocLine } from '../../src/model.ts';

const NBSP = '\u00a0';
const MINUS = '\u2212';
const opts = { locale: 'sv-SE', pageSize: 50, publicBaseUrl: 'https://historik.example.se', prefix: 'v1' };

function doc(kind: DocKind, id: string, date: string, lines: DocLine[], extra: Partial<DocHeader> = {}, pdf?: StoredDoc['pdf']): StoredDoc {
  return {
    kind,
    id,
    customer_no: 'C1',
    header: { id, customer_no: 'C1', date, currency: 'SEK', customer: { no: 'C1' }, delivery: {}, ...extra },
    lines,
    source: { file: 'x', line: 2, record: 1 },
    ...(pdf ? { pdf } : {}),
  };
}

const validate = createValidator();
function render(docs: StoredDoc[]) {
  const out = renderCustomer('C1', docs, opts);
  for (const d of out.documents) assert.equal(validate(d.type, d.body), undefined, d.key);
  const get = (key: string) => out.documents.find((d) => d.key === key)?.body as Record<string, any> | undefined;
  return { ...out, get };
}

test('credit invoices: their own list and documents, in the invoice list marked as credit, negative amounts as the locale writes them', () => {
  const r = render([
    doc('invoice', '500001', '2025-03-01', [{ quantity: '2', price: '987.60', vat_rate: '25' }]),
    doc('credit', '590001', '2025-03-10', [{ quantity: '-1', price: '987.60', vat_rate: '25' }], { order_nos: ['100001'] }),
  ]);
  const credit = r.get('customers/C1/credit-invoices/590001.json')!;
  assert.equal(credit.type, 'credit');
  assert.equal(credit.total, `${MINUS}1${NBSP}234,50${NBSP}kr`);
  assert.equal(credit.total_amount, '-1234.50');
  assert.deepEqual(credit.orders, [{ order_no: '100001' }]);
  const invoices = r.get('customers/C1/invoices/pages/1.json')!;
  assert.deepEqual(invoices.items.map((i: any) => [i.id, i.type]), [['590001', 'credit'], ['500001', 'invoice']]);
  const credits = r.get('customers/C1/credit-invoices/pages/1.json')!;
  assert.deepEqual(credits.items.map((i: any) => i.id), ['590001']);
  assert.equal(credits.items[0].sum, `${MINUS}1${NBSP}234,50${NBSP}kr`);
  assert.ok(r.get('customers/C1/credit-invoices/years/2025/pages/1.json'));
  assert.ok(!r.get('customers/C1/invoices/590001.json'), 'a credit invoice is not published as an invoice');
});

test('backorders: lines with quantity still to deliver, from remaining or from quantity − delivered; delivered lines are not listed', () => {
  const r = render([
    doc('order', '100', '2025-05-02', [
      { model: 'A', name: 'Alfa', quantity: '10', delivered: '4', delivery_date: '2025-06-01' },
      { model: 'B', name: 'Beta', quantity: '5', delivered: '5' },
      { model: 'C', name: 'Gamma', quantity: '3', remaining: '3' },
      { model: 'D', name: 'Delta', quantity: '1' },
    ]),
    doc('order', '101', '2025-05-09', [{ model: 'E', name: 'Epsilon', quantity: '2', remaining: '0' }]),
  ]);
  assert.deepEqual(r.get('customers/C1/backorders.json'), {
    schema_version: 1,
    type: 'backorders',
    customer_no: 'C1',
    total: 2,
    items: [
      { model: 'A', name: 'Alfa', quantity: '6', ordered: '10', order_no: '100', order_date: '2025-05-02', expected_date: '2025-06-01' },
      { model: 'C', name: 'Gamma', quantity: '3', ordered: '3', order_no: '100', order_date: '2025-05-02', expected_date: null },
    ],
  });
  // Cleared: the next export says everything was delivered.
  const cleared = render([doc('order', '100', '2025-05-02', [{ model: 'A', quantity: '10', delivered: '10' }])]);
  assert.deepEqual(cleared.get('customers/C1/backorders.json')!.items, []);
});

test('packages: every built-in carrier gives an https tracking link with the id encoded; unknown carriers give none; config overrides', () => {
  const expected: Record<string, string> = {
    PostNord: 'https://tracking.postnord.com/se/?id=00370712345678901234',
    'DHL Freight': 'https://www.dhl.com/se-sv/home/tracking/tracking-freight.html?submit=1&tracking-id=00370712345678901234',
    'DHL Express': 'https://www.dhl.com/se-sv/home/tracking/tracking-express.html?submit=1&tracking-id=00370712345678901234',
    'DB Schenker': 'https://www.dbschenker.com/app/tracking-public/?refNumber=00370712345678901234',
    Bring: 'https://tracking.bring.se/tracking/00370712345678901234',
    DSV: 'https://www.dsv.com/en/tools/track-and-trace?ref=00370712345678901234',
    UPS: 'https://www.ups.com/track?tracknum=00370712345678901234',
    FedEx: 'https://www.fedex.com/fedextrack/?trknbr=00370712345678901234',
  };
  assert.equal(Object.keys(expected).length, Object.keys(BUILT_IN_CARRIERS).length);
  const table = carrierTable();
  for (const [carrier, url] of Object.entries(expected)) {
    assert.equal(table.link(carrier, '00370712345678901234'), url, carrier);
    assert.equal(table.link(carrier.toUpperCase().replace(' ', '_'), '00370712345678901234'), url, `${carrier} as a code`);
  }
  assert.equal(table.link('ups', 'A B/C?&'), 'https://www.ups.com/track?tracknum=A%20B%2FC%3F%26');
  assert.equal(table.link('Unknown Carrier', '1'), undefined);
  assert.equal(table.link(undefined, '1'), undefined);
  const custom = carrierTable({ ups: { url: 'https://track.example.com/ups/{id}' }, budbee: { name: 'Budbee', url: 'https://budbee.com/{id}', aliases: ['BB'] } });
  assert.equal(custom.link('UPS', '1Z9'), 'https://track.example.com/ups/1Z9');
  assert.equal(custom.link('bb', 'X1'), 'https://budbee.com/X1');

  const r = render([doc('order', '1', '2025-01-01', [{ quantity: '1', price: '1' }], { tracking_ids: ['1Z999', '1Z998'], carrier: 'UPS' })]);
  assert.deepEqual(r.get('customers/C1/orders/1.json')!.packages, [
    { tracing_id: '1Z999', tracking_link: 'https://www.ups.com/track?tracknum=1Z999' },
    { tracing_id: '1Z998', tracking_link: 'https://www.ups.com/track?tracknum=1Z998' },
  ]);
});

test('a document with a PDF links to it on the CDN and publishes the file beside its JSON', () => {
  const r = render([doc('invoice', 'F 1', '2025-01-01', [{ quantity: '1', price: '1' }], {}, { path: '/blobs/abc.pdf', sha256: 'abc', size: 10 })]);
  assert.equal(r.get('customers/C1/invoices/F~201.json')!.pdf_link, 'https://historik.example.se/v1/customers/C1/invoices/F~201.pdf');
  assert.deepEqual(r.files, [{ key: 'customers/C1/invoices/F~201.pdf', path: '/blobs/abc.pdf', sha256: 'abc', size: 10, contentType: 'application/pdf' }]);
});

test('currencies per document: SEK, EUR, NOK, DKK', () => {
  const r = render(['SEK', 'EUR', 'NOK', 'DKK'].map((currency, i) => doc('order', String(i + 1), '2025-01-01', [{ quantity: '1', price: '1234.5' }], { currency })));
  assert.deepEqual(
    ['1', '2', '3', '4'].map((id) => r.get(`customers/C1/orders/${id}.json`)!.total),
    [`1${NBSP}234,50${NBSP}kr`, `1${NBSP}234,50${NBSP}€`, `1${NBSP}234,50${NBSP}Nkr`, `1${NBSP}234,50${NBSP}Dkr`],
  );
});
