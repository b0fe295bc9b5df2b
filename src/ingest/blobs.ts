/** PDFs dropped beside the exports: the check that a file is one, and where its bytes are kept. */
import { copyFile, mkdir, open, rename, stat } from 'node:fs/promises';
import path from 'node:path';

export async function startsWithPdfMagic(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(5);
    await fh.read(buf, 0, 5, 0);
    return buf.toString('latin1') === '%PDF-';
  } finally {
    await fh.close();
  }
}

/** Copies a PDF to `{state folder}/blobs/{sha256}.pdf` (once; same bytes, same file). */
export async function keepBlob(stateFile: string, file: string, sha256: string): Promise<string> {
  const dir = path.join(path.dirname(stateFile), 'blobs');
  const dest = path.join(dir, `${sha256}.pdf`);
  if (await stat(dest).then((s) => s.isFile(), () => false)) return dest;
  await mkdir(dir, { recursive: true });
  const tmp = `${dest}.${process.pid}.tmp`;
  await copyFile(file, tmp);
  await rename(tmp, dest);
  return dest;
}
