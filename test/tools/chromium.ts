/**
 * Debian's Chromium for the browser tests, installed when absent: `apt-get update && apt-get install
 * -y chromium` (as root, as CI runs; about 70 s on the build machine, most of it the download).
 * Idempotent: nothing happens when /usr/bin/chromium exists. playwright-core drives it; it never
 * downloads a browser of its own.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

/** The flags the browser tests launch it with: headless, no sandbox (root in CI), no network of its own. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Ensures Chromium is installed. Returns undefined when ready, or why it cannot be (then the test fails). */
export function ensureChromium(log: (line: string) => void = () => undefined): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return `${CHROMIUM} is missing and installing it needs root: apt-get install chromium`;
  const started = Date.now();
  log(`installing Debian's chromium (apt-get; about a minute)…`);
  const r = spawnSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'], { encoding: 'utf8', timeout: 15 * 60_000 });
  if (r.status !== 0 || !existsSync(CHROMIUM)) {
    throw new Error(`apt-get install chromium failed (exit ${r.status}):\n${(r.stderr || r.stdout || '').slice(-2000)}`);
  }
  log(`chromium installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return undefined;
}
