import type { EntityKind, MappedRecord } from '../model.ts';
import type { Store } from '../store/db.ts';

/** What apply.ts hands an entity record: the attempt's mark, its counters and how to mark an owner dirty. */
export interface EntityApply {
  mark: number;
  result: { upserted: number; deleted: number };
  markDirty: (owner: string) => void;
}

/**
 * One record of a customers, delivery_addresses or stock feed: upsert or delete its entity. Its owner
 * (the customer, or the article's stock owner) is re-rendered when something changed; a record sent
 * again unchanged only notes that this attempt carried it (a full snapshot keeps it).
 */
export function applyEntity(store: Store, rec: MappedRecord, a: EntityApply): void {
  const e = rec.entity!;
  const existing = store.getEntity(e.kind, e.id);
  if (rec.deleted || !e.body) {
    if (!existing) return;
    a.markDirty(existing.owner);
    store.deleteEntity(e.kind, e.id);
    a.result.deleted++;
    return;
  }
  const body = JSON.stringify(e.body);
  if (existing?.body === body && existing.owner === e.owner) {
    store.touchEntity(e.kind, e.id, a.mark);
    return;
  }
  if (existing && existing.owner !== e.owner) a.markDirty(existing.owner);
  store.upsertEntity(e, rec.id, body, rec.source, a.mark);
  a.markDirty(e.owner);
  a.result.upserted++;
}

/**
 * A full snapshot of an entity kind: what it did not carry is deleted, except entities whose raw id
 * a skipped record named (`keep`). Returns them for the deletion guard to count first.
 */
export function absentEntities(store: Store, kind: EntityKind, mark: number, keep: (rawId: string) => boolean): Array<{ id: string; owner: string }> {
  return store.unmarkedEntities(kind, mark).filter((e) => !keep(e.raw_id));
}

export function deleteEntities(store: Store, kind: EntityKind, absent: ReadonlyArray<{ id: string; owner: string }>, a: EntityApply): void {
  for (const e of absent) {
    a.markDirty(e.owner);
    store.deleteEntity(kind, e.id);
    a.result.deleted++;
  }
}
