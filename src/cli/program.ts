import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { CATALOGUE, exitCodeOf, ExitCodes, refOf, UsageError, VendrePullError } from '../errors.ts';
import { ingestCommand } from './ingest.ts';
import { rebuildCommand, replayCommand } from './replay.ts';
import { runCommand } from './run.ts';
import { serveCommand } from './serve.ts';
import { edgeCommand } from './edge.ts';
import { signCommand } from './sign.ts';
import { statusCommand } from './status.ts';
import { initCommand } from './init.ts';
import { backupCommand } from './backup.ts';
import { verifyCommand } from './verify.ts';
import { loadFromOptions, type GlobalOptions } from './context.ts';

/** The package's own version: package.json is two folders up from src/cli/ and from dist/cli/ alike. */
function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** After an error, one line that says where the help is (not the whole help, which buries the error). */
export const HELP_HINT = 'run `vendre-pull --help` for the commands and options';

function program(): Command {
  const p = new Command('vendre-pull')
    .description('Turns ERP export files into the static order and invoice history that Vendre\'s Pull API fetches.')
    .option('-c, --config <file>', 'config file (default: $VENDRE_PULL_CONFIG or ./vendre-pull.yaml)')
    .addOption(new Option('--log-level <level>', 'log level').choices(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']))
    .option('--print-config', 'print the effective configuration (defaults applied, secrets not shown) and exit')
    .option('--no-progress', 'no progress bar (on a terminal) or progress log lines (otherwise) for long commands')
    .version(version(), '-V, --version', 'print the version and exit')
    .exitOverride()
    .showHelpAfterError(HELP_HINT)
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
      // Commander's own refusals (an unknown option or command, a missing argument) carry the code too.
      outputError: (s, write) => write(s.replace(/\n?$/, ` [${CATALOGUE.usage.code}]\n`)),
    });

  const g = () => p.opts<GlobalOptions & { printConfig?: boolean }>();
  let exit: number = ExitCodes.OK;
  const set = async (n: Promise<number>) => {
    exit = await n;
  };

  p.command('run')
    .description('daemon: watch the drop folder, ingest complete files in order, publish, serve')
    .option('--seed <dir>', 'first copy the exports in <dir> into the drop folder (skips ones already ingested)')
    .option('--no-serve', 'do not start the local HTTP server')
    .action((o: { seed?: string; serve: boolean }) => set(runCommand(g(), o)));
  p.command('ingest')
    .description('apply and publish the given files once, in the given order (files are not moved)')
    .argument('<file...>')
    .option('--force', 'override the full-mode deletion guard')
    .action((files: string[], o: { force?: boolean }) => set(ingestCommand(files, g(), { dryRun: false, force: o.force })));
  p.command('validate')
    .description('check files without changing anything; exit 1 when a file has data errors')
    .argument('<file...>')
    .action((files: string[]) => set(ingestCommand(files, g(), { dryRun: true })));
  p.command('replay')
    .description('apply every archived file again, in original order, then publish (safe to run twice)')
    .option('--fresh', 'forget all stored records first, so the archive alone decides the result')
    .option('--force', 'override the full-mode deletion guard')
    .action((o: { fresh?: boolean; force?: boolean }) => set(replayCommand(g(), o)));
  p.command('rebuild')
    .description('re-render every customer from the store and publish what differs')
    .action(() => set(rebuildCommand(g())));
  p.command('serve')
    .description('serve the local target over HTTP with the edge\'s auth and routing')
    .option('--host <host>', 'bind address (default from config)')
    .option('--port <port>', 'port (default from config)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port: "${v}" is not a port number`, 'usage-option');
      return n;
    })
    .action((o: { host?: string; port?: number }) => set(serveCommand(g(), o)));
  p.command('edge')
    .description('write the CloudFront viewer-request function and its KeyValueStore entries (token hashes, HMAC secrets; mode 0600)')
    .requiredOption('--out <dir>', 'folder for viewer-request.js, kvs-entries.json and not-found.json')
    .action((o: { out: string }) => set(edgeCommand(g(), o)));
  p.command('sign')
    .description('print the auth headers for one request, as curl arguments (signed mode: X-Timestamp and X-Signature)')
    .argument('<path>', 'request path, e.g. /v1/orders?customer_no=10003 (without a leading / it is taken under the prefix)')
    .option('--query <query>', 'query string to add, e.g. "customer_no=10003&page=2"')
    .option('--method <method>', 'GET or HEAD', 'GET')
    .option('--url <base>', 'print a whole curl command for this base URL, e.g. https://history.example.com')
    .addOption(new Option('--mode <mode>', 'signed or bearer (default: signed when the config accepts it)').choices(['signed', 'bearer']))
    .option('--timestamp <seconds>', 'Unix time to sign with (default: now)', (v) => {
      if (!/^\d{1,12}$/.test(v)) throw new UsageError(`--timestamp: "${v}" is not Unix seconds`, 'usage-option');
      return Number(v);
    })
    .option('--show-token', 'bearer mode: print the token from the config instead of reading it from the environment')
    .action((path: string, o: { query?: string; method?: string; url?: string; mode?: 'signed' | 'bearer'; timestamp?: number; showToken?: boolean }) =>
      set(Promise.resolve().then(() => signCommand(path, g(), o))));
  p.command('init')
    .description('propose feeds for sample exports (several files of one table, such as FULL and DELTA, give one feed; files of several tables give a feed each and a `runs` entry where their names share a run id): encoding, CSV dialect or XML elements, kind, formats and a column mapping, as commented YAML (no config needed)')
    .argument('<sample-files...>')
    .option('--records <n>', 'records to learn from (default 500)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--records: "${v}" is not a positive number`, 'usage-option');
      return n;
    })
    .action((files: string[], o: { records?: number }) => set(initCommand(files, o)));
  p.command('backup')
    .description('write a consistent copy of the state file while the daemon runs (SQLite online backup), checked before it is named FILE')
    .argument('<file>')
    .option('--force', 'replace FILE if it exists')
    .option('--json', 'machine-readable output')
    .action((file: string, o: { force?: boolean; json?: boolean }) => set(backupCommand(file, g(), o)));
  p.command('status')
    .description('what is stored, published, quarantined and waiting; exit 1 when something needs attention')
    .option('--json', 'machine-readable output')
    .action((o: { json?: boolean }) => set(statusCommand(g(), o)));
  p.command('verify')
    .description('compare the target with the manifest (one listing): objects missing, extra or different; exit 1 when they differ')
    .option('--repair', 'write missing and different objects again and delete extra ones, then verify again')
    .option('--force', 'with --repair: delete even more than verify.maxDeleteShare of the target, and repair a state the target\'s marker does not vouch for')
    .option('--json', 'machine-readable output')
    .action((o: { repair?: boolean; json?: boolean; force?: boolean }) => {
      if (o.force && !o.repair) throw new UsageError('verify: --force only goes with --repair', 'usage-option');
      return set(verifyCommand(g(), o));
    });

  p.hook('preAction', () => {
    if (g().printConfig) {
      const cfg = loadFromOptions(g());
      const shown = { ...cfg, admin: { ...cfg.admin, tokens: redacted(cfg.admin.tokens) }, auth: { ...cfg.auth, tokens: redacted(cfg.auth.tokens), secrets: redacted(cfg.auth.secrets) } };
      process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
      process.exit(ExitCodes.OK);
    }
  });
  Object.defineProperty(p, 'exitCode', { get: () => exit });
  return p;
}

/** Tokens and secrets as `--print-config` shows them: a value written in the config is hidden, a reference (env, file) is shown. */
function redacted<T extends object>(list: readonly T[] | undefined): Array<T | { value: string }> | undefined {
  return list?.map((t) => ('value' in t ? { value: '[redacted]' } : t));
}

export async function main(argv: string[]): Promise<number> {
  const p = program();
  try {
    await p.parseAsync(argv, { from: 'user' });
    return (p as unknown as { exitCode: number }).exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return err.exitCode === 0 ? ExitCodes.OK : ExitCodes.USAGE;
    }
    if (err instanceof VendrePullError) {
      // One line; the code in brackets is what the README's "Error codes" lists, with what to do.
      process.stderr.write(`vendre-pull: ${err.message} [${err.ref}]\n`);
      return exitCodeOf(err);
    }
    process.stderr.write(`vendre-pull: unexpected error [${refOf(err)}]: ${(err as Error)?.stack ?? String(err)}\n`);
    return exitCodeOf(err);
  }
}
