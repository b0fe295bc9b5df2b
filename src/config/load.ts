import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { ConfigError } from '../errors.ts';
import { expandDocument } from './env.ts';
import { ENTITY_FIELDS, entityFieldAllowed, LINE_FIELDS, s3LocationProblem, targetOf, type Config, type FeedConfig } from './types.ts';
import { compileDateFormat } from '../mapping/dates.ts';
import { entityKindOf, feedCarriesHeaders } from '../model.ts';
import picomatch from 'picomatch';
import { distance } from 'fastest-levenshtein';

export const SCHEMA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schemas');

/** Which config file: --config, then VENDRE_PULL_CONFIG, then ./vendre-pull.yaml; and what named it, for a "not found". */
export function findConfig(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): { file: string; from: string } {
  if (flag !== undefined) return { file: path.resolve(flag), from: 'from --config' };
  if (env.VENDRE_PULL_CONFIG) return { file: path.resolve(env.VENDRE_PULL_CONFIG), from: 'from VENDRE_PULL_CONFIG' };
  return { file: path.resolve('vendre-pull.yaml'), from: 'the default, as neither --config nor VENDRE_PULL_CONFIG is set' };
}

/** The config the command line names (--config, VENDRE_PULL_CONFIG or ./vendre-pull.yaml), loaded. */
export function loadConfigFor(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const found = findConfig(flag, env);
  return loadConfig(found.file, env, found.from);
}

export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env, from?: string): Readonly<Config> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ConfigError(
        `no config file: tried ${file}${from ? ` (${from})` : ''}. ` +
          'Name the file with --config FILE or VENDRE_PULL_CONFIG=FILE. To start one, `vendre-pull init EXPORT_FILE` ' +
          'proposes a feed from one of your export files (README "Configuration" has a minimal config around it).',
        undefined,
        undefined,
        'config-missing',
      );
    }
    throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`, undefined, undefined, 'config-read');
  }
  return parseConfig(text, file, env);
}

/** Parse, expand `${ENV}` references, apply defaults, validate against schemas/config.schema.json, resolve paths, freeze. */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line;
    throw new ConfigError(`${file}${line ? `:${line}` : ''}: YAML syntax: ${e.message.split('\n')[0]}`, undefined, line, 'config-syntax');
  }
  expandDocument(doc, lineCounter, file, env);
  const raw: unknown = doc.toJS() ?? {};
  const validate = configValidator();
  if (!validate(raw)) {
    const err = (validate.errors ?? [])[0]!;
    throw schemaError(err, doc, lineCounter, file);
  }
  const cfg = raw as Omit<Config, 'file'>;
  const dir = path.dirname(path.resolve(file));
  const abs = (p: string) => path.resolve(dir, p);
  const result: Config = {
    ...cfg,
    file: path.resolve(file),
    state: abs(cfg.state),
    target: targetOf(cfg.target).kind === 'local' ? abs(cfg.target) : cfg.target,
    folders: { drop: abs(cfg.folders.drop), archive: abs(cfg.folders.archive), quarantine: abs(cfg.folders.quarantine) },
    feeds: cfg.feeds.map(expandSections),
    ...(cfg.pdfLinks ? { pdfLinks: { secrets: cfg.pdfLinks.secrets.map((s) => ('file' in s ? { file: abs(s.file) } : s)) } } : {}),
  };
  checkSemantics(result, doc, lineCounter, file);
  return deepFreeze(result);
}

type SchemaNode = { properties?: Record<string, unknown> };
let compiled: ReturnType<Ajv['compile']> | undefined;
let configSchema: Record<string, unknown> | undefined;
function configValidator(): ReturnType<Ajv['compile']> {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(path.join(SCHEMA_DIR, 'config.schema.json'), 'utf8'));
    configSchema = schema;
    const ajv = new Ajv({ allErrors: false, useDefaults: true, strict: true, strictTuples: false });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

function schemaError(err: ErrorObject, doc: Document, lc: LineCounter, file: string): ConfigError {
  const segments = err.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
  let key = segments.join('.');
  let detail = err.message ?? 'is invalid';
  if (err.keyword === 'additionalProperties') {
    const extra = String((err.params as { additionalProperty: string }).additionalProperty);
    key = key ? `${key}.${extra}` : extra;
    detail = 'is not a known key';
    const suggestion = closestKey(extra, knownKeysAt(err.schemaPath));
    if (suggestion) detail += `; did you mean \`${suggestion}\`?`;
    segments.push(extra);
  } else if (err.keyword === 'required') {
    const missing = String((err.params as { missingProperty: string }).missingProperty);
    key = key ? `${key}.${missing}` : missing;
    detail = 'is required';
  } else if (err.keyword === 'enum') {
    detail = `must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  const line = lineOf(doc, lc, segments);
  return new ConfigError(`${file}${line ? `:${line}` : ''}: \`${key || '(root)'}\` ${detail}`, key, line, 'config-invalid');
}

