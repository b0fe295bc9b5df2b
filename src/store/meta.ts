import { randomUUID } from 'node:crypto';
import type { Part } from './base.ts';

/** What identifies a state: a random id made once, and how far its history has come. */
export interface StateIdentity {
  id: string;
  /** The last history row (files.seq only grows: a state that lost commits is behind). */
  fileSeq: number;
  manifest: number;
}

/**
 * The state's own identity (`state_meta`), recorded in the marker beside the target so a state that
 * was replaced, emptied or lost commits is told apart from the one that published there; and the
 * checks of the file itself.
 */
export function StateMeta<B extends Part>(Base: B) {
  return class StateMeta extends Base {
    /** The state's identity, giving it an id when it has none yet (a new state, or one from before ids). */
    stateIdentity(): StateIdentity & { created: boolean } {
      let id = this.sql<[], string>("SELECT value FROM state_meta WHERE name = 'id'").pluck().get();
      let created = false;
      if (id === undefined) {
        id = randomUUID();
        this.sql("INSERT INTO state_meta (name, value) VALUES ('id', ?)").run(id);
        created = true;
      }
      return { id, created, ...this.stateCounts() };
    }

    stateCounts(): { fileSeq: number; manifest: number } {
      const fileSeq = this.sql<[], number>('SELECT coalesce(max(seq), 0) FROM files').pluck().get() ?? 0;
      const manifest = this.sql<[], number>('SELECT count(*) FROM manifest').pluck().get() ?? 0;
      return { fileSeq, manifest };
    }

    /** `PRAGMA quick_check`: the b-trees and their pages, without the index cross-check of integrity_check (O(n), seconds per GB). */
    quickCheck(): string[] {
      const rows = this.db.pragma('quick_check') as Array<{ quick_check: string }>;
      return rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    }
  };
}
