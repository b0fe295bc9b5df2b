import { readdir } from 'node:fs/promises';
import path from 'node:path';

export interface WalkedFile {
  /** Full path. */
  path: string;
  /** The folder it is in (full path). */
  dir: string;
  name: string;
  /** Path below the walk's root, `/`-separated (an object key for a target folder). */
  rel: string;
}

/**
 * Every regular file under `root`, depth first, each folder in the order the system lists it.
 * A folder that is missing (or removed while walking) has no files: the archive and the target
 * folder are both made lazily. A generator, so a 100,000-file tree is never listed in memory at once.
 */
export async function* walkFiles(root: string): AsyncGenerator<WalkedFile> {
  yield* walk(root, '');
}

async function* walk(dir: string, rel: string): AsyncGenerator<WalkedFile> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    const below = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) yield* walk(full, below);
    else if (e.isFile()) yield { path: full, dir, name: e.name, rel: below };
  }
}
