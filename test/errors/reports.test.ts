import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { openApp } from '../../src/app.ts';
import { CATALOGUE } from '../../src/errors.ts';
import { processFile } from '../../src/ingest/process.ts';
import { publishDirty } from '../../src/publish/cycle.ts';
import type { Target } from '../../src/publish/targets/target.ts';
import { configIn, FLAT_HEADER, FLAT_ORDERS_FEED, flatRow, localApp, tmpDir, writeBytes } from '../helpers.ts';

/** An app whose log lines are kept (JSON, as a service writes them) for the test to read. */
function appWithLog(feeds = FLAT_ORDERS_FEED) {
  const dir = tmpDir('vp-err-report');
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  const app = localApp(openApp(configIn(dir, `feeds:${feeds}`), pino({ level: 'info', base: undefined }, sink)));
  return { dir, app, lines, drop: (name: string, text: string) => writeBytes(path.join(dir, 'in'), name, text) };
}

test('NAME.error.json beside a quarantined file carries each error’s code, ref, rule and hint; so does the log line', async () => {
  const { app, lines, drop } = appWithLog();
  try {
    const file = drop('orders_bad.csv', `${FLAT_HEADER}\n${flatRow({ id: 'A-1', c: 'C1', date: '20240101' })}\n${flatRow({ id: 'A-2', c: 'C1', date: '20240230' })}\n`);
    const r = await processFile(app, file, { move: true, publish: true });
    assert.equal(r.outcome, 'rejected');
    const report = JSON.parse(readFileSync(`${r.movedTo}.error.json`, 'utf8')) as { errors: Array<Record<string, unknown>> };
    assert.equal(report.errors.length, 1, JSON.stringify(report));
    const e = report.errors[0]!;
    assert.deepEqual({ code: e.code, ref: e.ref, rule: e.rule, line: e.line }, { code: 'VP_ERR_FIELD', ref: 'VP_E_DATE_INVALID', rule: 'date-invalid', line: 3 });
    assert.equal(typeof e.hint, 'string');
    assert.ok((e.hint as string).length > 0);

    const logged = lines.find((l) => l.level === 50 && l.rule === 'date-invalid');
    assert.ok(logged, JSON.stringify(lines));
    assert.deepEqual({ code: logged.code, ref: logged.ref, line: logged.line }, { code: 'VP_ERR_FIELD', ref: 'VP_E_DATE_INVALID', line: 3 });
  } finally {
    app.close();
  }
});

test('a file no feed matches: its report carries VP_E_FEED_PATTERN with the patterns as its hint', async () => {
  const { app, lines, drop } = appWithLog();
  try {
    const r = await processFile(app, drop('unknown.txt', 'x\n'), { move: true, publish: true });
    const report = JSON.parse(readFileSync(`${r.movedTo}.error.json`, 'utf8')) as { errors: Array<Record<string, unknown>> };
    assert.deepEqual([report.errors[0]!.code, report.errors[0]!.ref], ['VP_ERR_NO_FEED', CATALOGUE['feed-pattern'].code]);
    assert.match(String(report.errors[0]!.hint), /orders\*\.csv/, 'the throw site’s own hint is kept');
    assert.ok(lines.some((l) => l.ref === 'VP_E_FEED_PATTERN'));
  } finally {
    app.close();
  }
});

test('NAME.skipped.json beside an archived file and the "record skipped" log line carry the ref', async () => {
  const { app, lines, drop } = appWithLog(FLAT_ORDERS_FEED.replace('mode: delta', 'mode: delta\n    onError: skip-record'));
  try {
    const file = drop('orders_skip.csv', `${FLAT_HEADER}\n${flatRow({ id: 'S-1', c: 'C1', date: '20240101' })}\n${flatRow({ id: 'S-2', c: 'C1', date: '20240101', price: '12,3,4' })}\n`);
    const r = await processFile(app, file, { move: true, publish: true });
    assert.equal(r.outcome, 'ingested', r.errors.map((e) => e.message).join('\n'));
    const skipped = JSON.parse(readFileSync(`${r.movedTo}.skipped.json`, 'utf8')) as { skipped: Array<Record<string, unknown>> };
    assert.deepEqual(skipped.skipped.map((e) => [e.line, e.code, e.ref, e.rule]), [[3, 'VP_ERR_FIELD', 'VP_E_NUMBER_FORMAT', 'number-format']]);
    const logged = lines.find((l) => /record skipped/.test(String(l.msg)));
    assert.equal(logged?.ref, 'VP_E_NUMBER_FORMAT', JSON.stringify(lines));
  } finally {
    app.close();
  }
});

test('a failed write is logged with VP_E_PUBLISH_FAILED (it stays in the outbox)', async () => {
  const { app, lines, drop } = appWithLog();
  try {
    await processFile(app, drop('orders1.csv', `${FLAT_HEADER}\n${flatRow({ id: 'P-1', c: 'C1', date: '20240101' })}\n`), { move: false, publish: false });
    // Fault injected: the target refuses every write.
    const refuse = async () => {
      throw new Error('disk full (injected)');
    };
    const failing: Target = { ...app.target, description: 'failing', check: async () => {}, delete: async () => {}, put: refuse, putFile: refuse };
    const stats = await publishDirty({ ...app.publishContext(), target: failing });
    assert.ok(stats.failed >= 1);
    const logged = lines.filter((l) => /publish failed/.test(String(l.msg)));
    assert.ok(logged.length >= 1, JSON.stringify(lines));
    for (const l of logged) assert.deepEqual([l.code, l.ref, l.rule, l.err], ['VP_ERR_PUBLISH', 'VP_E_PUBLISH_FAILED', 'publish-failed', 'disk full (injected)']);
  } finally {
    app.close();
  }
});
