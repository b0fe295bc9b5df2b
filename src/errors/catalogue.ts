/**
 * The error catalogue: one entry per rule, as fastify's errors.js has one per code. A rule is the
 * kebab-case name a throw site passes (`rule: 'date-invalid'`); its entry gives the stable code ops
 * search for (`VP_E_DATE_INVALID`), the family it belongs to (the coarse `VP_ERR_*` code errors
 * carried before the catalogue, kept so existing log searches and alerts still match), a one-line
 * summary, what to do about it and the exit code of a command that stops on it.
 *
 * A code never changes once released, even when its rule is renamed: ops have it in runbooks and
 * alert queries. Add rules at the end of their group; the README's "Error codes" table is generated
 * from this list (`node --import tsx test/tools/error-codes.ts --write`) and a test fails when the two differ.
 */

/** The coarse families. Every code keeps its family; `code` on an error and in a log line is the family. */
export const ErrorCodes = {
  CONFIG: 'VP_ERR_CONFIG',
  USAGE: 'VP_ERR_USAGE',
  READ: 'VP_ERR_READ',
  ENCODING: 'VP_ERR_ENCODING',
  CSV: 'VP_ERR_CSV',
  XML: 'VP_ERR_XML',
  FIELD: 'VP_ERR_FIELD',
  RECORD: 'VP_ERR_RECORD',
  DELETE_GUARD: 'VP_ERR_DELETE_GUARD',
  SCHEMA: 'VP_ERR_SCHEMA',
  PUBLISH: 'VP_ERR_PUBLISH',
  NO_FEED: 'VP_ERR_NO_FEED',
  /** Not raised on purpose: a bug or an environment failure (exit code 3). */
  UNEXPECTED: 'VP_ERR_UNEXPECTED',
  /** Something the running process works around and logs (a folder it cannot list, a step after publishing); never thrown. */
  RUNTIME: 'VP_ERR_RUNTIME',
  /** A request the Pull API refuses (edge and serve); never thrown, listed so the README explains each status. */
  REFUSED: 'VP_ERR_REFUSED',
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** 0 ok, 1 bad data (a file rejected, a document invalid), 2 wrong command line or config, 3 unexpected. */
export const ExitCodes = { OK: 0, DATA: 1, USAGE: 2, UNEXPECTED: 3 } as const;
export type ExitCode = (typeof ExitCodes)[keyof typeof ExitCodes];

export interface CatalogueEntry {
  /** Stable, unique, `VP_E_` + upper snake case. */
  readonly code: `VP_E_${string}`;
  /** The coarse family (or families, when readers of two formats share a rule). */
  readonly family: ErrorCode | readonly ErrorCode[];
  /** One line: what went wrong. The message of an error adds the particulars (file, line, value). */
  readonly summary: string;
  /** What the operator should do. A throw site may give a more specific hint, which then wins. */
  readonly hint: string;
  readonly exit: ExitCode;
  /** The HTTP status a client sees, for refusals of the Pull API (edge and `serve`). */
  readonly http?: number;
}

const F = ErrorCodes;
type Code = `VP_E_${string}`;
// Generic so each entry keeps its literal family: ConfigRule and UsageRule below are derived from it.
const data = <C extends Code, Fam extends CatalogueEntry['family']>(code: C, family: Fam, summary: string, hint: string) => ({ code, family, summary, hint, exit: ExitCodes.DATA }) as const;
const config = <C extends Code>(code: C, summary: string, hint: string) => ({ code, family: F.CONFIG, summary, hint, exit: ExitCodes.USAGE }) as const;
const usage = <C extends Code>(code: C, summary: string, hint: string) => ({ code, family: F.USAGE, summary, hint, exit: ExitCodes.USAGE }) as const;
/** Logged while running, never thrown: the process goes on (exit 0), ops find the line by its code. */
const event = <C extends Code>(code: C, summary: string, hint: string) => ({ code, family: F.RUNTIME, summary, hint, exit: ExitCodes.OK }) as const;
/** A refusal of the Pull API: no process exits on it; a client sees the status. */
const refusal = <C extends Code>(code: C, http: number, summary: string, hint: string) => ({ code, family: F.REFUSED, summary, hint, exit: ExitCodes.OK, http }) as const;

export const CATALOGUE = {
  // Reading and decoding a file: the whole file is rejected (nothing in it can be trusted).
  read: data('VP_E_READ', F.READ, 'the file cannot be read (permissions, vanished, I/O error)', 'check the file’s owner and mode and the disk; the message names the system error'),
  'utf-8': data('VP_E_UTF_8', F.ENCODING, 'bytes that are not UTF-8 in a feed declared UTF-8', 'exports from Windows ERPs are often windows-1252: if so, set `encoding: windows-1252` for the feed'),
  'windows-1252': data('VP_E_WINDOWS_1252', F.ENCODING, 'a byte that windows-1252 does not define', 'the file is probably in another encoding (UTF-8?): check `encoding` for the feed'),
  'iso-8859-1': data('VP_E_ISO_8859_1', F.ENCODING, 'a byte that iso-8859-1 does not define', 'the file is probably in another encoding (UTF-8?): check `encoding` for the feed'),
  'utf-16': data('VP_E_UTF_16', F.ENCODING, 'the file starts with a UTF-16 byte-order mark; UTF-16 is not supported', 'export the file as UTF-8 or windows-1252'),
  'encoding-bom': data('VP_E_ENCODING_BOM', F.ENCODING, 'a UTF-8 byte-order mark in a feed declared in another encoding', 'set `encoding: utf-8` for the feed'),
  'no-nul': data('VP_E_NO_NUL', F.ENCODING, 'a NUL byte (0x00): no text export contains one', 'a file full of NUL bytes is usually UTF-16: export it as UTF-8 or windows-1252'),
  'encoding-mismatch': data('VP_E_ENCODING_MISMATCH', F.ENCODING, 'a file on a single-byte feed (windows-1252, iso-8859-1) whose non-ASCII bytes are well-formed UTF-8: it would be published as mojibake (`GodsmÃ¤rke`)', 'set `encoding: utf-8` for the feed, or have the ERP export in the encoding the feed says'),

  // CSV structure.
  'column-count': data('VP_E_COLUMN_COUNT', F.CSV, 'a row (or the configured `columns`) has another number of columns than the header', 'a delimiter inside an unquoted value, or a missing or extra delimiter on that line; with `onError: skip-record` the row is skipped'),
  'max-columns': data('VP_E_MAX_COLUMNS', F.CSV, 'the header has more columns than the limit', 'is `delimiter` right for the feed?'),
  'header-duplicate': data('VP_E_HEADER_DUPLICATE', F.CSV, 'a column name appears twice in the header', 'rename one of the columns in the export, or name them with `columns`'),
  'csv-quote': data('VP_E_CSV_QUOTE', F.CSV, 'a quote that is never closed, or a quote in the middle of a value', 'a quote inside a value must be doubled ("") and the whole value quoted; check `quote` for the feed'),
  'max-record-size': data('VP_E_MAX_RECORD_SIZE', [F.CSV, F.XML], 'one record is larger than the limit', 'one enormous line, an unclosed quote, or an XML tag left open: check `delimiter`, `quote` or `recordPath`'),
  csv: data('VP_E_CSV', F.CSV, 'the CSV parser refused the file for another reason', 'the message quotes the parser; fix the export'),
  'column-missing': data('VP_E_COLUMN_MISSING', F.CSV, 'the header lacks a column the feed maps', 'the export and the feed’s `map` disagree (a renamed column, the wrong feed, the wrong `delimiter`): fix one of them'),
  'delimiter-mismatch': data('VP_E_DELIMITER_MISMATCH', F.CSV, 'the header splits into far more columns on another delimiter than on the feed’s: the file uses another delimiter', 'set `delimiter` for the feed to the one the message names, if the ERP exports that way'),

  // XML structure.
  'xml-syntax': data('VP_E_XML_SYNTAX', F.XML, 'the XML is not well-formed (an unclosed tag, a truncated file, stray markup)', 'the message names line and column; a file cut short is often still being written'),
  'xml-entity-declaration': data('VP_E_XML_ENTITY_DECLARATION', F.XML, 'the file declares an entity (`<!ENTITY …>`)', 'entity declarations are refused for safety (entity expansion, external entities): export the file without a DTD'),
  'xml-entity': data('VP_E_XML_ENTITY', F.XML, 'an entity or character reference that is not one of XML’s own', 'write a literal `&` as `&amp;`; named HTML entities such as `&nbsp;` are not XML'),
  'xml-record-path': data('VP_E_XML_RECORD_PATH', F.XML, 'no record at `recordPath`, but one elsewhere in the file', 'recordPath is a path from the document root: check it against the file'),

  // Fields of a record: the record is rejected (or skipped with `onError: skip-record`).
  required: data('VP_E_REQUIRED', F.FIELD, 'a field the kind of document needs is empty', 'fill the column in the export, or map another column to the field'),
  'id-length': data('VP_E_ID_LENGTH', F.FIELD, 'a document id is longer than the limit', 'is `id` mapped to the right column?'),
  'id-chars': data('VP_E_ID_CHARS', F.FIELD, 'a document id contains control characters', 'fix the id in the export'),
  'customer-no': data('VP_E_CUSTOMER_NO', F.FIELD, 'a customer number does not match `customerNoPattern`', 'customer numbers name a folder of the published tree: fix the export or widen `customerNoPattern`'),
  currency: data('VP_E_CURRENCY', F.FIELD, 'a currency that is not an ISO 4217 code', 'use three letters such as SEK, EUR, NOK'),
  'price-type': data('VP_E_PRICE_TYPE', F.FIELD, 'a price row whose `price.type` is not customer, group or all', 'map the export’s values with `values: { price.type: { … } }` (Business Central’s Sales Type values are known)'),
  'price-dates': data('VP_E_PRICE_DATES', F.FIELD, 'a price row valid to a date before it is valid from', 'fix the dates in the ERP'),
  country: data('VP_E_COUNTRY', F.FIELD, 'a country that cannot be resolved to ISO 3166-1', 'use the ISO 3166-1 code (SE, NO, DK) or a full country name'),
  'number-format': data('VP_E_NUMBER_FORMAT', F.FIELD, 'a number that is not in the feed’s `numberFormat`', 'the hint of the error shows the configured format with examples: fix the value or `numberFormat`'),
  'number-empty': data('VP_E_NUMBER_EMPTY', F.FIELD, 'an empty number where one is needed', 'fill the column in the export'),
  'date-format': data('VP_E_DATE_FORMAT', F.FIELD, 'a date that is not in the feed’s `dateFormat`', 'the hint of the error shows the configured format with an example: fix the value or `dateFormat`'),
  'date-invalid': data('VP_E_DATE_INVALID', F.FIELD, 'a date in the right format that is not a calendar date (2024-02-30)', 'fix the date in the ERP'),
  'date-range': data('VP_E_DATE_RANGE', F.FIELD, 'a year outside the accepted range', 'is `dateFormat` right (YY vs YYYY)? otherwise fix the date in the ERP'),
  'line-amount': data('VP_E_LINE_AMOUNT', F.FIELD, 'a document line with neither a price nor a row total', 'map `line.price` or `line.row_total` to a column that is filled'),
  'deletion-kind': data('VP_E_DELETION_KIND', F.FIELD, 'a record of a deletions feed matches none of its `deletes` rules, so what it deletes is unknown', 'add a rule for the record’s type columns (`delete: ignore` for records that are not documents)'),

  // A record or file as a whole.
  'id-customer-conflict': data('VP_E_ID_CUSTOMER_CONFLICT', F.RECORD, 'one document id appears under two customers in one file', 'one document belongs to one customer: fix the export'),
  'full-skip-without-id': data('VP_E_FULL_SKIP_WITHOUT_ID', F.RECORD, 'a bad record without a readable id in a full snapshot: skipping it would delete its document', 'fix the record; `onError: skip-record` cannot skip it safely'),
  'section-none': data('VP_E_SECTION_NONE', F.RECORD, 'a record of a feed with `sections` matches the `when` of none of them', 'add a section for the record type the message names, or fix the export'),
  'max-errors': data('VP_E_MAX_ERRORS', F.RECORD, 'more bad records than `ingest.maxErrors`: the file is rejected as a whole', 'fix the export (the report lists the first errors) or raise `ingest.maxErrors`'),
  'empty-file': data('VP_E_EMPTY_FILE', F.RECORD, 'the file is empty (0 bytes): a failed export?', 'an export without data still has its header row: run the export again'),
  pdf: data('VP_E_PDF', F.RECORD, 'a file matching a `pdfs` pattern is empty or not a PDF', 'only PDF files belong under the `pdfs` patterns: check the export or the pattern'),
  'feed-pattern': data('VP_E_FEED_PATTERN', F.NO_FEED, 'no feed or `pdfs` pattern matches the file name', 'rename the file to match a feed’s `pattern`, or add a feed for it; the hint lists the patterns'),
  'max-delete-share': data('VP_E_MAX_DELETE_SHARE', F.DELETE_GUARD, 'a full snapshot would delete more than `maxDeleteShare` of the documents: a truncated export?', 'check the export; if the deletions are real, run `vendre-pull replay --force` or raise `maxDeleteShare`'),
  'run-incomplete': data('VP_E_RUN_INCOMPLETE', F.RECORD, 'an export run (config `runs`) still misses a member file after `waitMs`: its files are quarantined together, nothing of the run is applied', 'drop the missing file and the quarantined ones back into the drop folder (or `vendre-pull ingest` them together); if the ERP no longer writes that file, remove its feed from the run'),
  'run-rejected': data('VP_E_RUN_REJECTED', F.RECORD, 'another file of the same export run was rejected: the whole run is quarantined, nothing of it is applied', 'fix the file the message names (its NAME.error.json has the errors), then drop the run’s files back together'),
  'document-schema': data('VP_E_DOCUMENT_SCHEMA', F.SCHEMA, 'a rendered document fails its JSON schema and is not published (the earlier version stays)', 'the log line names the source file and line; fix the data there (status lists such documents)'),

  // Publishing. Not a rejection: the object stays in the outbox, is retried first on the next cycle
  // and the command still exits 0; `status` shows the outbox and its last error.
  'publish-failed': { code: 'VP_E_PUBLISH_FAILED', family: F.PUBLISH, summary: 'a write or delete on the target failed; it stays in the outbox and is retried', hint: 'the log line quotes the target’s error (network, permissions, disk); `status` shows the outbox; `vendre-pull verify` checks the target afterwards', exit: ExitCodes.OK } as const,

  // `init` learning from a sample.
  'init-encoding': data('VP_E_INIT_ENCODING', F.ENCODING, '`init` cannot read the sample as text (UTF-16, NUL bytes)', 'export the sample as UTF-8 or windows-1252'),
  'init-xml': data('VP_E_INIT_XML', F.XML, '`init` finds no repeated record element in the XML sample', 'give it an export with one element per document and at least two documents'),

  data: data('VP_E_DATA', F.RECORD, 'a data error raised without a more specific rule', 'the message says what is wrong; report the missing rule as a bug'),

  // Config and environment: the command does not start.
  config: config('VP_E_CONFIG', 'the config is wrong', 'the message names the key and its line'),
  'config-missing': config('VP_E_CONFIG_MISSING', 'no config file where one was looked for', 'pass `--config FILE` or set VENDRE_PULL_CONFIG; `vendre-pull init EXPORT_FILE` proposes a feed to start one from'),
  'config-read': config('VP_E_CONFIG_READ', 'the config file exists but cannot be read', 'check the file’s owner and mode (the service user must read it)'),
  'config-syntax': config('VP_E_CONFIG_SYNTAX', 'the config file is not valid YAML', 'fix the YAML at the line named (indentation, a tab, an unquoted colon)'),
  'config-invalid': config('VP_E_CONFIG_INVALID', 'a config key is unknown, missing or has a wrong value', 'fix the key at the line named; `schemas/config.schema.json` lists every key'),
  'config-env': config('VP_E_CONFIG_ENV', 'a `${NAME}` in a config value names an environment variable that is not set (or is malformed)', 'set the variable in the service’s environment, give a default with `${NAME:-default}`, or write `$$` for a literal `$`'),
  'config-feed': config('VP_E_CONFIG_FEED', 'a feed’s settings cannot read its format (no `columns` without a header, no `recordPath`, bad CSV settings)', 'complete the feed; `vendre-pull init SAMPLE` proposes one'),
  'config-secret': config('VP_E_CONFIG_SECRET', 'a token or secret the config names is not set, not readable or not valid', 'set the environment variable or fix the file the message names (in the service’s environment file)'),
  'config-edge': config('VP_E_CONFIG_EDGE', 'the credentials do not fit CloudFront’s KeyValueStore (too many, too long)', 'use fewer or shorter auth.secrets'),
  'config-listen': config('VP_E_CONFIG_LISTEN', 'a port cannot be listened on (in use, not allowed, no such address)', 'set the host/port key the message names, or stop the other process'),
  'config-target': config('VP_E_CONFIG_TARGET', 'the target cannot be used (a bucket missing or refused)', 'check the bucket name, region and credentials the message names'),
  'config-unprotected': config('VP_E_CONFIG_UNPROTECTED', 'the admin port is bound beyond loopback without a token', 'set admin.tokens (or auth.tokens), or bind admin.host to 127.0.0.1'),
  'config-no-credential': config('VP_E_CONFIG_NO_CREDENTIAL', '`run` or `serve` would accept no credential at all (every token or secret unset or none configured): every request would be refused', 'set the environment variable the message names in the service’s environment (or its environment file), or start `run --no-serve`'),
  'config-state-missing': config('VP_E_CONFIG_STATE_MISSING', 'a command that only reads (`status`, `verify`, `backup`) finds no state file at `state`', 'check `state` in the config (and `--config`); `run` and `ingest` create the state file'),
  'config-drop-missing': config('VP_E_CONFIG_DROP_MISSING', '`status` finds no drop folder at `folders.drop`', 'check `folders.drop` against the folder the ERP writes to; `run` creates it'),
  'config-target-missing': config('VP_E_CONFIG_TARGET_MISSING', '`verify` (without `--repair`) finds no local target folder', 'check `target` and `prefix`; `verify --repair` writes everything the manifest lists'),

  // The state file (src/store/check.ts, lock.ts, publish/marker.ts): the command does not start, so
  // nothing is applied twice, published over or deleted from a state that cannot be trusted.
  'state-locked': config('VP_E_STATE_LOCKED', 'another daemon or writing command holds the state (its lock file names pid, host and since when)', 'stop the other process first; read-only commands (status, verify without --repair, backup) work meanwhile; a lock of another host that is surely gone: remove the lock file the message names'),
  'state-damaged': config('VP_E_STATE_DAMAGED', 'the state file is empty (0 bytes), not SQLite, or fails its integrity check', 'restore a backup over it (`vendre-pull backup` writes one) and `vendre-pull replay`, or move it away and `vendre-pull replay --fresh` to rebuild it from the archive'),
  'state-access': config('VP_E_STATE_ACCESS', 'the state file or its folder cannot be read, written or created', 'give the service user write access to the folder the message names (SQLite writes -wal and -shm beside the file), or point `state` elsewhere'),
  'state-schema': config('VP_E_STATE_SCHEMA', 'the state file was written by a newer vendre-pull (a schema version this build does not know)', 'upgrade vendre-pull, or restore a backup written by this version'),
  'state-diverged': config('VP_E_STATE_DIVERGED', 'the target’s marker names another state, or one further along (a state file replaced, emptied, or its -wal lost after a crash)', 'if this state is the right one, `vendre-pull replay` (or `replay --fresh`) rebuilds it from the archive and takes the target over; otherwise restore the state from a backup'),
  'state-open': config('VP_E_STATE_OPEN', 'the state file cannot be opened for another reason', 'the message quotes SQLite; check the file and its folder'),
  'repair-delete-share': config('VP_E_REPAIR_DELETE_SHARE', '`verify --repair` would delete more than `verify.maxDeleteShare` of the target: objects the manifest does not know (a lost or replaced state?)', 'nothing was changed: check `vendre-pull status`, restore the state or `replay`; pass `--force` if the deletions are real'),

  // Logged while running: the process works around it and goes on. Each log line carries the code.
  'publish-pending': event('VP_E_PUBLISH_PENDING', 'a file’s records are stored but not all of its objects are published yet: the file waits in the work folder', 'the outbox retries on the next cycle; `status` shows the outbox and its last error'),
  'file-changed': event('VP_E_FILE_CHANGED', 'a file changed while it was read (the ERP was still writing): it goes back to the drop folder', 'nothing to do if it settles; raise `inbox.stableMs` (or use `complete: marker`) if it happens often'),
  'after-publish-failed': event('VP_E_AFTER_PUBLISH_FAILED', 'the step after a publish (the CloudFront invalidation) failed; the objects are published', 'cached copies expire by their max-age; check the CloudFront distribution id and the permission to invalidate'),
  'marker-unreadable': event('VP_E_MARKER_UNREADABLE', 'the state marker beside the target cannot be read; it is written again', 'nothing to do unless it repeats; then check the target’s permissions'),
  'marker-write-failed': event('VP_E_MARKER_WRITE_FAILED', 'the state marker could not be written beside the target; it is written after the next publish', 'check the target’s permissions and space'),
  'target-lost': event('VP_E_TARGET_LOST', 'the target is empty or gone while the manifest lists objects: everything is published again', 'check who emptied the target (a lifecycle rule, a manual delete); the republish needs no action'),
  'repair-delete-failed': event('VP_E_REPAIR_DELETE_FAILED', '`verify --repair` could not delete an object the manifest does not know', 'the line quotes the target’s error; run `verify --repair` again after fixing it'),
  'watch-failed': event('VP_E_WATCH_FAILED', 'the drop folder cannot be watched or listed (gone, unmounted, no permission); the inbox retries', 'check the folder (and its share or mount) and the service user’s permissions'),
  'serve-read-failed': event('VP_E_SERVE_READ_FAILED', '`serve` could not read an object while answering (the client got a 500)', 'check the target folder’s disk and permissions; `vendre-pull verify` compares it with the manifest'),
  'admin-request-failed': event('VP_E_ADMIN_REQUEST_FAILED', 'an admin page failed to render (the browser got a 500)', 'the line has the error; report it with the page’s path'),
  'secret-env-unset': event('VP_E_SECRET_ENV_UNSET', 'an environment variable the config names for a token or secret is not set: that credential is not accepted', 'set the variable in the service’s environment (or remove it from the config) and restart'),
  'auth-without-credential': event('VP_E_AUTH_WITHOUT_CREDENTIAL', 'an auth mode is enabled without a credential to check: its requests are refused', 'set auth.tokens for bearer or auth.secrets for signed, or drop the mode from auth.modes'),

  // Command line.
  usage: usage('VP_E_USAGE', 'the command line is wrong', 'run the command with --help'),
  'usage-option': usage('VP_E_USAGE_OPTION', 'an option has a value it does not accept', 'the message names the option; run the command with --help'),
  'usage-file': usage('VP_E_USAGE_FILE', 'a file named on the command line is missing, empty, of the wrong kind, or would be overwritten', 'name another file (or pass --force where the message says so)'),
  'usage-credentials': usage('VP_E_USAGE_CREDENTIALS', '`sign` has no secret or token to sign with', 'set auth.secrets or auth.tokens in the config, or the environment variable they name'),

  // Not raised on purpose.
  unexpected: { code: 'VP_E_UNEXPECTED', family: F.UNEXPECTED, summary: 'an error vendre-pull did not expect (a bug, or a failure of the machine such as a full disk)', hint: 'the message has the stack; check disk and state file, then report it with the stack', exit: ExitCodes.UNEXPECTED } as const,

  // Refusals of the Pull API (edge and serve). The body's `error` is the API's own name for them.
  unauthorized: refusal('VP_E_UNAUTHORIZED', 401, 'a request without a credential', 'the shop must send the bearer token or the signature headers'),
  forbidden: refusal('VP_E_FORBIDDEN', 403, 'a request whose credential is not valid (wrong token, bad or stale signature)', 'compare the shop’s token with auth.tokens, or its clock with the server’s (auth.windowSeconds)'),
  not_found: refusal('VP_E_NOT_FOUND', 404, 'no such document (or a path outside the layout)', 'the layout is in "The Pull API layout"; a document appears once its file is ingested'),
  bad_request: refusal('VP_E_BAD_REQUEST', 400, 'a malformed path or query (a parameter missing, repeated, too long or out of range)', 'the message names the parameter; the layout is in "The Pull API layout"'),
  method_not_allowed: refusal('VP_E_METHOD_NOT_ALLOWED', 405, 'a method other than GET or HEAD', 'the Pull API is read-only'),
} as const satisfies Record<string, CatalogueEntry>;

/** Every known rule. A throw site with a rule not in the catalogue does not compile. */
export type Rule = keyof typeof CATALOGUE;

type RulesOf<F> = { [R in Rule]: (typeof CATALOGUE)[R]['family'] extends F ? R : never }[Rule];
/** Rules a DataError may carry: every rule whose exit code is 1. */
export type DataRule = { [R in Rule]: (typeof CATALOGUE)[R]['exit'] extends typeof ExitCodes.DATA ? R : never }[Rule];
/** Rules a ConfigError may carry. */
export type ConfigRule = RulesOf<typeof ErrorCodes.CONFIG>;
/** Rules a UsageError may carry. */
export type UsageRule = RulesOf<typeof ErrorCodes.USAGE>;
/** Refusals of the Pull API, named as in the response body's `error`. */
export type HttpRule = RulesOf<typeof ErrorCodes.REFUSED>;

export function entryOf(rule: Rule): CatalogueEntry {
  return CATALOGUE[rule];
}

/** The catalogue as rows of the README's "Error codes" table. */
export function catalogueTable(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const rows = (Object.entries(CATALOGUE) as Array<[Rule, CatalogueEntry]>).map(([rule, e]) => {
    const families = (Array.isArray(e.family) ? e.family : [e.family]).join(', ');
    const exit = e.http !== undefined ? `HTTP ${e.http}` : String(e.exit);
    return `| \`${e.code}\` | \`${rule}\` | ${families} | ${exit} | ${cell(e.summary)} | ${cell(e.hint)} |`;
  });
  return ['| code | rule | family | exit | what it means | what to do |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}
