/** The inbox's file work: hashing, moving without overwriting, the archive's day folders and its listing. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { walkFiles } from '../fs/walk.ts';
import { isIgnoredName } from './names.ts';

export async function sha256File(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * Moves a file into `dir` without ever overwriting: a clash gets `~1`, `~2`, … before the extension
 * (so the name still matches its feed's pattern on replay). link+unlink makes the claim atomic.
 * A destination that already holds the same bytes is this file's own earlier move, cut short by a
 * crash between link and unlink: the move is completed, not repeated, so a file is archived once.
 * `beforeMove` writes a companion report under the final name first (a crash then leaves the file
 * in the inbox, to be taken again). Marker files (NAME.done, …) travel with their file.
 */
export async function moveNoClobber(file: string, dir: string, markerSuffixes: readonly string[] = [], beforeMove?: (dest: string) => Promise<void>): Promise<string> {
  await mkdir(dir, { recursive: true });
  const ext = path.extname(file);
  const stem = path.basename(file, ext);
  for (let n = 0; n < 10000; n++) {
    const dest = path.join(dir, n === 0 ? `${stem}${ext}` : `${stem}~${n}${ext}`);
    if (await exists(dest)) {
      if (!(await sameBytes(file, dest))) continue;
      await unlink(file);
      await moveMarkers(file, dest, markerSuffixes);
      return dest;
    }
    await beforeMove?.(dest);
    try {
      await link(file, dest);
      await unlink(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      // Another filesystem, or one without hard links: rename, after the existence check above.
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP') throw err;
      await rename(file, dest);
    }
    await moveMarkers(file, dest, markerSuffixes);
    return dest;
  }
  throw new Error(`no free name for ${file} in ${dir}`);
}

async function moveMarkers(file: string, dest: string, suffixes: readonly string[]): Promise<void> {
  for (const suffix of suffixes) {
    if (!(await exists(file + suffix))) continue;
    let target = dest + suffix;
    for (let n = 1; await exists(target); n++) target = `${dest}${suffix}~${n}`;
    await rename(file + suffix, target);
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

async function sameBytes(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a), stat(b)]);
  if (sa.ino === sb.ino && sa.dev === sb.dev) return true;
  if (sa.size !== sb.size) return false;
  const [ha, hb] = await Promise.all([sha256File(a), sha256File(b)]);
  return ha.sha256 === hb.sha256;
}

export function archiveDir(root: string, when: Date): string {
  const y = String(when.getUTCFullYear());
  const m = String(when.getUTCMonth() + 1).padStart(2, '0');
  const d = String(when.getUTCDate()).padStart(2, '0');
  return path.join(root, y, m, d);
}

export async function writeReport(file: string, report: unknown): Promise<void> {
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}

export interface FileEntry {
  path: string;
  name: string;
  mtimeMs: number;
  size: number;
}

/** Files in processing order: oldest mtime first, then name. */
export function byArrival(a: FileEntry, b: FileEntry): number {
  return a.mtimeMs - b.mtimeMs || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

export function byName(a: FileEntry, b: FileEntry): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Every archived input file, in the order it was originally processed (day folder, then mtime, then name). */
export async function listArchive(root: string, markerSuffixes: readonly string[] = []): Promise<FileEntry[]> {
  const out: Array<FileEntry & { dir: string }> = [];
  for await (const f of walkFiles(root)) {
    if (isIgnoredName(f.name, markerSuffixes)) continue;
    const st = await stat(f.path);
    out.push({ path: f.path, name: f.name, mtimeMs: st.mtimeMs, size: st.size, dir: f.dir });
  }
  return out.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : byArrival(a, b)));
}
