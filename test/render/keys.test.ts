import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSegment, documentKey, encodeSegment, listPageKey, parseKey } from '../../src/layout/keys.ts';

test('ids with spaces, non-ASCII letters and punctuation round-trip through the key encoding', () => {
  for (const id of ['12345', 'A 12/3', 'Örebro-ÅÄÖ 7', '..', '.hidden', 'a.b', '~tilde', '100%', '日本', 'x'.repeat(128)]) {
    const seg = encodeSegment(id);
    assert.match(seg, /^(?:[A-Za-z0-9_.-]|~[0-9A-F]{2})+$/);
    assert.ok(!seg.startsWith('.'), `${seg} must not start with a dot`);
    assert.equal(decodeSegment(seg), id);
  }
});

test('no input produces a key outside customers/{c}/', () => {
  for (const evil of ['../../etc/passwd', '/abs', 'a/b', '..', '%2e%2e', '\\..\\x']) {
    const key = documentKey('10001', 'orders', evil);
    assert.ok(key.startsWith('customers/10001/orders/'), key);
    assert.equal(key.split('/').length, 4, `one segment for the id: ${key}`);
    assert.ok(!key.split('/').some((s) => s === '..' || s === '.'), key);
    assert.deepEqual(parseKey(key), { type: 'document', customerNo: '10001', list: 'orders', id: evil });
  }
});

test('decodeSegment refuses non-canonical and malformed spellings', () => {
  assert.equal(decodeSegment('~41'), undefined, 'A must be spelled A');
  assert.equal(decodeSegment('a~2'), undefined);
  assert.equal(decodeSegment('a~2f'), undefined, 'lower-case hex is not canonical');
  assert.equal(decodeSegment('.x'), undefined);
  assert.equal(decodeSegment('~FF'), undefined, 'invalid UTF-8');
  assert.equal(decodeSegment(''), undefined);
  assert.throws(() => encodeSegment(''));
});

test('list page keys and their parse', () => {
  assert.equal(listPageKey('10003', 'orders', 2), 'customers/10003/orders/pages/2.json');
  assert.equal(listPageKey('10003', 'invoices', 1, 2024), 'customers/10003/invoices/years/2024/pages/1.json');
  assert.deepEqual(parseKey('customers/10003/invoices/years/2024/pages/1.json'), { type: 'list', customerNo: '10003', list: 'invoices', page: 1, year: 2024 });
  assert.equal(parseKey('customers/10003/orders/pages/0.json'), undefined);
  assert.equal(parseKey('customers/10003/secrets.json'), undefined);
  assert.equal(parseKey('customers/../orders/1.json'), undefined);
});
