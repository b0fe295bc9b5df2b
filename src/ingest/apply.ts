import { createHash } from 'node:crypto';
import { DataError, ErrorCodes, FileRejected, shorten } from '../errors.ts';
import type { FeedConfig } from '../config/types.ts';
import { docKindOf, entityKindOf, feedCarriesHeaders, type DocKind, type MappedRecord, type SourceRef } from '../model.ts';
import type { RawRecord } from '../readers/types.ts';
import type { Store } from '../store/db.ts';
import { shipmentJson } from '../store/packages.ts';
import { whenColumns } from '../mapping/rules.ts';
import { absentEntities, applyEntity, deleteEntities } from './entities.ts';

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
  /** Runs inside the transaction after the records are applied (the file's history row). */
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
 * up to maxErrors). The file's records stream through; only the document being read is held in memory.
 */
/** One record section of a file: a feed (or one of a feed's `sections`), its records and its mapper. */
export interface ApplyPart {
  feed: FeedConfig;
  records: () => AsyncIterable<RawRecord>;
  map: (raw: RawRecord, file: string) => MappedRecord;
}

export async function applyFile(store: Store, name: string, parts: readonly ApplyPart[], opts: ApplyOptions): Promise<ApplyResult> {
  return (await applyRun(store, [{ name, parts, opts }]))[0]!;
}

/** One file of a run: its name, its record sections and its feed's options. */
export interface ApplyUnit {
  name: string;
  parts: readonly ApplyPart[];
  opts: ApplyOptions;
}

/**
 * Applies the files of one export run in ONE transaction, in the order given (a header file before
 * its line file, as the ERP wrote them): all of them are in, or none (a rejected file throws its
 * FileRejected and the run is rolled back). Each file keeps its own options, mark and result; the
 * first file's `signal` and `dryRun` hold for the run. A single file is a run of one (applyFile).
 */
export async function applyRun(store: Store, units: readonly ApplyUnit[]): Promise<ApplyResult[]> {
  const first = await applyOnce(store, units, units.map((u) => u.parts.map(() => new Set())));
  if (first.retry.every((file) => file.every((r) => r.size === 0))) return first.results;
  // skip-record: a document is skipped whole. Some records of these documents were applied before
  // one of them failed, so the run is applied again (the first attempt was rolled back) without them.
  const second = await applyOnce(store, units, first.retry);
  // The second attempt steps over the bad documents without mapping them: their errors are the first attempt's.
  return second.results.map((r, i) => ({ ...r, skipped: [...first.results[i]!.skipped, ...r.skipped] }));
}

/** Per file and part: ids of documents that had a bad record in the first attempt, and of which some records were applied. */
interface Attempt {
  results: ApplyResult[];
  retry: Array<Array<Set<string>>>;
}

/** What the parts of one file share in an attempt: its mark, its result and the customers it made dirty. */
interface Shared {
  mark: number;
  result: ApplyResult;
  markDirty: (customer: string) => void;
  dirty: Set<string>;
}

