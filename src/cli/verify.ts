import { existsSync } from 'node:fs';
import { ConfigError, ExitCodes } from '../errors.ts';
import { LocalTarget } from '../publish/targets/local.ts';
import { isClean, repairTarget, verifyTarget, type VerifyReport } from '../publish/verify.ts';
import type { ProgressBar } from '../ops/progress.ts';
import { progressFor, withApp, type GlobalOptions } from './context.ts';

const SHOWN = 20;

export function formatReport(r: VerifyReport, title = 'verify'): string {
  const keys = (list: string[]) => (list.length ? `: ${list.slice(0, SHOWN).join(', ')}${list.length > SHOWN ? `, … (${list.length - SHOWN} more)` : ''}` : '');
  return [
    `${title.padEnd(10)} ${r.target}`,
    `manifest   ${r.manifest} objects`,
    `target     ${r.objects} objects`,
    `missing    ${r.missing.length}${keys(r.missing)}`,
    `extra      ${r.extra.length}${keys(r.extra)}`,
    `different  ${r.different.length}${keys(r.different)}`,
    ...(r.pending ? [`pending    ${r.pending} (queued in the outbox, not judged)`] : []),
    ...(r.fetched ? [`read       ${r.fetched} objects without a recorded ETag (recorded now)`] : []),
    '',
  ].join('\n');
}

/**
 * `verify [--repair] [--json]`: lists the target and compares it with the manifest. Exit 0 when
 * they match, 1 when they differ (without --repair) or still differ after the repair.
 */
export async function verifyCommand(g: GlobalOptions, opts: { repair?: boolean; json?: boolean; force?: boolean }): Promise<number> {
  return withApp(
    g,
    async (app) => {
      if (opts.repair) await app.target.check();
      else if (app.target instanceof LocalTarget) {
        // check() would create the folder and write a test file: verify without --repair only reads.
        if (!existsSync(app.target.root)) throw new ConfigError(`target folder ${app.target.root} does not exist (\`target\` and \`prefix\` in ${app.cfg.file}): check the path; \`verify --repair\` writes everything the manifest lists`, 'target', undefined, 'config-target-missing');
      } else await app.target.check();
      // One bar per phase (list, read); verify --repair lists twice, so a phase's bar restarts.
      const progress = progressFor(g, app.log);
      let bars: Partial<Record<'list' | 'read', ProgressBar>> = {};
      let last = 0;
      const onProgress = (phase: 'list' | 'read', done: number, total: number) => {
        if (done < last) bars = {};
        last = done;
        bars[phase] ??= progress.start(phase === 'list' ? 'verify: list' : 'verify: read', total, 'objects');
        bars[phase]!.update(done, undefined, total);
      };
      if (!opts.repair) {
        let report;
        try {
          report = await verifyTarget(app.store, app.target, app.log, onProgress);
        } finally {
          progress.close();
        }
        process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
        return isClean(report) ? ExitCodes.OK : ExitCodes.DATA;
      }
      let result;
      try {
        result = await repairTarget(app.publishContext(), app.log, onProgress, { maxDeleteShare: app.cfg.verify.maxDeleteShare, force: opts.force ?? false });
      } finally {
        progress.close();
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } else {
        process.stdout.write(formatReport(result.before, 'found'));
        process.stdout.write(`repaired   ${result.rewritten} objects written again, ${result.deleted} extra objects deleted\n\n`);
        process.stdout.write(formatReport(result.after, 'now'));
      }
      return isClean(result.after) ? ExitCodes.OK : ExitCodes.DATA;
    },
    opts.repair ? { requires: ['state'], writer: 'verify --repair', adopt: opts.force } : { requires: ['state'] },
  );
}
