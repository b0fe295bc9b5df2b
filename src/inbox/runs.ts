/**
 * Export runs (config `runs`): which files one ERP export run wrote, from their names alone. A file of a
 * member feed whose name matches the run's `key` belongs to the run its `{run}` part names; the inbox,
 * `ingest` and `replay` apply the files of one run together (src/ingest/run.ts).
 */
import escapeStringRegexp from 'escape-string-regexp';
import type { Config, FeedConfig, RunConfig } from '../config/types.ts';
import { feedFor } from './names.ts';

export interface RunMatch {
  run: RunConfig;
  /** The run id the file name carries (`20251130`). */
  id: string;
  /** Run name and id: files with the same key are one run. */
  key: string;
  /** The file is the run's marker (`runs[].marker`), not a member feed's file. */
  marker?: boolean;
  /** The file's feed is one of the run's `optional` members: it joins the run, but alone it is no run. */
  optional?: boolean;
}

/**
 * `*_{run}.csv` → /^(?:.*)_(.+?)\.csv$/i. `*` is greedy and `{run}` lazy, so the run id is the last part
 * the pattern allows: `Sales_Header_20251130.csv` is run 20251130.
 */
export function runKeyToRegExp(key: string): RegExp {
  const [before, after] = key.split('{run}') as [string, string];
  const glob = (s: string) => s.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeStringRegexp(c))).join('');
  return new RegExp(`^${glob(before)}(.+?)${glob(after)}$`, 'i');
}

/**
 * The run a file belongs to: its feed is a member of a run and its name matches that run's key, or
 * it is a run's marker (`runs[].marker`, a name no feed matches).
 */
export function runFor(name: string, cfg: Pick<Config, 'feeds' | 'runs'>, feed: FeedConfig | undefined = feedFor(name, cfg.feeds)): RunMatch | undefined {
  const match = (run: RunConfig, pattern: string, marker: boolean, optional = false): RunMatch | undefined => {
    const id = runKeyToRegExp(pattern).exec(name)?.[1]?.trim();
    return id ? { run, id, key: `${run.name}\u0000${id.toLowerCase()}`, ...(marker ? { marker } : {}), ...(optional ? { optional } : {}) } : undefined;
  };
  if (!feed) {
    for (const run of cfg.runs) {
      const m = run.marker ? match(run, run.marker, true) : undefined;
      if (m) return m;
    }
    return undefined;
  }
  const run = cfg.runs.find((r) => r.feeds.includes(feed.name));
  if (run) return match(run, run.key, false);
  const joins = cfg.runs.find((r) => r.optional?.includes(feed.name));
  return joins ? match(joins, joins.key, false, true) : undefined;
}

/** Whether one of `names` is the run's marker (always true for a run without one). */
export function hasMarker(match: RunMatch, names: readonly string[], cfg: Pick<Config, 'feeds' | 'runs'>): boolean {
  return !match.run.marker || names.some((n) => runFor(n, cfg)?.marker === true && runFor(n, cfg)?.key === match.key);
}

/** The member feeds of the run no file of `names` belongs to. */
export function missingFeeds(match: RunMatch, names: readonly string[], feeds: readonly FeedConfig[]): string[] {
  const present = new Set(names.map((n) => feedFor(n, feeds)?.name).filter((f) => f !== undefined));
  return match.run.feeds.filter((f) => !present.has(f));
}

/** One file, or the files of one run, in the order of the group's first file. */
export interface Group<T> {
  run?: RunMatch;
  items: T[];
}

/**
 * Groups items (in processing order) into runs: a run's files go together at the place of its first
 * file; files in no run stay single, in place. `scope` keeps apart what must not be merged although
 * the run id is the same (replay: an archive day folder, so a run delivered twice stays two runs).
 */
export function groupByRun<T>(items: readonly T[], nameOf: (item: T) => string, cfg: Pick<Config, 'feeds' | 'runs'>, scope: (item: T) => string = () => ''): Array<Group<T>> {
  const out: Array<Group<T>> = [];
  const open = new Map<string, Group<T>>();
  for (const item of items) {
    const run = cfg.runs.length > 0 ? runFor(nameOf(item), cfg) : undefined;
    if (!run) {
      out.push({ items: [item] });
      continue;
    }
    const key = `${scope(item)}\u0000${run.key}`;
    const group = open.get(key);
    if (group) {
      group.items.push(item);
      // The run is named by a file of a required member: an optional one may have come first.
      if (group.run?.optional && !run.optional) group.run = run;
    } else {
      const g = { run, items: [item] };
      open.set(key, g);
      out.push(g);
    }
  }
  // Files of optional members alone are no run: each is applied by itself.
  return out.flatMap((g) => (g.run?.optional ? g.items.map((item) => ({ items: [item] })) : [g]));
}
