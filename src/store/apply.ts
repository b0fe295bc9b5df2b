import { DataError, ErrorCodes, FileRejected } from '../errors.ts';
import type { FeedConfig } from '../config/types.ts';
import { docKindOf, feedCarriesHeaders, type MappedRecord } from '../model.ts';
import type { RawRecord } from '../readers/types.ts';
import type { Store } from './db.ts';

export interface ApplyOptions {
  /** Share of existing documents a full snapshot may delete before it is taken for a truncated export. */
  maxDeleteShare: number;
  /** Stop collecting errors after this many. */
  maxErrors: number;
  /** Override the deletion guard (replay --force). */
  force?: boolean;
  /** Roll back at the end whatever happened (validate). */
  dryRun?: boolean;
  /**
   * reject-file: any bad record rejects the file. skip-record: a document with a bad record is
   * skipped whole (its stored version stays as it was), the rest is applied, the errors reported.
   */
  onError?: 'reject-file' | 'skip-record';
  /** Aborting rolls the file back (shutdown); it stays where it is and is taken again later. */
  signal?: AbortSignal;
  /** Runs inside the transaction after the records are applied (publish planning, the file's history row). */
  beforeCommit?: (result: ApplyResult) => void;
}

/** The file was rolled back because the process is stopping. */
export class ApplyAborted extends Error {
  constructor(file: string) {
    super(`${file}: stopped before the end; rolled back`);
    this.name = 'ApplyAborted';
  }
}

export interface ApplyResult {
  records: number;
  upserted: number;
  deleted: number;
  /** Customers whose objects must be re-rendered. */
  dirty: number;
  /** Records skipped under onError: skip-record, with their errors. */
  skipped: DataError[];
}

/**
 * Applies one input file to the store in ONE transaction: either all of its records are in, with
 * the customers they touch marked dirty, or none are (the file is then rejected with every error found,
 * up to maxErrors). The file's records stream through; nothing but the ids seen is held in memory.
 */
export async function applyFile(
  store: Store,
  name: string,
  feed: FeedConfig,
  records: () => AsyncIterable<RawRecord>,
  map: (raw: RawRecord, file: string) => MappedRecord,
  opts: ApplyOptions,
): Promise<ApplyResult> {
  const first = await applyOnce(store, name, feed, records, map, opts, new Set());
  if (first.retry.size === 0) return first.result;
  // skip-record: a document is skipped whole. Some records of these documents were applied before
  // one of them failed, so the file is applied again (the first attempt was rolled back) without them.
  const second = await applyOnce(store, name, feed, records, map, opts, first.retry);
  // The second attempt steps over the bad documents without mapping them: their errors are the first attempt's.
  return { ...second.result, skipped: [...first.result.skipped, ...second.result.skipped] };
}

/** Ids of documents that had a bad record in the first attempt, and of which some records were applied. */
interface Attempt {
  result: ApplyResult;
  retry: Set<string>;
}