/** All parts of all files in ONE transaction: a rejected part rejects the file, and the run. */
async function applyOnce(store: Store, units: readonly ApplyUnit[], exclude: Array<Array<Set<string>>>): Promise<Attempt> {
  const results: ApplyResult[] = units.map(() => ({ records: 0, upserted: 0, deleted: 0, dirty: 0, skipped: [] }));
  /** Customers marked dirty in the store by this attempt (once each, whichever file touched them first). */
  const marked = new Set<string>();
  const common = units[0]?.opts;
  store.begin();
  let committed = false;
  try {
    const retry: Array<Array<Set<string>>> = [];
    const dirtyOf: Array<Set<string>> = [];
    for (const [u, unit] of units.entries()) {
      const dirty = new Set<string>();
      dirtyOf.push(dirty);
      const markDirty = (c: string) => {
        dirty.add(c);
        if (!marked.has(c)) {
          marked.add(c);
          store.markDirty(c);
        }
      };
      // Each file its own mark: "seen further up this file" and a full snapshot's "absent" stay per file.
      const shared: Shared = { mark: store.nextMark(), result: results[u]!, markDirty, dirty };
      const fileRetry: Array<Set<string>> = [];
      for (const [i, part] of unit.parts.entries()) fileRetry.push(await applyPart(store, unit.name, part, unit.opts, exclude[u]![i]!, shared));
      retry.push(fileRetry);
    }
    if (retry.some((file, u) => file.some((r, i) => r.size > exclude[u]![i]!.size))) {
      store.rollback();
      return { results, retry };
    }
    for (const [u, unit] of units.entries()) {
      results[u]!.dirty = dirtyOf[u]!.size;
      unit.opts.beforeCommit?.(results[u]!);
    }
    if (common?.dryRun) store.rollback();
    else store.commit();
    committed = true;
    return { results, retry: units.map((u) => u.parts.map(() => new Set())) };
  } finally {
    if (!committed && store.inTransaction) store.rollback();
  }
}

/**
 * One part inside the file's transaction. Returns the ids to exclude on a second attempt: `exclude`
 * itself when nothing was applied partly, a larger set when a bad document had records applied.
 */
