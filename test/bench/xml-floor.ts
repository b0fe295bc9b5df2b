/**
 * The floor of the ingest benchmark for XML feeds (test/bench/ingest.ts, phase `floor` with
 * `--format xml`): the least any ingest of the file pays with the XML parser this project uses.
 *
 * fast-xml-parser has no streaming mode (it parses whole strings), so every reader of a large file
 * has to cut it into record chunks first (../shared/DESIGN.md). The floor does exactly that and no
 * more:
 *   - createReadStream (64 KiB pieces) -> streaming TextDecoder('utf-8'), not fatal;
 *   - a naive cutter: `indexOf('<Faktura')` … `indexOf('</Faktura>')` (the last segment of the
 *     feed's recordPath), no lexing, so it would cut wrongly inside a comment or CDATA, counts no
 *     lines and checks nothing (no element stack, no record path, no entity or reference checks);
 *   - one XMLParser (built once) `.parse(chunk)` per record -> a plain object per record, with the
 *     options needed to get the data at all (`ignoreAttributes: false`, `parseTagValue: false`) and
 *     `jPath: false` (no path strings for callbacks): no XMLValidator pass, no flattening into
 *     field maps, no line numbers, no isArray for the line elements.
 * What vendre-pull's reader (src/readers/xml.ts) adds on top: the lexing cutter (comments, CDATA,
 * PIs, DOCTYPE, quoted attributes, element stack, record path from the root), entity refusal and
 * reference checks, line/column counting, fatal UTF-8 decoding with NUL checks, XMLValidator per
 * record (errors with exact lines), and flattening into `fields` / `lines`.
 */
import { createReadStream } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import type { FeedConfig } from '../../src/config/types.ts';

/** Records (elements named like the last segment of feed.recordPath) parsed from `file`. */
export async function xmlFloor(file: string, feed: FeedConfig): Promise<number> {
  if (feed.format !== 'xml' || !feed.recordPath) throw new Error('the XML floor needs an XML feed with a recordPath');
  const name = feed.recordPath.split('/').filter(Boolean).at(-1)!;
  const open = `<${name}`;
  const close = `</${name}>`;
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, jPath: false });
  const decoder = new TextDecoder(feed.encoding === 'utf-8' ? 'utf-8' : 'latin1');
  let buf = '';
  let records = 0;
  const cut = (): void => {
    let pos = 0;
    let keep: number;
    for (;;) {
      const start = buf.indexOf(open, pos);
      if (start === -1) {
        keep = Math.max(pos, buf.length - open.length); // a tail that may hold a split `<Faktura`
        break;
      }
      const after = buf[start + open.length];
      if (after === undefined) {
        keep = start;
        break;
      }
      if (!/[\s/>]/.test(after)) {
        pos = start + 1; // `<Fakturor` also starts with `<Faktura`
        continue;
      }
      const end = buf.indexOf(close, start);
      if (end === -1) {
        keep = start; // the unfinished record
        break;
      }
      parser.parse(buf.slice(start, end + close.length));
      records++;
      pos = end + close.length;
    }
    buf = buf.slice(keep);
  };
  for await (const piece of createReadStream(file)) {
    buf += decoder.decode(piece as Buffer, { stream: true });
    cut();
  }
  buf += decoder.decode();
  cut();
  return records;
}