/** The keys the schema object that rejected an unknown key allows (its schemaPath ends in /additionalProperties). */
function knownKeysAt(schemaPath: string): string[] {
  let node: unknown = configSchema;
  for (const part of schemaPath.replace(/^#\//, '').split('/').slice(0, -1)) node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return Object.keys((node as SchemaNode | undefined)?.properties ?? {});
}

/** The known key a typo most likely meant: case aside, at most about one edit in three characters (and at least 2). */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(key.toLowerCase(), k.toLowerCase());
    if (!best || d < best.d) best = { key: k, d };
  }
  return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.key : undefined;
}

/** Line of the deepest node of `segments` that exists (the key itself when it is an unknown key). */
function lineOf(doc: Document, lc: LineCounter, segments: Array<string | number>): number | undefined {
  for (let n = segments.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(segments.slice(0, n), true);
    if (isNode(node) && node.range) {
      // For an unknown key the value node exists; its key is on the same line in block style.
      return lc.linePos(node.range[0]).line;
    }
    if (n === segments.length && n > 0) {
      // Unknown key: find the pair's key node in the parent map.
      const parent = n === 1 ? doc.contents : doc.getIn(segments.slice(0, n - 1), true);
      const items = (parent as { items?: Array<{ key?: { value?: unknown; range?: [number, number, number] } }> } | null)?.items;
      const pair = items?.find((p) => p.key?.value === segments[n - 1]);
      if (pair?.key?.range) return lc.linePos(pair.key.range[0]).line;
    }
  }
  return undefined;
}

