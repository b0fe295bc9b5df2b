import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/load.ts';

/**
 * What can be checked of the packaging without a Docker engine (none on these machines; the image
 * build itself was not run here): the package's file list, and that the Dockerfile names only what
 * exists, runs as a non-root user, keeps the data on volumes and health-checks the admin port.
 */

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { license: string; files: string[]; bin: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string> };

test('package: MIT licence, a changelog, no tests in the tarball, esbuild only at build time', () => {
  assert.equal(pkg.license, 'MIT');
  assert.match(readFileSync('LICENSE', 'utf8'), /^MIT License/);
  assert.match(readFileSync('CHANGELOG.md', 'utf8'), /^# Changelog/);
  assert.equal(pkg.dependencies.esbuild, undefined);
  assert.ok(pkg.devDependencies.esbuild);
  assert.match(pkg.scripts.build!, /scripts\/bundle-edge\.ts/);
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  const files = (JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
  assert.deepEqual(files.filter((f) => /^test\/|\.test\.(ts|js)$|^src\//.test(f)), [], 'no tests or TypeScript sources');
  for (const f of ['LICENSE', 'CHANGELOG.md', 'README.md', 'Dockerfile', 'package.json', 'schemas/config.schema.json', 'samples/vendre-pull.yaml', 'samples/docker/compose.yaml']) assert.ok(files.includes(f), `${f} is packed`);
  // Built or not, dist/ is what the package ships: the binary, and the edge bundle the `edge` command reads.
  if (existsSync('dist/cli.js')) for (const f of ['dist/cli.js', 'dist/edge/viewer-request.template.js', 'dist/edge/compute-handler.template.mjs']) assert.ok(files.includes(f), `${f} is packed`);
});

interface Instruction {
  op: string;
  args: string;
}

function dockerfile(): Instruction[] {
  const text = readFileSync('Dockerfile', 'utf8').replace(/\\\n/g, ' ');
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(' ') };
    });
}

test('Dockerfile: every file it copies exists, the command is the package binary, not root, data on volumes, health check on the admin port', () => {
  const ins = dockerfile();
  const stages = ins.filter((i) => i.op === 'FROM');
  assert.equal(stages.length, 2, 'a build stage and a runtime stage');
  const runtimeAt = ins.lastIndexOf(stages[1]!);
  for (const c of ins.filter((i) => i.op === 'COPY')) {
    const parts = c.args.split(/\s+/).filter((p) => !p.startsWith('--'));
    const sources = parts.slice(0, -1);
    if (c.args.includes('--from=build')) {
      // From the build stage: what `npm run build` and `npm ci` produce.
      for (const s of sources) assert.ok(['/app/node_modules/', '/app/dist/'].includes(s), s);
      continue;
    }
    for (const s of sources) assert.ok(existsSync(s), `COPY ${s}: exists in the repository`);
  }
  // The runtime stage copies what the package ships.
  for (const c of ins.slice(runtimeAt).filter((i) => i.op === 'COPY' && !i.args.includes('--from'))) {
    for (const s of c.args.split(/\s+/).slice(0, -1)) assert.ok(s === 'package.json' || pkg.files.some((f) => f === s || f === `${s.replace(/\/$/, '')}/`), `${s} is in package.json files`);
  }
  // The command: node with the package's bin.
  const entry = JSON.parse(ins.find((i) => i.op === 'ENTRYPOINT')!.args) as string[];
  assert.deepEqual(entry, ['node', pkg.bin['vendre-pull']]);
  assert.ok(existsSync(path.join('src', path.relative('dist', entry[1]!).replace(/\.js$/, '.ts'))), 'the binary is built from src/cli.ts');
  const cmd = JSON.parse(ins.find((i) => i.op === 'CMD')!.args) as string[];
  assert.deepEqual(cmd, ['run']);
  // Not root: the last USER of the runtime stage.
  const user = ins.slice(runtimeAt).filter((i) => i.op === 'USER').at(-1);
  assert.ok(user && !/^(root|0)(:|$)/.test(user.args), `USER ${user?.args}`);
  // Volumes, and the config the image reads by default.
  const volumes = JSON.parse(ins.find((i) => i.op === 'VOLUME')!.args) as string[];
  const env = ins.filter((i) => i.op === 'ENV').map((i) => i.args).join(' ');
  const configPath = /VENDRE_PULL_CONFIG=(\S+)/.exec(env)?.[1];
  assert.equal(configPath, '/etc/vendre-pull/vendre-pull.yaml');
  const cfg = parseConfig(readFileSync('samples/docker/vendre-pull.yaml', 'utf8'), configPath!);
  const inVolume = (p: string) => volumes.some((v) => p === v || p.startsWith(`${v}/`));
  for (const [what, p] of [['state', cfg.state], ['target', cfg.target], ['drop', cfg.folders.drop], ['archive', cfg.folders.archive], ['quarantine', cfg.folders.quarantine]] as const) assert.ok(inVolume(p), `${what} ${p} is on a volume`);
  // The health check asks the admin port of that config for /healthz, inside the container.
  const health = ins.find((i) => i.op === 'HEALTHCHECK')!.args;
  const url = /fetch\('([^']+)'\)/.exec(health)?.[1];
  assert.equal(url, `http://${cfg.admin.host}:${cfg.admin.port}/healthz`);
  assert.ok(cfg.admin.enabled);
  assert.equal(cfg.serve.host, '0.0.0.0', 'serve is reachable through the published port');
  assert.ok(ins.some((i) => i.op === 'EXPOSE' && i.args.split(/\s+/).includes(String(cfg.serve.port))));

  // The compose example mounts the same volumes and that config.
  const compose = parse(readFileSync('samples/docker/compose.yaml', 'utf8')) as { services: Record<string, { volumes: string[]; build: string }> };
  const svc = compose.services['vendre-pull']!;
  assert.ok(existsSync(path.join('samples/docker', svc.build, 'Dockerfile')));
  const targets = svc.volumes.map((v) => v.split(':')[1]);
  for (const v of volumes) assert.ok(targets.includes(v), `compose mounts ${v}`);
  assert.ok(targets.includes(configPath), 'compose mounts the config');
});
