import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { walkFiles, type WalkedFile } from '../../src/fs/walk.ts';
import { tmpDir } from '../helpers.ts';

async function all(root: string): Promise<WalkedFile[]> {
  const out: WalkedFile[] = [];
  for await (const f of walkFiles(root)) out.push(f);
  return out;
}

test('walkFiles yields every regular file below the root with its folder and /-separated relative path', async () => {
  const root = tmpDir('vp-walk');
  mkdirSync(path.join(root, '2025', '01', '02'), { recursive: true });
  mkdirSync(path.join(root, 'empty'));
  writeFileSync(path.join(root, 'top.csv'), 'a');
  writeFileSync(path.join(root, '2025', '01', '02', 'deep.csv'), 'b');
  symlinkSync(path.join(root, 'top.csv'), path.join(root, 'link.csv'));
  symlinkSync(path.join(root, '2025'), path.join(root, 'linked-dir'));
  const got = (await all(root)).sort((a, b) => (a.rel < b.rel ? -1 : 1));
  assert.deepEqual(
    got.map((f) => [f.rel, f.name, f.dir, f.path]),
    [
      ['2025/01/02/deep.csv', 'deep.csv', path.join(root, '2025', '01', '02'), path.join(root, '2025', '01', '02', 'deep.csv')],
      ['top.csv', 'top.csv', root, path.join(root, 'top.csv')],
    ],
    'symbolic links are neither listed nor followed',
  );
});

test('walkFiles of a folder that does not exist yields nothing; a file as root is an error', async () => {
  const root = tmpDir('vp-walk');
  assert.deepEqual(await all(path.join(root, 'not-made-yet')), []);
  writeFileSync(path.join(root, 'f'), '');
  await assert.rejects(all(path.join(root, 'f')), { code: 'ENOTDIR' });
});
