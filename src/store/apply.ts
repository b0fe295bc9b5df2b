import { createHash, type Hash } from 'node:crypto';
import { DataError, ErrorCodes, FileRejected, shorten } from '../errors.ts';
import type { FeedConfig } from '../config/types.ts';
import { docKindOf, feedCarriesHeaders, type DocKind, type MappedRecord } from '../model.ts';
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
  /** Records read so far, after each record (progress); keep it cheap. */
  onRecord?: (records: number) => void;
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
  const headers = feedCarriesHeaders(feed.kind);
  /** The kinds this feed writes: an invoice feed with a credit marker writes credit invoices too. */
  const kinds: DocKind[] = feed.credit ? [docKindOf(feed.kind), 'credit'] : [docKindOf(feed.kind)];
  const kindLabel = kinds.map((k) => (k === 'credit' ? 'credit invoices' : `${k}s`)).join(' and ');
  /** Documents are identified by kind and number (an invoice and a credit invoice may share a number). */
  const ref = (k: DocKind, id: string) => `${k}\u0000${id}`;
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
  const lineDigests = new Map<string, { hash: Hash; before: string | undefined }>();
  /** Ids this file carries (headers for header feeds, line sets for line feeds): what a full snapshot keeps. */
  const present = new Set<string>();
  const before = feed.mode === 'full' ? new Set(kinds.flatMap((k) => store.existingIds(k, headers ? 'docs' : 'lines').map((id) => ref(k, id)))) : undefined;

  const apply = (rec: MappedRecord): void => {
    const kind = rec.kind;
    const key = ref(kind, rec.id);
    if (rec.deleted) {
      const existing = store.getDoc(kind, rec.id);
      if (existing) markDirty(existing.customer_no);
      store.deleteDoc(kind, rec.id);
      store.dropLines(kind, rec.id);
      seenLines.delete(key);
      lineDigests.delete(key);
      if (existing) result.deleted++;
      return;
    }
    if (rec.header) {
      const customer = rec.header.customer_no;
      const earlier = seenHeaders.get(key);
      if (earlier === undefined) {
        seenHeaders.set(key, customer);
        present.add(key);
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
      let seq = seenLines.get(key);
      let digest = lineDigests.get(key);
      if (seq === undefined || digest === undefined) {
        // Compared at the end of the file, so unchanged line sets do not make their customer dirty.
        digest = { hash: createHash('sha256'), before: store.lineSetSha(kind, rec.id) };
        lineDigests.set(key, digest);
        store.deleteLines(kind, rec.id);
        seq = 0;
      }
      for (const line of rec.lines) {
        const json = JSON.stringify(line);
        digest.hash.update(json).update('\n');
        store.insertLine(kind, rec.id, seq++, line, rec.source);
      }
      seenLines.set(key, seq);
      if (!headers) present.add(key);
    }
  };

  /** Line sets whose digest changed mark their document's customer (lines without a header wait). */
  const settleLineSets = (): void => {
    for (const [key, { hash, before }] of lineDigests) {
      const [kind, id] = key.split('\u0000') as [DocKind, string];
      const sha = hash.digest('hex');
      if (sha === before) continue;
      store.setLineSetSha(kind, id, sha);
      const owner = store.getDoc(kind, id)?.customer_no;
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
        if (result.records === 1 && feed.format === 'csv') {
          const missing = missingColumns(name, feed, raw.fields);
          if (missing) {
            errors.push(missing);
            break;
          }
        }
        opts.onRecord?.(result.records);
        const rawId = raw.fields[feed.map.id]?.trim();
        try {
          if (raw.error) throw raw.error;
          if (rawId && exclude.has(rawId)) {
            // Skipped whole: another record of this document failed (reported below, or in the first attempt).
            for (const k of kinds) present.add(ref(k, rawId));
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
          // Logs and reports about a record name its customer too, where the record or the store tells it.
          err.context.customer ??= customerOf(store, feed, kinds, raw, rawId);
          if (skip) {
            result.skipped.push(err);
            if (rawId) {
              bad.add(rawId);
              // In a full snapshot a skipped document is still present: it must not be deleted as absent.
              for (const k of kinds) present.add(ref(k, rawId));
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
    settleLineSets();
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
          new DataError(ErrorCodes.DELETE_GUARD, `full snapshot would delete ${absent.length} of ${before.size} ${kindLabel} (more than ${Math.round(share * 100)} %); suspected truncated export`, {
            file: name,
            rule: 'max-delete-share',
            hint: 'check the export; if the deletions are real, run `vendre-pull replay --force` or raise maxDeleteShare',
          }),
        ]);
      }
      for (const absentRef of absent) {
        const [kind, id] = absentRef.split('\u0000') as [DocKind, string];
        const owner = store.getDoc(kind, id)?.customer_no;
        if (owner) markDirty(owner);
        if (headers) store.deleteDoc(kind, id);
        store.dropLines(kind, id);
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

/** The customer a (possibly bad) raw record belongs to: its own customer column, else the stored document's. */
function customerOf(store: Store, feed: FeedConfig, kinds: DocKind[], raw: RawRecord, rawId: string | undefined): string | undefined {
  const column = feed.map.customer_no;
  const own = column === undefined ? undefined : raw.fields[column]?.trim();
  if (own) return shorten(own);
  if (!rawId) return undefined;
  for (const k of kinds) {
    const c = store.getDoc(k, rawId)?.customer_no;
    if (c) return c;
  }
  return undefined;
}

/**
 * A CSV header without a column the feed maps is a feed/export mismatch (renamed column, wrong
 * feed): the whole file is rejected rather than published with the field silently empty.
 */
function missingColumns(file: string, feed: FeedConfig, fields: Record<string, string>): DataError | undefined {
  const wanted = [...Object.entries(feed.map), ...(feed.delete ? [['delete', feed.delete.column]] : []), ...(feed.credit ? [['credit', feed.credit.column]] : [])] as Array<[string, string]>;
  const missing = wanted.filter(([, column]) => !Object.hasOwn(fields, column));
  if (missing.length === 0) return undefined;
  const [field, column] = missing[0]!;
  return new DataError(ErrorCodes.CSV, `the header has no column \`${column}\`${missing.length > 1 ? ` (and ${missing.length - 1} more mapped columns: ${missing.slice(1).map(([, c]) => c).join(', ')})` : ''}`, {
    file,
    line: 1,
    field: `${column} → ${field}`,
    rule: 'column-missing',
    hint: `the feed's map names columns the export does not have; the header has: ${Object.keys(fields).slice(0, 40).join(', ')}`,
  });
}