async function applyPart(store: Store, name: string, part: ApplyPart, opts: ApplyOptions, exclude: Set<string>, shared: Shared): Promise<Set<string>> {
  const { feed, records, map } = part;
  const { result, markDirty, mark } = shared;
  const headers = feedCarriesHeaders(feed.kind);
  /** The kinds this feed writes: an invoice feed with a credit marker writes credit invoices too. */
  const kinds: DocKind[] = feed.kind === 'deletions' ? ['order', 'invoice', 'credit'] : feed.credit ? [docKindOf(feed.kind), 'credit'] : [docKindOf(feed.kind)];
  const shipments = feed.kind === 'packages';
  /** customers, delivery_addresses, stock: one record is one entity (src/ingest/entities.ts). */
  const entityKind = entityKindOf(feed.kind);
  const kindLabel = entityKind ? feed.kind.replace('_', ' ') : shipments ? 'shipments' : kinds.map((k) => (k === 'credit' ? 'credit invoices' : `${k}s`)).join(' and ');
  /** Documents are identified by kind and number (an invoice and a credit invoice may share a number). */
  const ref = (k: DocKind, id: string) => `${k}\u0000${id}`;
  const errors: DataError[] = [];
  const skip = opts.onError === 'skip-record';
  const full = feed.mode === 'full';
  /** skip-record: documents with a bad record (bounded by maxErrors). */
  const bad = new Set<string>();
  /** Documents a full snapshot keeps although this attempt did not apply them (skipped ones; bounded by maxErrors). */
  const keep = new Set<string>();
  // What this attempt carried is recorded in the store (the mark), not in memory: memory stays flat
  // whatever the export's size. Only the document being read is held: its lines are buffered until
  // the next document starts, then written in one row, or not at all when their digest is unchanged.
  let before = 0;
  /** Records of this part (result.records counts the file's). */
  let seen = 0;
  let run: Run | undefined;

  // Both lines are named: the operator has to fix one of them and cannot tell which from the second alone.
  const conflict = (rec: MappedRecord, earlier: string, earlierLine: number | undefined) =>
    new DataError(ErrorCodes.RECORD, `${rec.kind} ${rec.id} appears under customer ${earlier} and ${rec.header!.customer_no} in one file (${earlierLine ? `line ${earlierLine}: ${earlier}, ` : ''}line ${rec.source.line}: ${rec.header!.customer_no})`, {
      file: rec.source.file,
      line: rec.source.line,
      record: rec.source.record,
      field: 'customer_no',
      value: rec.header!.customer_no,
      rule: 'id-customer-conflict',
      hint: 'one document belongs to one customer; fix the export',
    });

  /** Writes the buffered lines of the document read last (they are its complete line set in this file). */
  const flush = (): void => {
    const r = run;
    run = undefined;
    if (!r || r.lines.length === 0) return;
    const stored = store.lineSet(r.kind, r.id);
    // The document came back further down the file: its lines so far are stored; these follow them.
    const jsons = stored?.mark === mark ? [...store.lineJsons(r.kind, r.id), ...r.lines] : r.lines;
    const sha = createHash('sha256').update(`${jsons.join('\n')}\n`).digest('hex');
    if (stored && stored.mark !== mark && stored.sha256 === sha) {
      store.markLineSet(r.kind, r.id, mark);
      return;
    }
    store.writeLineSet(r.kind, r.id, jsons, sha, mark, r.source);
    // Lines without a header (yet) wait for it; the header's arrival makes its customer dirty.
    const owner = r.customer ?? store.getDoc(r.kind, r.id)?.customer_no;
    if (owner) markDirty(owner);
  };

  /** A shipment of a packages feed (or its deletion): its order's customer is re-rendered, if the order is here. */
  const applyShipment = (rec: MappedRecord): void => {
    const existing = store.getShipment(rec.id);
    const ownerOf = (orderNo: string) => store.getDoc('order', orderNo)?.customer_no;
    if (rec.deleted || !rec.shipment) {
      if (!existing) return;
      const owner = ownerOf(existing.order_no);
      if (owner) markDirty(owner);
      store.deleteShipment(rec.id);
      result.deleted++;
      return;
    }
    const s = rec.shipment;
    if (existing?.json === shipmentJson(s)) {
      store.touchShipment(rec.id, mark);
      return;
    }
    // Sent again for another order: the first order loses the package.
    if (existing && existing.order_no !== s.order_no) {
      const before = ownerOf(existing.order_no);
      if (before) markDirty(before);
    }
    store.upsertShipment(s, rec.source, mark);
    const owner = ownerOf(s.order_no);
    if (owner) markDirty(owner);
    result.upserted++;
  };

  const apply = (rec: MappedRecord): void => {
    if (rec.ignored) return;
    if (rec.kind === 'package') {
      flush();
      applyShipment(rec);
      return;
    }
    if (rec.kind === 'entity') {
      applyEntity(store, rec, shared);
      return;
    }
    const kind = rec.kind;
    const key = ref(kind, rec.id);
    if (run?.key !== key) {
      flush();
      run = { kind, id: rec.id, key, lines: [], source: rec.source };
    }
    if (rec.deleted) {
      run = undefined;
      const existing = store.getDoc(kind, rec.id);
      if (existing) markDirty(existing.customer_no);
      store.deleteDoc(kind, rec.id);
      store.dropLines(kind, rec.id);
      if (existing) result.deleted++;
      return;
    }
    if (rec.header) {
      const customer = rec.header.customer_no;
      if (run.customer === undefined) {
        const existing = store.getDoc(kind, rec.id);
        if (existing?.mark === mark) {
          // Seen further up the file: the same customer, or a conflict.
          if (existing.customer_no !== customer) throw conflict(rec, existing.customer_no, store.docSource(kind, rec.id)?.line);
        } else {
          const json = JSON.stringify(rec.header);
          // A document that moved leaves its old customer's objects.
          if (existing && existing.customer_no !== customer) markDirty(existing.customer_no);
          // Written even when unchanged: the document points at the latest file and line that carried it, and the mark says this file had it.
          store.upsertDoc(kind, rec.header, json, rec.source, mark);
          if (!existing || existing.header !== json) {
            markDirty(customer);
            result.upserted++;
          }
        }
        run.customer = customer;
      } else if (run.customer !== customer) {
        throw conflict(rec, run.customer, run.source.line);
      }
    }
    for (const line of rec.lines) run.lines.push(JSON.stringify(line));
  };

  /** A full snapshot that would delete more than maxDeleteShare of what is stored is taken for a truncated export. */
  const guardDeletes = (absent: number): void => {
    const share = opts.maxDeleteShare;
    if (absent > 0 && absent > share * before && !opts.force) {
      throw new FileRejected(name, [
        new DataError(ErrorCodes.DELETE_GUARD, `full snapshot would delete ${absent} of ${before} ${kindLabel} (more than ${Math.round(share * 100)} %); suspected truncated export`, {
          file: name,
          rule: 'max-delete-share',
          hint: 'check the export; if the deletions are real, run `vendre-pull replay --force` or raise maxDeleteShare',
        }),
      ]);
    }
  };

  {
    before = !full ? 0 : entityKind ? store.countEntities(entityKind) : shipments ? store.countShipments() : store.countIds(kinds, headers ? 'docs' : 'line_sets');
    try {
      for await (const raw of records()) {
        if (opts.signal?.aborted) throw new ApplyAborted(name);
        result.records++;
        if (++seen === 1 && feed.format === 'csv') {
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
            for (const k of kinds) keep.add(ref(k, rawId));
            continue;
          }
          if (rawId && bad.has(rawId)) continue;
          const rec = map(raw, name);
          // After the first error nothing will be committed; keep mapping to report more errors at once.
          if (errors.length === 0) apply(rec);
        } catch (err) {
          if (!(err instanceof DataError)) throw err;
          // The bad document's buffered lines are dropped with it.
          if (run && run.id === rawId) run = undefined;
          // Logs and reports about a record name its customer too, where the record or the store tells it.
          err.context.customer ??= customerOf(store, feed, kinds, raw, rawId);
          if (skip) {
            result.skipped.push(err);
            if (rawId) {
              bad.add(rawId);
              // In a full snapshot a skipped document is still present: it must not be deleted as absent.
              for (const k of kinds) keep.add(ref(k, rawId));
            } else if (full) {
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
    flush();
    // skip-record: a bad document of which some records were applied before one failed.
    // (An entity is one record: a bad record leaves nothing of itself applied.)
    const partial = !entityKind && [...bad].some((id) => (shipments ? store.getShipment(id)?.mark === mark : kinds.some((k) => store.markedBy(k, id, mark))));
    if (partial) return new Set([...exclude, ...bad]);

    if (full && entityKind) {
      const absent = absentEntities(store, entityKind, mark, (rawId) => keep.has(ref('order', rawId)));
      guardDeletes(absent.length);
      deleteEntities(store, entityKind, absent, shared);
    } else if (full && shipments) {
      const absent = store.unmarkedShipments(mark).filter((p) => !keep.has(ref('order', p.id)));
      guardDeletes(absent.length);
      for (const p of absent) {
        const owner = store.getDoc('order', p.order_no)?.customer_no;
        if (owner) markDirty(owner);
        store.deleteShipment(p.id);
        result.deleted++;
      }
    } else if (full) {
      const absent = store.unmarked(kinds, headers ? 'docs' : 'line_sets', mark).filter((d) => !keep.has(ref(d.kind, d.id)));
      guardDeletes(absent.length);
      for (const { kind, id } of absent) {
        const owner = store.getDoc(kind, id)?.customer_no;
        if (owner) markDirty(owner);
        if (headers) store.deleteDoc(kind, id);
        store.dropLines(kind, id);
        result.deleted++;
      }
    }
    return exclude;
  }
}

/** The document being read: records of one document usually follow each other. */
interface Run {
  kind: DocKind;
  id: string;
  key: string;
  /** The customer its header (in this file) names, once seen. */
  customer?: string;
  /** JSON text of each line, in file order. */
  lines: string[];
  /** Its first record. */
  source: SourceRef;
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
  const wanted = [
    ...Object.entries(feed.map),
    ...(feed.delete ? [['delete', feed.delete.column]] : []),
    ...(feed.credit ? [['credit', feed.credit.column]] : []),
    ...whenColumns(feed.charges).map((c) => ['charges', c]),
    ...whenColumns(feed.deletes).map((c) => ['deletes', c]),
  ] as Array<[string, string]>;
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
