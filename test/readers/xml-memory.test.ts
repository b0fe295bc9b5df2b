/**
 * The XML reader's memory is bounded by the largest record, not by the file (issue #7): a file of
 * ~25 MB is read through readRecords in a child process started with --expose-gc, which collects
 * garbage every 1,000 records and records heapUsed. The child also keeps two short values of every
 * 10th record (a CDATA text and a long attribute value, the kinds fast-xml-parser returns as views
 * into the record text), as a consumer that keeps a name per customer would: a reader whose values
 * are views into its 64 KiB decoded pieces (~60 records each here) would keep the whole file alive
 * through them.
 *
 * Not timing-based: the bound is on heap bytes after a full GC (a quarter of the file), and
 * generous. Measured here: heap growth ≈ 1.7 MB for a 24.9 MB file (pieces in flight, kept values);
 * with the reader before the fix (values were views pinning their pieces) it grew by ≈ 26 MB.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRecords } from '../../src/readers/index.ts';
import type { ReaderOptions } from '../../src/readers/types.ts';

const CHILD_ENV = 'VP_XML_MEMORY_CHILD';
const opts: ReaderOptions = { format: 'xml', encoding: 'utf-8', delimiter: ';', quote: '"', header: true, recordPath: 'Fakturor/Faktura', linePath: 'Rader/Rad' };

interface ChildReport {
  records: number;
  baseline: number;
  maxHeap: number;
  keptChars: number;
  samples: number;
}

/** About `records` KiB of XML: each record ~1 KiB with a CDATA name, an entity and a long attribute. */
function writeExport(file: string, records: number): number {
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  const put = (s: string) => (bytes += fs.writeSync(fd, s));
  try {
    put('<?xml version="1.0" encoding="UTF-8"?>\n<Fakturor exportdatum="2025-11-30">\n');
    let block = '';
    for (let i = 0; i < records; i++) {
      const lines = [1, 2, 3]
        .map((k) => `\t\t\t<Rad nr="${k}">\n\t\t\t\t<Artikelnr>A-${(i * 7 + k) % 9973}</Artikelnr>\n\t\t\t\t<Benamning><![CDATA[Handske & nitril ${i}-${k} (Proffs)]]></Benamning>\n\t\t\t\t<Antal>${k}.0</Antal>\n\t\t\t\t<Pris>${(i % 1000) + k}.50</Pris>\n\t\t\t</Rad>\n`)
        .join('');
      block +=
        `\t<Faktura nr="${500000 + i}" referens="Kreditering av faktura ${400000 + i}: retur">\n` +
        `\t\t<Kundnr>${10000 + (i % 5000)}</Kundnr>\n\t\t<Fakturadatum>2025-11-${String((i % 28) + 1).padStart(2, '0')}</Fakturadatum>\n` +
        `\t\t<Kund>\n\t\t\t<Namn>Lokalvård Göta &amp; Söner AB ${i % 5000}</Namn>\n\t\t\t<Adress>Storgatan ${i % 200}</Adress>\n\t\t</Kund>\n` +
        `\t\t<Kommentar>${'Levereras till lastkaj 3, ring 20 minuter innan. '.repeat(4)}</Kommentar>\n` +
        `\t\t<Rader>\n${lines}\t\t</Rader>\n\t</Faktura>\n`;
      if (block.length > 1 << 20) {
        put(block);
        block = '';
      }
    }
    put(`${block}</Fakturor>\n`);
  } finally {
    fs.closeSync(fd);
  }
  return bytes;
}

/** In the child: read the file, keep two values per record, sample heapUsed after full GCs. */
async function child(file: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  const baseline = process.memoryUsage().heapUsed;
  let maxHeap = baseline;
  let samples = 0;
  const kept: string[] = [];
  let records = 0;
  for await (const r of readRecords(file, opts)) {
    records++;
    if (records % 10 === 0) kept.push(r.fields['@referens']!, r.lines![0]!.fields.Benamning!);
    if (records % 1000 === 0) {
      gc();
      maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
      samples++;
    }
  }
  gc();
  maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
  const report: ChildReport = { records, baseline, maxHeap, keptChars: kept.reduce((a, s) => a + s.length, 0), samples: samples + 1 };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

if (process.env[CHILD_ENV]) {
  await child(process.env[CHILD_ENV]);
} else {
  test('reading a 25 MB XML file (keeping values of every 10th record) does not hold the file in memory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vp-xml-mem-'));
    try {
      const file = path.join(dir, 'fakturor_mem.xml');
      const records = 24_000;
      const bytes = writeExport(file, records);
      assert.ok(bytes > 20e6, `file is ${bytes} bytes`);
      const res = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url)], {
        env: { ...process.env, [CHILD_ENV]: file },
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      assert.equal(res.status, 0, `child failed: ${res.stderr}`);
      const report = JSON.parse(res.stdout.trim().split('\n').at(-1)!) as ChildReport;
      assert.equal(report.records, records);
      assert.ok(report.samples >= 24);
      const growth = report.maxHeap - report.baseline;
      // The kept values cost < 1 MB (4,800 strings); holding the file (or its pieces) costs > 20 MB.
      assert.ok(growth < bytes / 4, `heap grew by ${(growth / 1e6).toFixed(1)} MB while reading a ${(bytes / 1e6).toFixed(1)} MB file (kept ${report.keptChars} chars)`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
