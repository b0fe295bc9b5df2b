import type { Logger } from 'pino';
import { StateError } from '../store/check.ts';
import type { Store } from '../store/db.ts';
import type { Target } from './targets/target.ts';
import { logCode } from '../errors.ts';

/** What the target's marker says: which state published there, and how far it had come. */
export interface StateMarker {
  state: string;
  /** The state's last history row when it last published. */
  files: number;
  /** Objects in its manifest then. */
  manifest: number;
  at: string;
}

export type MarkerCheck = 'ok' | 'new' | 'republish';

/**
 * Compares the state with the marker its last publish left beside the target, before anything is
 * written. Refuses (StateError, exit 2) a state that is not the one that published there, or is
 * behind it (commits lost with a damaged or deleted -wal, a state file replaced or emptied), unless
 * `adopt` (replay, which rebuilds from the archive and then owns the target). A marker that is gone
 * while the manifest lists objects and the target holds none means the target was lost: the manifest
 * is forgotten and every customer marked dirty, so the next publish writes it all again.
 */
export async function checkMarker(store: Store, target: Target, log: Logger, opts: { adopt?: boolean } = {}): Promise<MarkerCheck> {
  if (!target.readMarker) return 'ok';
  const me = store.stateIdentity();
  const text = await target.readMarker();
  let marker: StateMarker | undefined;
  if (text !== undefined) {
    try {
      marker = JSON.parse(text) as StateMarker;
      if (typeof marker.state !== 'string' || typeof marker.files !== 'number') marker = undefined;
    } catch {
      marker = undefined;
    }
    if (!marker) log.warn({ ...logCode('marker-unreadable'), target: target.description }, 'the state marker beside the target is unreadable; it is written again');
  }
  const lost = async (): Promise<boolean> => {
    if (me.manifest === 0 || !(await isEmpty(target))) return false;
    const forgotten = store.forgetManifest();
    log.warn({ ...logCode('target-lost'), target: target.description, objects: forgotten }, 'the target is empty or gone but the manifest lists objects: publishing everything again');
    return true;
  };
  if (!marker) return (await lost()) ? 'republish' : 'new';
  if (opts.adopt) return (await lost()) ? 'republish' : 'ok';
  const recover = 'If this state is the right one and the target is to follow it, `vendre-pull replay` (or `replay --fresh`) rebuilds from the archive and takes the target over; otherwise restore the state from a backup (then `vendre-pull replay`).';
  if (marker.state !== me.id) {
    throw new StateError(
      `the target ${target.description} was published from another state (id ${marker.state}, ${marker.files} files, ${marker.manifest} objects, last at ${marker.at}); ` +
        `this state ${store.file} (id ${me.id}${me.created ? ', new' : ''}) has ${me.fileSeq} files and ${me.manifest} objects. A state file deleted, replaced or emptied, or its -wal lost after a crash? Refusing to publish over it. ${recover}`,
      'state-diverged',
    );
  }
  // Only the history row is compared (it only grows): the manifest is emptied on purpose to republish a lost target.
  if (marker.files > me.fileSeq) {
    throw new StateError(
      `the state ${store.file} is behind its target ${target.description}: the target's marker says ${marker.files} files were applied and ${marker.manifest} objects published (at ${marker.at}); ` +
        `the state has ${me.fileSeq} files and ${me.manifest} objects. Commits were lost (a damaged, truncated or deleted -wal after a crash?). ${recover}`,
      'state-diverged',
    );
  }
  return (await lost()) ? 'republish' : 'ok';
}

/** Records this state's identity and progress beside the target, after it published. */
export async function writeMarker(store: Store, target: Target): Promise<void> {
  if (!target.writeMarker) return;
  const { id, fileSeq, manifest } = store.stateIdentity();
  const marker: StateMarker = { state: id, files: fileSeq, manifest, at: new Date().toISOString() };
  await target.writeMarker(`${JSON.stringify(marker)}\n`);
}

/** Whether the target holds no object at all (one listing page at most). */
export async function isEmpty(target: Target): Promise<boolean> {
  for await (const _ of target.list()) return false;
  return true;
}
