import { Command, CommanderError, Option } from 'commander';
import { ConfigError, DataError, ExitCodes, UsageError, VendrePullError } from './errors.ts';
import { ingestCommand } from './commands/ingest.ts';
import { rebuildCommand, replayCommand } from './commands/replay.ts';
import { runCommand } from './commands/run.ts';
import { serveCommand } from './commands/serve.ts';
import { statusCommand } from './commands/status.ts';
import { loadFromOptions, type GlobalOptions } from './commands/context.ts';

function program(): Command {
  const p = new Command('vendre-pull')
    .description('Turns ERP export files into the static order and invoice history that Vendre\'s Pull API fetches.')
    .option('-c, --config <file>', 'config file (default: $VENDRE_PULL_CONFIG or ./vendre-pull.yaml)')
    .addOption(new Option('--log-level <level>', 'log level').choices(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']))
    .option('--print-config', 'print the effective configuration (defaults applied, secrets not shown) and exit')
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

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
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port: "${v}" is not a port number`);
      return n;
    })
    .action((o: { host?: string; port?: number }) => set(serveCommand(g(), o)));
  p.command('status')
    .description('what is stored, published, quarantined and waiting; exit 1 when something needs attention')
    .option('--json', 'machine-readable output')
    .action((o: { json?: boolean }) => set(statusCommand(g(), o)));

  p.hook('preAction', () => {
    if (g().printConfig) {
      const cfg = loadFromOptions(g());
      const shown = { ...cfg, auth: { ...cfg.auth, tokens: cfg.auth.tokens.map((t) => ('value' in t ? { value: '[redacted]' } : t)) } };
      process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
      process.exit(ExitCodes.OK);
    }
  });
  Object.defineProperty(p, 'exitCode', { get: () => exit });
  return p;
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
    if (err instanceof ConfigError || err instanceof UsageError) {
      process.stderr.write(`vendre-pull: ${err.message}\n`);
      return ExitCodes.USAGE;
    }
    if (err instanceof DataError) {
      process.stderr.write(`vendre-pull: ${err.message}\n`);
      return ExitCodes.DATA;
    }
    const code = err instanceof VendrePullError ? ` [${err.code}]` : '';
    process.stderr.write(`vendre-pull: unexpected error${code}: ${(err as Error)?.stack ?? String(err)}\n`);
    return 3;
  }
}