/** Rules a JSON Schema cannot say conveniently; errors still name the key and its line. */
function checkSemantics(cfg: Config, doc: Document, lc: LineCounter, file: string): void {
  const fail = (segments: Array<string | number>, message: string): never => {
    const line = lineOf(doc, lc, segments);
    throw new ConfigError(`${file}${line ? `:${line}` : ''}: \`${segments.join('.')}\` ${message}`, segments.join('.'), line, 'config-invalid');
  };
  const target = targetOf(cfg.target);
  if (target.kind === 's3') {
    const problem = s3LocationProblem(target.bucket, target.prefix);
    if (problem) fail(['target'], problem);
    if (!cfg.s3.region) fail(['s3', 'region'], 'is required for an s3:// target (the bucket\'s region, e.g. eu-north-1)');
  }
  if (cfg.s3.invalidation.enabled && !cfg.s3.invalidation.distributionId) fail(['s3', 'invalidation', 'distributionId'], 'is required when `s3.invalidation.enabled` is true');
  try {
    new Intl.NumberFormat(cfg.locale, { style: 'currency', currency: cfg.currency });
  } catch {
    fail(['locale'], `"${cfg.locale}" is not a locale this Node.js knows`);
  }
  try {
    new RegExp(cfg.customerNoPattern);
  } catch (err) {
    fail(['customerNoPattern'], `is not a valid regular expression: ${(err as Error).message}`);
  }
  if (cfg.pdfs.length > 0 && !cfg.publicBaseUrl) fail(['pdfs'], 'needs `publicBaseUrl` (the CDN URL that pdf_link points to)');
  // Behind CloudFront a shopper's browser opens pdf_link without the Authorization header: only a signed link works.
  if (cfg.pdfs.length > 0 && target.kind === 's3' && !cfg.pdfLinks) fail(['pdfs'], 'needs `pdfLinks.secrets` when the target is s3:// (pdf_link must carry a signature the edge accepts; see README "PDF links")');
  // Same matching as the inbox: feed patterns are case-insensitive globs over the file name.
  const feedMatchers = cfg.feeds.map((f) => ({ feed: f, isMatch: picomatch(f.pattern, { nocase: true, dot: true }) }));
  cfg.pdfs.forEach((p, i) => {
    const clash = feedMatchers.find((m) => m.isMatch(p.pattern.replace('{id}', 'x')))?.feed;
    if (clash) fail(['pdfs', i, 'pattern'], `overlaps the pattern of feed ${clash.name}`);
  });
  const names = new Set<string>();
  cfg.feeds.forEach((feed: FeedConfig, i) => {
    const at = (k: string, ...rest: string[]) => ['feeds', i, k, ...rest];
    if (names.has(feed.name)) fail(at('name'), `"${feed.name}" is used by two feeds`);
    names.add(feed.name);
    if (!feed.sections && (!feed.kind || !feed.map)) fail(at(feed.kind ? 'map' : 'kind'), 'is required (or `sections`, each with its kind and map)');
    if (feed.sections && (doc.hasIn(['feeds', i, 'kind']) || doc.hasIn(['feeds', i, 'map']))) fail(at('sections'), 'replace the feed\'s `kind` and `map`: each section has its own');
    if (feed.sections) {
      feed.sections.forEach((section, j) => checkFeed(section, (k, ...rest) => ['feeds', i, 'sections', j, k, ...rest]));
      if (feed.format === 'xml' && new Set(feed.sections.map((x) => x.recordPath)).size < feed.sections.length && feed.sections.some((x) => !x.when)) {
        fail(at('sections'), 'of an XML feed need a recordPath each, or a `when` that tells records at the same path apart');
      }
    } else {
      checkFeed(feed, at);
    }
    try {
      compileDateFormat(feed.dateFormat);
    } catch (err) {
      fail(at('dateFormat'), (err as Error).message);
    }
  });

  // Runs name feeds; a feed in two runs would leave its files' run ambiguous.
  const inRun = new Map<string, string>();
  const runNames = new Set<string>();
  cfg.runs.forEach((run, i) => {
    if (runNames.has(run.name)) fail(['runs', i, 'name'], `"${run.name}" is used by two runs`);
    runNames.add(run.name);
    const member = (list: 'feeds' | 'optional') => (name: string, j: number) => {
      const feed = cfg.feeds.find((f) => f.name === name);
      if (!feed) fail(['runs', i, list, j], `names no feed ("${name}"; feeds: ${cfg.feeds.map((f) => f.name).join(', ')})`);
      const other = inRun.get(name);
      if (other !== undefined) fail(['runs', i, list, j], `feed ${name} is already a member of run ${other}`);
      inRun.set(name, run.name);
    };
    run.feeds.forEach(member('feeds'));
    (run.optional ?? []).forEach(member('optional'));
    if (run.key.split('{run}').length !== 2) fail(['runs', i, 'key'], 'must hold `{run}` exactly once');
    // A marker a feed would take is read as an export (and rejected), never seen as the run's marker.
    const clash = run.marker === undefined ? undefined : feedMatchers.find((m) => m.isMatch(run.marker!.replace('{run}', 'x')))?.feed;
    if (clash) fail(['runs', i, 'marker'], `matches the pattern of feed ${clash.name}: a marker must be a name no feed takes`);
  });

  function checkFeed(feed: FeedConfig, at: (k: string, ...rest: string[]) => Array<string | number>): void {
    const hasLineFields = LINE_FIELDS.some((f) => feed.map[f] !== undefined);
    if (feed.kind === 'packages') {
      for (const f of ['order_no', 'tracking_id'] as const) if (!feed.map[f]) fail(at('map'), `needs \`${f}\` for kind packages (\`id\` is the shipment's own number)`);
      if (hasLineFields) fail(at('map'), 'maps line fields; a packages feed carries shipments only');
    } else if (entityKindOf(feed.kind) !== undefined) {
      const needs = feed.kind === 'delivery_addresses' ? (['customer_no'] as const) : feed.kind === 'stock' ? (['stock.on_hand'] as const) : feed.kind === 'prices' ? (['price.amount'] as const) : ([] as const);
      for (const f of needs) if (!feed.map[f]) fail(at('map'), `needs \`${f}\` for kind ${feed.kind}`);
      if (hasLineFields) fail(at('map'), `maps line fields; a ${feed.kind} feed carries no document lines`);
      const foreign = (Object.keys(feed.map) as Array<keyof typeof feed.map>).filter((f) => !entityFieldAllowed(feed.kind, f));
      if (foreign.length) fail(at('map', foreign[0]!), `is not a field of kind ${feed.kind}`);
    } else if (feed.kind === 'deletions') {
      if (!feed.deletes?.length) fail(at('deletes'), 'is required for kind deletions (what each record deletes)');
      if (feed.mode === 'full') fail(at('mode'), 'must be delta for kind deletions');
    } else if (feedCarriesHeaders(feed.kind)) {
      for (const f of ['customer_no', 'date'] as const) if (!feed.map[f]) fail(at('map'), `needs \`${f}\` for kind ${feed.kind}`);
    } else if (!feed.map['line.quantity']) {
      fail(at('map'), `needs \`line.quantity\` for kind ${feed.kind}`);
    }
    if (entityKindOf(feed.kind) === undefined) {
      const entityOnly = ENTITY_FIELDS.filter((f) => feed.map[f] !== undefined);
      if (entityOnly.length) fail(at('map', entityOnly[0]!), 'applies to kinds customers, delivery_addresses, stock and prices only');
    }
    if (feed.deletes && feed.kind !== 'deletions') fail(at('deletes'), 'applies to kind deletions only (other feeds delete with `delete`)');
    if (feed.charges && !hasLineFields) fail(at('charges'), 'applies to feeds with line fields (`line.*` in map)');
    if (hasLineFields && !feed.map['line.quantity']) fail(at('map'), 'maps line fields but not `line.quantity`');
    if (feed.format === 'xml' && !feed.recordPath) fail(at('recordPath'), 'is required for format xml');
    if (feed.format === 'csv' && !feed.header && !feed.columns?.length) fail(at('columns'), 'is required when `header` is false');
    if (feed.linePath && feed.format !== 'xml') fail(at('linePath'), 'applies to format xml only');
    if (feed.delete && feed.mode === 'full') fail(at('delete'), 'applies to mode delta only (full mode deletes what is absent)');
    // Split layouts join lines to headers by kind: credit invoices there need their own feeds.
    if (feed.credit && feed.kind !== 'invoices') fail(at('credit'), 'applies to kind invoices only; use kinds credit_invoices and credit_invoice_lines for separate credit memo files');
    if (feed.values) {
      for (const field of Object.keys(feed.values)) if (!(field in feed.map)) fail(at('values', field), `maps values of \`${field}\`, which \`map\` does not name`);
    }
  }
}

/**
 * A feed with `sections`: each section becomes a complete feed (the feed's settings, the section's
 * kind, paths, map and rules) named `{feed}#{n}`; the feed itself takes the first section's kind
 * and map, for listings. The file is still one file: ingest applies its sections in one transaction.
 */
function expandSections(feed: FeedConfig): FeedConfig {
  if (!feed.sections) return feed;
  const { sections, ...common } = feed;
  const expanded = sections.map((section, i): FeedConfig => ({ ...common, ...section, name: `${feed.name}#${i + 1}` }));
  return { ...feed, kind: expanded[0]!.kind, map: expanded[0]!.map, sections: expanded };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