async function applyOnce(
  store: Store,
  name: string,
  feed: FeedConfig,
  records: () => AsyncIterable<RawRecord>,
  map: (raw: RawRecord, file: string) => MappedRecord,
  opts: ApplyOptions,
  exclude: Set<string>,
): Promise<Attempt> {
  const kind = docKindOf(feed.kind);
  const headers = feedCarriesHeaders(feed.kind);
  const errors: DataError[] = [];
  const result: ApplyResult = { records: 0, upserted: 0, deleted: 0, dirty: 0, skipped: [] };
  const skip = opts.onError === 'skip-record';
  /** skip-record: documents with a bad record, and documents this attempt wrote to. */
  const bad = new Set<string>();
  const touched = new Set<string>();
  const dirty = new Set<string>();
  const markDirty = (c: string) => {
    if (!dirty.has(c)) {
      dirty.add(c);
      store.markDirty(c);
    }
  };
  /** id → customer of the headers this file carried (one customer per id and file). */
  const seenHeaders = new Map<string, string>();
  /** ids whose lines this file replaced: the file carries the complete line set of each document it names. */
  const seenLines = new Map<string, number>();
  /** Ids this file carries (headers for header feeds, line sets for line feeds): what a full snapshot keeps. */
  const present = new Set<string>();
  const before = feed.mode === 'full' ? new Set(store.existingIds(kind, headers ? 'docs' : 'lines')) : undefined;

  const apply = (rec: MappedRecord): void => {
    if (rec.deleted) {
      const existing = store.getDoc(kind, rec.id);
      if (existing) markDirty(existing.customer_no);
      store.deleteDoc(kind, rec.id);
      store.deleteLines(kind, rec.id);
      seenLines.delete(rec.id);
      if (existing) result.deleted++;
      return;
    }
    if (rec.header) {
      const customer = rec.header.customer_no;
      const earlier = seenHeaders.get(rec.id);
      if (earlier === undefined) {
        seenHeaders.set(rec.id, customer);
        present.add(rec.id);
        const existing = store.getDoc(kind, rec.id);
        const json = JSON.stringify(rec.header);
        // A document that moved leaves its old customer's objects.
        if (existing && existing.customer_no !== customer) markDirty(existing.customer_no);
        // Written even when unchanged, so the document points at the latest file and line that carried it.
        store.upsertDoc(kind, rec.header, json, rec.source);
        if (!existing || existing.header !== json) {
          markDirty(customer);
          result.upserted++;
        }
      } else if (earlier !== customer) {
        throw new DataError(ErrorCodes.RECORD, `${kind} ${rec.id} appears under customer ${earlier} and ${customer} in one file`, {
          file: rec.source.file,
          line: rec.source.line,
          record: rec.source.record,
          field: 'customer_no',
          value: customer,
          rule: 'id-customer-conflict',
          hint: 'one document belongs to one customer; fix the export',
        });
      }
    }
    if (rec.lines.length > 0) {
      let seq = seenLines.get(rec.id);
      if (seq === undefined) {
        store.deleteLines(kind, rec.id);
        seq = 0;
      }
      for (const line of rec.lines) store.insertLine(kind, rec.id, seq++, line, rec.source);
      seenLines.set(rec.id, seq);
      if (!headers) present.add(rec.id);
      const owner = rec.header?.customer_no ?? store.getDoc(kind, rec.id)?.customer_no;
      // Lines whose header has not arrived yet wait in the store; the header's arrival marks the customer.
      if (owner) markDirty(owner);
    }
  };

  store.db.exec('BEGIN IMMEDIATE');
  let committed = false;
  try {
    try {
      for await (const raw of records()) {
        if (opts.signal?.aborted) throw new ApplyAborted(name);
        result.records++;
        const rawId = raw.fields[feed.map.id]?.trim();
        try {
          if (raw.error) throw raw.error;
          if (rawId && exclude.has(rawId)) {
            // Skipped whole: another record of this document failed (reported below, or in the first attempt).
            present.add(rawId);
            continue;
          }
          if (rawId && bad.has(rawId)) continue;
          const rec = map(raw, name);
          // After the first error nothing will be committed; keep mapping to report more errors at once.
          if (errors.length === 0) {
            apply(rec);
            touched.add(rec.id);
          }
        } catch (err) {
          if (!(err instanceof DataError)) throw err;
          if (skip) {
            result.skipped.push(err);
            if (rawId) {
              bad.add(rawId);
              // In a full snapshot a skipped document is still present: it must not be deleted as absent.
              present.add(rawId);
            } else if (before) {
              errors.push(new DataError(ErrorCodes.RECORD, 'a bad record without a readable document id in a full snapshot: it cannot be skipped safely (its document would be deleted as absent)', { ...err.context, rule: 'full-skip-without-id' }));
              break;
            }
            if (result.skipped.length >= opts.maxErrors) {
              errors.push(new DataError(ErrorCodes.RECORD, `more than ${opts.maxErrors} bad records; the file is rejected as a whole`, { file: name, rule: 'max-errors' }));
              break;
            }
            continue;
          }
          errors.push(err);
          if (errors.length >= opts.maxErrors) break;
        }
      }

    } catch (err) {
      // A structural error of the reader (broken quote, bad encoding) ends the file.
      if (!(err instanceof DataError)) throw err;
      errors.push(err);
    }
    if (errors.length > 0) throw new FileRejected(name, errors);
    const partial = new Set([...bad].filter((id) => touched.has(id)));
    if (partial.size > 0) {
      store.db.exec('ROLLBACK');
      return { result, retry: new Set([...exclude, ...bad]) };
    }

    if (before) {
      const absent = [...before].filter((id) => !present.has(id));
      const share = opts.maxDeleteShare;
      if (absent.length > 0 && absent.length > share * before.size && !opts.force) {
        throw new FileRejected(name, [
          new DataError(ErrorCodes.DELETE_GUARD, `full snapshot would delete ${absent.length} of ${before.size} ${kind}s (more than ${Math.round(share * 100)} %); suspected truncated export`, {
            file: name,
            rule: 'max-delete-share',
            hint: 'check the export; if the deletions are real, run `vendre-pull replay --force` or raise maxDeleteShare',
          }),
        ]);
      }
      for (const id of absent) {
        const owner = store.getDoc(kind, id)?.customer_no;
        if (owner) markDirty(owner);
        if (headers) store.deleteDoc(kind, id);
        store.deleteLines(kind, id);
        result.deleted++;
      }
    }
    result.dirty = dirty.size;
    opts.beforeCommit?.(result);
    if (opts.dryRun) {
      store.db.exec('ROLLBACK');
    } else {
      store.db.exec('COMMIT');
    }
    committed = true;
    return { result, retry: new Set() };
  } finally {
    if (!committed && store.db.inTransaction) store.db.exec('ROLLBACK');
  }
}
