import { StoreBase } from './base.ts';
import { Documents } from './documents.ts';
import { Entities } from './entities.ts';
import { History } from './history.ts';
import { Manifest } from './manifest.ts';
import { openDatabase } from './open.ts';
import { Outbox } from './outbox.ts';
import { Packages } from './packages.ts';
import { Pdfs } from './pdfs.ts';
import { Queries } from './queries.ts';
import { StateMeta } from './meta.ts';

export type { Db } from './base.ts';
export type { StoredDoc, StoredPdf } from './documents.ts';
export type { ManifestEntry } from './manifest.ts';
export type { OutboxEntry } from './outbox.ts';
export type { StoredShipment } from './packages.ts';
export type { EntityRow, StoredEntity } from './entities.ts';
export type { FileOutcome } from './history.ts';
export type { FileRow, PublishErrorRow, StatusCounts } from './queries.ts';
export type { StateIdentity } from './meta.ts';

/**
 * Typed access to the state file, one class for callers, assembled from one part per concern (each
 * in its own file, over its own tables). A part that uses another's methods comes after it: pdfs,
 * packages and entities after documents, the outbox after the manifest, queries last (the state's identity
 * beside them). A new table: a new part here, and its migration appended in open.ts.
 */
export class Store extends StateMeta(Queries(History(Outbox(Manifest(Entities(Packages(Pdfs(Documents(StoreBase))))))))) {}

/** Opens (and creates or migrates) the state file. */
export function openStore(file: string): Store {
  return new Store(openDatabase(file), file);
}
