import path from 'node:path';
import { DataError, ErrorCodes } from '../errors.ts';
import type { FeedConfig } from '../config/types.ts';
import type { MappedRecord } from '../model.ts';
import { compileWhen } from '../mapping/rules.ts';
import { listPathsOf, readRecords, type RawRecord, type ReadHooks } from '../readers/index.ts';
import type { ApplyPart } from './apply.ts';

/**
 * The parts a file is applied as: the feed itself, or each of its sections. XML sections read their
 * own record path; sections with `when` take the records whose columns match, and a record that no
 * section takes is a bad record (reported in the first section), never dropped silently.
 */
export function partsOf(file: string, feed: FeedConfig, mapperFor: (feed: FeedConfig) => (raw: RawRecord, file: string) => MappedRecord, hooks?: ReadHooks): ApplyPart[] {
  const sections = feed.sections ?? [feed];
  const tests = sections.map((s) => (s.when ? compileWhen(s.when) : undefined));
  // With `when` on every section sharing one record path, each record must belong to one of them.
  const checkUnclaimed = sections.length > 1 && tests.every((t) => t !== undefined);
  return sections.map((section, i) => ({
    feed: section,
    map: mapperFor(section),
    records: () => {
      // Progress follows the first read of the file only.
      const all = readRecords(file, { ...section, listPaths: listPathsOf(section) }, undefined, i === 0 ? hooks : undefined);
      const test = tests[i];
      return test ? select(all, test, i === 0, checkUnclaimed ? (tests as Array<(f: Record<string, string>) => boolean>) : undefined, feed, path.basename(file)) : all;
    },
  }));
}

/** The records of one section; the first section also carries broken records and those no section takes. */
async function* select(records: AsyncIterable<RawRecord>, test: (f: Record<string, string>) => boolean, first: boolean, all: Array<(f: Record<string, string>) => boolean> | undefined, feed: FeedConfig, name: string): AsyncGenerator<RawRecord> {
  for await (const raw of records) {
    if (raw.error) {
      if (first) yield raw;
    } else if (test(raw.fields)) yield raw;
    else if (first && all && !all.some((t) => t(raw.fields))) {
      const columns = [...new Set(feed.sections!.flatMap((s) => Object.keys(s.when ?? {})))];
      yield {
        ...raw,
        error: new DataError(ErrorCodes.RECORD, 'matches the `when` of none of the feed\'s sections', {
          file: name,
          line: raw.line,
          record: raw.record,
          field: columns.join(', '),
          value: columns.map((c) => raw.fields[c] ?? '').join(', '),
          rule: 'section-none',
          hint: 'add a section for this record type, or fix the export',
        }),
      };
    }
  }
}
