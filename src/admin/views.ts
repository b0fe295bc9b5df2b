/**
 * The admin pages: pure functions from data to HTML. Every value goes through the `html` tag, which
 * escapes it; links are built with `href`, which percent-encodes each segment.
 */
import type { Status } from '../ops/status.ts';
import type { RenderedDocument } from '../render/documents.ts';
import { documentKey, stockKey, type ListKind } from '../layout/keys.ts';
import type { CustomerPrices, CustomerRow, CustomerView, FeedOverview, OutboxOverview, PublishState, QuarantinedFile, QuarantineError, StockRow, StockView } from './data.ts';
import type { FileRow } from '../store/db.ts';
import { badge, href, html, page, raw, table, type Html } from './html.ts';

type Body = Record<string, unknown>;

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

function outcomeBadge(outcome: string): Html {
  return badge(outcome, outcome === 'ingested' ? 'ok' : outcome === 'duplicate' ? 'muted' : 'bad');
}

function stateBadge(state: PublishState | undefined): Html {
  switch (state) {
    case 'published':
      return badge('published', 'ok');
    case 'queued':
      return badge('queued', 'warn');
    case 'invalid':
      return badge('schema error', 'bad');
    default:
      return badge('not published', 'muted');
  }
}

function paymentBadge(status: unknown): Html | string {
  const s = str(status);
  if (!s) return '';
  if (/^(betald|paid|settled|closed)$/i.test(s)) return badge(s, 'ok');
  if (/förfallen|overdue|forfallen|påminnelse|reminder|inkasso/i.test(s)) return badge(s, 'bad');
  return badge(s, 'warn');
}

export function objectHref(key: string): string {
  return href(['objects', ...key.split('/')]);
}

export function customerHref(customerNo: string, query: Record<string, string | number | undefined> = {}): string {
  return href(['customers', customerNo], query);
}

export function stockHref(article: string): string {
  return href(['stock', article]);
}

export function documentHref(customerNo: string, list: ListKind, id: string): string {
  return href(['customers', customerNo, list, id]);
}

/** Formatters per zone: the pages show times in `admin.timeZone` (default: the machine's zone). */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string | undefined): Intl.DateTimeFormat {
  const k = tz ?? '';
  let f = formatters.get(k);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
    formatters.set(k, f);
  }
  return f;
}

/** `2025-11-30 11:00:00 CET` in the zone; stored times are UTC ISO strings. */
export function when(iso: string | null | undefined, tz?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = Object.fromEntries(formatter(tz).formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`;
}

/** "3 min", "2 h 05 min", "4 d 3 h": how long ago, for the feed freshness line. */
export function age(ms: number): string {
  const m = Math.max(0, Math.floor(ms / 60_000));
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export interface Freshness {
  lastGoodAt: string | null;
  /** Minutes since the last good file; undefined without one. */
  minutes: number | undefined;
  stale: boolean;
}

/** Stale: an expectation is configured and the last good file is older than it (or there is none). */
export function freshness(lastGoodAt: string | null, expectEveryMinutes: number | undefined, now: Date): Freshness {
  const minutes = lastGoodAt ? (now.getTime() - new Date(lastGoodAt).getTime()) / 60_000 : undefined;
  const stale = expectEveryMinutes !== undefined && (minutes === undefined || minutes > expectEveryMinutes);
  return { lastGoodAt, minutes, stale };
}

function fileCell(f: FileRow): Html {
  return html`<span class="mono">${f.name}</span>`;
}

// ---------------------------------------------------------------------------------------------

export interface OverviewData {
  status: Status;
  feeds: FeedOverview[];
  quarantine: QuarantinedFile[];
  health: { ready: boolean; problems: string[] };
  version: string;
  /** When the page is rendered (for "last good file … ago"). */
  now: Date;
  timeZone?: string;
}

function freshnessLine(f: FeedOverview, lastGoodAt: string | null, now: Date, tz: string | undefined): Html {
  const fr = freshness(lastGoodAt, f.expectEveryMinutes, now);
  const expect = f.expectEveryMinutes === undefined ? html`<span class="muted">no expected interval (feeds[].expectEveryMinutes)</span>` : html`<span class="muted">expected every ${age(f.expectEveryMinutes * 60_000)}</span>`;
  const signal = f.expectEveryMinutes === undefined ? '' : fr.stale ? badge('stale', 'bad') : badge('on time', 'ok');
  const last = fr.lastGoodAt ? html`last good file ${age(fr.minutes! * 60_000)} ago <span class="muted">(${when(fr.lastGoodAt, tz)})</span>` : html`no good file yet`;
  return html`<p class="fresh" data-testid="freshness-${f.name}" data-stale="${fr.stale ? 'yes' : 'no'}">${signal} ${last} · ${expect}</p>`;
}

export function overviewPage(d: OverviewData): string {
  const s = d.status;
  const tz = d.timeZone;
  const lastGood = new Map(s.feeds.map((f) => [f.name, f.last_ingested_at]));
  const stale = d.feeds.filter((f) => freshness(lastGood.get(f.name) ?? null, f.expectEveryMinutes, d.now).stale);
  const card = (n: number | string, label: string, tone?: 'bad' | 'warn', link?: string) =>
    html`<div class="card"><div class="n${tone ? raw(` ${tone === 'bad' ? 'err' : ''}`) : ''}">${link ? html`<a href="${link}">${n}</a>` : n}</div><div class="l">${label}</div></div>`;
  const body = html`
<h1>Overview</h1>
<p>${d.health.ready ? badge('ready', 'ok') : badge('not ready', 'bad')} ${d.health.problems.map((p) => html`<span class="err">${p}</span> `)}
<span class="muted">target: ${s.target} · state: <span class="mono">${s.state}</span> · vendre-pull ${d.version}</span></p>
<div class="cards">
${card(s.documents.customers, 'customers', undefined, '/customers')}
${card(s.documents.orders, 'orders')}
${card(s.documents.invoices, 'invoices')}
${card(s.documents.credit_invoices, 'credit invoices')}
${card(s.published.objects, 'published objects')}
${card(s.published.stock, 'articles with stock published', undefined, '/stock')}
${card(stale.length, 'stale feeds', stale.length ? 'bad' : undefined)}
${card(s.pdfs_waiting.length, 'PDFs waiting for their document', undefined, s.pdfs_waiting.length ? '#pdfs-waiting' : undefined)}
${card(s.outbox.depth, 'outbox', s.outbox.failing ? 'bad' : undefined, '/outbox')}
${card(s.quarantine.count, 'in quarantine', s.quarantine.count ? 'bad' : undefined, '/quarantine')}
${card(s.inbox.length, 'waiting in drop folder')}
${card(s.invalid_documents.length, 'schema errors', s.invalid_documents.length ? 'bad' : undefined, '/outbox')}
</div>
<h2>Feeds</h2>
<p class="muted">Times in ${tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone}.</p>
${d.feeds.map(
  (f) => html`<h3 style="font-size:14px;margin:16px 0 6px">${f.name} <span class="muted mono">${f.pattern}</span> <span class="muted">· ${f.kind} · ${f.format} · ${f.mode}</span> <a href="${href(['files'], { feed: f.name })}" class="muted">history</a></h3>
${freshnessLine(f, lastGood.get(f.name) ?? null, d.now, tz)}
<div class="panel">${table(
    f.files,
    [
      { label: 'Finished', cell: (r) => when(r.finished_at, tz) },
      { label: 'File', cell: fileCell },
      { label: 'Outcome', cell: (r) => outcomeBadge(r.outcome) },
      { label: 'Records', cell: (r) => r.records, numeric: true },
      { label: 'Error', cell: (r) => (r.error ? html`<span class="err">${r.error}</span>` : '') },
    ],
    'No file yet.',
    { testid: `feed-${f.name}` },
  )}</div>`,
)}
${s.pdfs_waiting.length
  ? html`<h2 id="pdfs-waiting">PDFs waiting for their document</h2>
<p class="muted">Kept, not published: each goes out with its document when an export brings it.</p>
<div class="panel">${table(s.pdfs_waiting, [
      { label: 'File', cell: (p) => html`<span class="mono">${p.file}</span>` },
      { label: 'For', cell: (p) => `${p.kind} ${p.id}` },
      { label: 'Since', cell: (p) => when(p.since, tz) },
    ], 'None.', { testid: 'pdfs-waiting' })}</div>`
  : ''}
<h2>Quarantine</h2>
<div class="panel">${quarantineTable(d.quarantine.slice(0, 10), tz)}</div>
${d.quarantine.length > 10 ? html`<p><a href="/quarantine">all ${d.quarantine.length} files in quarantine</a></p>` : ''}
${s.inbox.length ? html`<h2>Waiting in the drop folder</h2><p class="mono">${s.inbox.slice(0, 50).join(', ')}</p>` : ''}
`;
  return page({ title: 'Overview', section: 'overview' }, body);
}

// ---------------------------------------------------------------------------------------------

export function filesPage(d: { rows: FileRow[]; total: number; feed?: string; feeds: string[]; page: number; perPage: number; timeZone?: string }): string {
  const pages = Math.max(1, Math.ceil(d.total / d.perPage));
  const body = html`
<h1>Files${d.feed !== undefined ? html` of feed <span class="mono">${d.feed || '(none)'}</span>` : ''}</h1>
<p>${[html`<a href="/files">all</a>`, ...d.feeds.map((f) => html` · <a href="${href(['files'], { feed: f })}">${f}</a>`)]}</p>
<div class="panel">${table(
    d.rows,
    [
      { label: '#', cell: (r) => r.seq, numeric: true },
      { label: 'Finished', cell: (r) => when(r.finished_at, d.timeZone) },
      { label: 'Feed', cell: (r) => r.feed ?? html`<span class="muted">(none)</span>` },
      { label: 'File', cell: fileCell },
      { label: 'Outcome', cell: (r) => outcomeBadge(r.outcome) },
      { label: 'Records', cell: (r) => r.records, numeric: true },
      { label: 'Now in', cell: (r) => (r.moved_to ? html`<span class="mono muted">${r.moved_to}</span>` : html`<span class="muted">not moved</span>`) },
      { label: 'Error', cell: (r) => (r.error ? html`<span class="err">${r.error}</span>` : '') },
    ],
    'No files processed yet.',
    { testid: 'files' },
  )}
${pager(d.page, pages, (p) => href(['files'], { feed: d.feed, page: p }))}</div>`;
  return page({ title: 'Files', section: 'files' }, body);
}

function pager(current: number, pages: number, link: (p: number) => string): Html | string {
  if (pages <= 1) return '';
  return html`<div class="pager">${current > 1 ? html`<a href="${link(current - 1)}">‹ newer</a>` : ''}<span class="muted">page ${current} of ${pages}</span>${current < pages ? html`<a href="${link(current + 1)}">older ›</a>` : ''}</div>`;
}

// ---------------------------------------------------------------------------------------------

function quarantineTable(files: QuarantinedFile[], tz?: string): Html {
  return table(
    files,
    [
      { label: 'File', cell: (q) => html`<a class="mono" href="${href(['quarantine', q.name])}">${q.name}</a>` },
      { label: 'Feed', cell: (q) => q.feed ?? html`<span class="muted">(none)</span>` },
      { label: 'Rejected', cell: (q) => when(q.rejectedAt ?? q.mtime.toISOString(), tz) },
      { label: 'Errors', cell: (q) => q.errors.length, numeric: true },
      { label: 'First error', cell: (q) => html`<span class="err">${q.reportProblem ?? q.errors[0]?.message ?? ''}</span>` },
    ],
    'Nothing in quarantine.',
    { testid: 'quarantine' },
  );
}

export function quarantinePage(files: QuarantinedFile[], dir: string, tz?: string): string {
  const body = html`
<h1>Quarantine</h1>
<p class="muted">Rejected files stay in <span class="mono">${dir}</span> with <span class="mono">NAME.error.json</span> beside them. Fix the export (or the feed), then drop the corrected file into the drop folder again.</p>
<div class="panel">${quarantineTable(files, tz)}</div>`;
  return page({ title: 'Quarantine', section: 'quarantine' }, body);
}

export function quarantineFilePage(q: QuarantinedFile, dir: string, tz?: string): string {
  const errorColumns = [
    { label: 'Line', cell: (e: QuarantineError) => e.line ?? '', numeric: true },
    { label: 'Col', cell: (e: QuarantineError) => e.column ?? '', numeric: true },
    { label: 'Field', cell: (e: QuarantineError) => (e.field ? html`<span class="mono">${e.field}</span>` : '') },
    { label: 'Value', cell: (e: QuarantineError) => (e.value !== undefined ? html`<span class="mono">${e.value}</span>` : '') },
    { label: 'Customer', cell: (e: QuarantineError) => e.customer ?? '' },
    // The stable code is what ops search the README's error table for; the rule is its name.
    { label: 'Code', cell: (e: QuarantineError) => html`${e.ref ? html`<span class="mono">${e.ref}</span>` : ''}${e.rule ? html`<br><span class="muted mono">${e.rule}</span>` : ''}` },
    { label: 'Error', cell: (e: QuarantineError) => html`<span class="err">${e.message}</span>${e.hint ? html`<br><span class="muted">hint: ${e.hint}</span>` : ''}` },
  ];
  const body = html`
<h1>Quarantined: <span class="mono">${q.name}</span></h1>
<dl class="kv">
<dt>Feed</dt><dd>${q.feed ?? '(no feed matched)'}</dd>
<dt>Rejected</dt><dd>${when(q.rejectedAt ?? q.mtime.toISOString(), tz)}</dd>
<dt>Size</dt><dd>${q.size.toLocaleString('en-US')} bytes</dd>
<dt>Where</dt><dd class="mono">${dir}/${q.name}</dd>
</dl>
${q.reportProblem ? html`<p class="err">${q.reportProblem}</p>` : ''}
<h2>${q.errors.length} error${q.errors.length === 1 ? '' : 's'}</h2>
<div class="panel">${table(q.errors, errorColumns, 'No errors recorded.', { testid: 'errors' })}</div>
<p><a href="/quarantine">‹ quarantine</a></p>`;
  return page({ title: `Quarantine: ${q.name}`, section: 'quarantine' }, body);
}

// ---------------------------------------------------------------------------------------------

export function outboxPage(o: OutboxOverview): string {
  const phase = (p: number) => (p === 0 ? 'documents' : p === 1 ? 'lists' : 'deletes');
  const body = html`
<h1>Outbox</h1>
<p>${o.depth} entr${o.depth === 1 ? 'y' : 'ies'} waiting for the target. An entry leaves only when the target confirmed it; failed ones are retried on the next cycle.</p>
<div class="panel">${table(o.byOp, [
    { label: 'Phase', cell: (r) => phase(r.phase) },
    { label: 'Operation', cell: (r) => r.op },
    { label: 'Entries', cell: (r) => r.n, numeric: true },
  ], 'The outbox is empty: everything decided is published.', { testid: 'outbox' })}</div>
<h2>Failing</h2>
<div class="panel">${table(o.failing, [
    { label: 'Key', cell: (r) => html`<span class="mono">${r.key}</span>` },
    { label: 'Customer', cell: (r) => html`<a href="${customerHref(r.customer_no)}">${r.customer_no}</a>` },
    { label: 'Op', cell: (r) => r.op },
    { label: 'Attempts', cell: (r) => r.attempts, numeric: true },
    { label: 'Last error', cell: (r) => html`<span class="err">${r.last_error ?? ''}</span>` },
  ], 'No failures.')}</div>
<h2>Next to send</h2>
<div class="panel">${table(o.next, [
    { label: 'Key', cell: (r) => html`<span class="mono">${r.key}</span>` },
    { label: 'Customer', cell: (r) => html`<a href="${customerHref(r.customer_no)}">${r.customer_no}</a>` },
    { label: 'Phase', cell: (r) => phase(r.phase) },
    { label: 'Op', cell: (r) => r.op },
  ], 'Nothing queued.')}</div>
<h2>Documents not published (schema errors)</h2>
<div class="panel">${table(o.invalid, [
    { label: 'Key', cell: (r) => html`<span class="mono">${r.key}</span>` },
    { label: 'Customer', cell: (r) => html`<a href="${customerHref(r.customer_no)}">${r.customer_no}</a>` },
    { label: 'Source', cell: (r) => html`<span class="mono">${r.src_file ?? ''}:${r.src_line ?? ''}</span>` },
    { label: 'Problem', cell: (r) => html`<span class="err">${r.message}</span>` },
  ], 'None.')}</div>`;
  return page({ title: 'Outbox', section: 'outbox' }, body);
}

// ---------------------------------------------------------------------------------------------

export function customersPage(q: string, rows: CustomerRow[], total: number): string {
  const body = html`
<h1>Customers</h1>
<form method="get" action="/customers"><input type="search" name="q" value="${q}" placeholder="Customer number or name" aria-label="Customer number or name" autofocus> <button type="submit">Look up</button></form>
<p class="muted">${q ? html`${total} customer${total === 1 ? '' : 's'} match “${q}”` : html`${total} customers`}${total > rows.length ? html`, the first ${rows.length} shown` : ''}.</p>
<div class="panel">${table(rows, [
    { label: 'Customer', cell: (r) => html`<a href="${customerHref(r.customer_no)}">${r.customer_no}</a>` },
    { label: 'Company', cell: (r) => r.company ?? '' },
    { label: 'Orders', cell: (r) => r.counts.order ?? 0, numeric: true },
    { label: 'Invoices', cell: (r) => r.counts.invoice ?? 0, numeric: true },
    { label: 'Credit invoices', cell: (r) => r.counts.credit ?? 0, numeric: true },
    { label: 'Latest document', cell: (r) => r.latest },
  ], q ? 'No customer matches.' : 'No documents stored yet.', { testid: 'customers' })}</div>`;
  return page({ title: 'Customers', section: 'customers' }, body);
}

interface ListSpec {
  list: ListKind;
  type: string;
  title: string;
  noun: string;
}

const LISTS: ListSpec[] = [
  { list: 'orders', type: 'order-list', title: 'Orders', noun: 'Order' },
  { list: 'invoices', type: 'invoice-list', title: 'Invoices', noun: 'Invoice' },
  { list: 'credit-invoices', type: 'credit-list', title: 'Credit invoices', noun: 'Credit invoice' },
];

/** The list page `n` (no year) of one list, as published. */
function listPage(view: CustomerView, spec: ListSpec, n: number): RenderedDocument | undefined {
  return view.documents.find((d) => d.type === spec.type && (d.body as Body).year === undefined && (d.body as Body).page === n);
}

/** Rows per list on the customer page: a screenful, as the shop pages its lists (not the whole history at once). */
export const CUSTOMER_ROWS_PER_PAGE = 25;

/** Every item of one list (no year) across its published pages, newest first as published. */
function allItems(view: CustomerView, spec: ListSpec): { items: Body[]; perPublishedPage: number } {
  const pages = view.documents
    .filter((d) => d.type === spec.type && (d.body as Body).year === undefined)
    .sort((a, b) => Number((a.body as Body).page) - Number((b.body as Body).page));
  return { items: pages.flatMap((d) => ((d.body as Body).items as Body[]) ?? []), perPublishedPage: Number((pages[0]?.body as Body | undefined)?.per_page ?? 50) || 50 };
}

/** The customer page's query: a page per list, the prices page and the date prices are shown for. */
export interface CustomerPageQuery {
  pages: Partial<Record<ListKind, number>>;
  /** Given in the URL (`?date=`); otherwise today, and not repeated in links. */
  date?: string;
}

function customerQuery(q: CustomerPageQuery, prices: number | undefined): Record<string, string | number | undefined> {
  return { ...q.pages, prices, date: q.date };
}

function pricesSection(c: string, prices: CustomerPrices | undefined, q: CustomerPageQuery): Html | string {
  if (!prices) return '';
  const pages = Math.max(1, Math.ceil(prices.total / prices.perPage));
  const source = (s: string | undefined) => (s === 'customer' ? badge('own price', 'ok') : s === 'group' ? badge('price group', 'warn') : badge('list price', 'muted'));
  return html`<h2 id="prices">Prices <span class="muted">(${prices.total} article${prices.total === 1 ? '' : 's'})</span></h2>
<p class="muted" data-testid="price-basis">Price group: ${prices.price_group ? html`<span class="mono">${prices.price_group}</span>` : 'none (list prices where it has none of its own)'} · on ${prices.date} · quantity 1${prices.currency ? html` · ${prices.currency}` : ''} · resolved as the Pull API's <span class="mono">/prices</span> call resolves them.</p>
<form method="get" action="${customerHref(c)}#prices">${Object.entries(q.pages).map(([k, v]) => html`<input type="hidden" name="${k}" value="${String(v)}">`)}<input type="text" name="date" value="${prices.date}" aria-label="Prices on date (YYYY-MM-DD)"> <button type="submit">Prices on date</button></form>
<div class="panel">${table(prices.items, [
    { label: 'Article', cell: (it) => html`<a class="mono" href="${stockHref(it.article)}">${it.article}</a>` },
    { label: 'Price', cell: (it) => (it.found ? html`${str(it.price)} <span class="muted">${str(it.currency)}</span>` : html`<span class="muted">no price on this date</span>`), numeric: true },
    { label: 'Source', cell: (it) => (it.found ? source(it.source) : '') },
    { label: 'List price', cell: (it) => str(it.list_price), numeric: true },
    { label: 'Quantity breaks', cell: (it) => (it.breaks ?? []).map((b, i) => html`${i ? ' · ' : ''}<span class="mono">${b.min_quantity}+: ${b.price}</span>`) },
    { label: 'Valid to', cell: (it) => str(it.valid_to) },
  ], 'No prices.', { testid: 'prices' })}
${pager(prices.page, pages, (p) => `${customerHref(c, customerQuery(q, p))}#prices`)}</div>`;
}

export function customerPage(view: CustomerView, query: CustomerPageQuery, prices?: CustomerPrices): string {
  const pages = query.pages;
  const c = view.customer_no;
  const sections = LISTS.map((spec) => {
    if (!listPage(view, spec, 1)) return '';
    const { items: every, perPublishedPage } = allItems(view, spec);
    const totalPages = Math.max(1, Math.ceil(every.length / CUSTOMER_ROWS_PER_PAGE));
    const page = Math.min(Math.max(1, pages[spec.list] ?? 1), totalPages);
    const items = every.slice((page - 1) * CUSTOMER_ROWS_PER_PAGE, page * CUSTOMER_ROWS_PER_PAGE);
    // The published page that holds the first row shown, for the JSON link.
    const doc = listPage(view, spec, Math.floor(((page - 1) * CUSTOMER_ROWS_PER_PAGE) / perPublishedPage) + 1) ?? listPage(view, spec, 1)!;
    const b = doc.body as Body;
    // An empty credit list is noise; orders and invoices are always shown (Vendre shows them empty too).
    if (spec.list === 'credit-invoices' && items.length === 0) return '';
    const listOfItem = (it: Body): ListKind => (spec.list === 'invoices' && it.type === 'credit' ? 'credit-invoices' : spec.list);
    const keyOf = (it: Body) => documentKey(c, listOfItem(it), str(it.id));
    const columns = [
      {
        label: spec.noun,
        cell: (it: Body) => html`<a href="${documentHref(c, listOfItem(it), str(it.id))}">${str(it.id)}</a>${it.type === 'credit' ? html` ${badge('credit', 'muted')}` : ''}`,
      },
      { label: 'Date', cell: (it: Body) => str(it.date) },
      ...(spec.list !== 'orders'
        ? [
            { label: 'Due', cell: (it: Body) => str(it.due_date) },
            { label: 'Status', cell: (it: Body) => paymentBadge(it.payment_status) },
          ]
        : []),
      { label: 'Reference', cell: (it: Body) => str(it.reference) },
      { label: 'Sum', cell: (it: Body) => str(it.sum), numeric: true },
      { label: 'Published', cell: (it: Body) => stateBadge(view.state.get(keyOf(it))) },
      { label: 'JSON', cell: (it: Body) => html`<a href="${objectHref(keyOf(it))}">json</a>` },
    ];
    const total = Number(b.total ?? every.length);
    return html`<h2 id="${spec.list}">${spec.title} <span class="muted">(${total})</span> <a class="muted" style="font-weight:400;font-size:13px" href="${objectHref(doc.key)}">published page ${str(b.page)} as JSON</a> ${stateBadge(view.state.get(doc.key))}</h2>
<div class="panel">${table(items, columns, `No ${spec.title.toLowerCase()}.`, { testid: spec.list })}
${pager(page, totalPages, (p) => `${customerHref(c, { ...customerQuery(query, prices && prices.page > 1 ? prices.page : undefined), [spec.list]: p })}#${spec.list}`)}</div>`;
  });
  const back = view.documents.find((d) => d.type === 'backorders');
  const backItems = ((back?.body as Body | undefined)?.items as Body[] | undefined) ?? [];
  const backorders = back
    ? html`<h2 id="backorders">Backorders <span class="muted">(${backItems.length})</span> <a class="muted" style="font-weight:400;font-size:13px" href="${objectHref(back.key)}">JSON</a></h2>
<div class="panel">${table(backItems, [
        { label: 'Article', cell: (it) => html`<span class="mono">${str(it.model)}</span>` },
        { label: 'Name', cell: (it) => str(it.name) },
        { label: 'Remaining', cell: (it) => str(it.quantity), numeric: true },
        { label: 'Ordered', cell: (it) => str(it.ordered), numeric: true },
        { label: 'Order', cell: (it) => html`<a href="${documentHref(c, 'orders', str(it.order_no))}">${str(it.order_no)}</a>` },
        { label: 'Order date', cell: (it) => str(it.order_date) },
        { label: 'Expected', cell: (it) => str(it.expected_date) },
      ], 'Nothing backordered.', { testid: 'backorders' })}</div>`
    : '';
  const addr = view.documents.find((d) => d.type === 'addresses');
  const addrItems = ((addr?.body as Body | undefined)?.items as Body[] | undefined) ?? [];
  const addresses = addr
    ? html`<h2 id="addresses">Addresses <span class="muted">(${addrItems.length})</span> <a class="muted" style="font-weight:400;font-size:13px" href="${objectHref(addr.key)}">JSON</a> ${stateBadge(view.state.get(addr.key))}</h2>
<div class="panel">${table(addrItems, [
        { label: 'Type', cell: (it) => html`${str(it.type)}${it.default === true ? html` ${badge('default', 'muted')}` : ''}` },
        { label: 'Code', cell: (it) => html`<span class="mono">${str(it.code)}</span>` },
        { label: 'Company', cell: (it) => str(it.company) },
        { label: 'Reference', cell: (it) => str(it.reference) },
        { label: 'Address', cell: (it) => [it.address, it.address2].filter((v) => typeof v === 'string').join(', ') },
        { label: 'Postcode', cell: (it) => str(it.zipcode) },
        { label: 'City', cell: (it) => str(it.ziparea) },
        { label: 'Country', cell: (it) => html`${str(it.country)} <span class="muted">${str(it.country_iso)}</span>` },
      ], 'No addresses.', { testid: 'addresses' })}</div>`
    : '';
  const counts = (type: string) => view.documents.filter((d) => d.type === type).length;
  const states = [...view.state.values()];
  const body = html`
<h1>Customer ${c}${view.company ? html` · ${view.company}` : ''}</h1>
<div class="cards">
<div class="card"><div class="n">${counts('order')}</div><div class="l">orders</div></div>
<div class="card"><div class="n">${counts('invoice')}</div><div class="l">invoices</div></div>
<div class="card"><div class="n">${counts('credit')}</div><div class="l">credit invoices</div></div>
<div class="card"><div class="n">${backItems.length}</div><div class="l">backordered lines</div></div>
<div class="card"><div class="n">${states.filter((s) => s === 'published').length} / ${states.length}</div><div class="l">objects published</div></div>
</div>
<p class="muted">As Vendre's “Mitt konto” lists them: rendered from the store now, with each object's publish state.</p>
${sections}
${backorders}
${addresses}
${pricesSection(c, prices, query)}`;
  return page({ title: `Customer ${c}`, section: 'customers' }, body);
}

// ---------------------------------------------------------------------------------------------

function addressBlock(title: string, a: Body | undefined): Html {
  const x = a ?? {};
  const lines = [x.company, x.reference, x.address, x.address2, [x.zipcode, x.ziparea].filter(Boolean).join(' '), x.country].map(str).filter(Boolean);
  return html`<div class="card"><div class="l">${title}</div>${lines.length ? lines.map((l) => html`<div>${l}</div>`) : html`<div class="muted">—</div>`}${x.no ? html`<div class="muted">customer no ${str(x.no)}</div>` : ''}</div>`;
}

const TITLES: Record<string, string> = { order: 'Order', invoice: 'Invoice', credit: 'Credit invoice' };

export function documentPage(view: CustomerView, doc: RenderedDocument): string {
  const b = doc.body;
  const c = view.customer_no;
  const products = (b.products as Body[] | undefined) ?? [];
  const tax = (b.tax as Body[] | undefined) ?? [];
  const packages = (b.packages as Body[] | undefined) ?? [];
  const orders = (b.orders as Body[] | undefined) ?? [];
  const https = (u: unknown) => (typeof u === 'string' && /^https:\/\//i.test(u) ? u : undefined);
  const pdf = https(b.pdf_link);
  const facts: Array<[string, Html | string]> = [
    ['Date', str(b.date)],
    ...(b.due_date !== undefined ? ([['Due date', str(b.due_date)]] as Array<[string, string]>) : []),
    ...(b.payment_status !== undefined ? ([['Payment status', paymentBadge(b.payment_status)]] as Array<[string, Html | string]>) : []),
    ['Reference', str(b.reference)],
    ['PO number', str(b.po_number)],
    ['Currency', str(b.currency)],
    ...(orders.length ? ([['Orders', html`${orders.map((o, i) => html`${i ? ', ' : ''}<a href="${documentHref(c, 'orders', str(o.order_no))}">${str(o.order_no)}</a>`)}`]] as Array<[string, Html]>) : []),
    ['Source', html`<span class="mono">${doc.source.file}:${doc.source.line}</span>`],
  ];
  const body = html`
<p><a href="${customerHref(c)}">‹ customer ${c}</a></p>
<h1>${TITLES[doc.type] ?? doc.type} ${str(b.id)} ${stateBadge(view.state.get(doc.key))}</h1>
${view.invalid.get(doc.key) ? html`<p class="err">Not published: ${view.invalid.get(doc.key)!}</p>` : ''}
<div class="grid2">
<div class="card"><dl class="kv">${facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl></div>
${addressBlock('Customer', b.customer as Body)}
${addressBlock('Delivery', b.delivery as Body)}
</div>
${b.comment ? html`<h2>Comment</h2><div class="card"><pre>${str(b.comment)}</pre></div>` : ''}
<h2>Products</h2>
<div class="panel">${table(products, [
    { label: 'Article', cell: (p) => html`<span class="mono">${str(p.model)}</span>` },
    { label: 'Name', cell: (p) => str(p.name) },
    { label: 'Quantity', cell: (p) => str(p.quantity), numeric: true },
    { label: 'Price', cell: (p) => str(p.price), numeric: true },
    { label: 'Discount %', cell: (p) => str(p.discount), numeric: true },
    { label: 'VAT %', cell: (p) => str(p.vat_rate), numeric: true },
    { label: 'Row total', cell: (p) => str(p.row_total), numeric: true },
  ], 'No products.', { testid: 'products' })}
<table class="totals" data-testid="totals">
<tr><td>Net</td><td class="num">${str(b.net_total)}</td></tr>
<tr><td>Shipping</td><td class="num">${str(b.shipping_cost)}</td></tr>
${tax.map((t) => html`<tr><td>VAT ${str(t.rate)} % of ${str(t.base)}</td><td class="num">${str(t.vat)}</td></tr>`)}
<tr class="grand"><td>Total</td><td class="num">${str(b.total)}</td></tr>
</table></div>
${packages.length
    ? html`<h2>Packages</h2><div class="panel">${table(packages, [
        { label: 'Tracking id', cell: (p) => html`<span class="mono">${str(p.tracing_id)}</span>` },
        { label: 'Tracking', cell: (p) => (https(p.tracking_link) ? html`<a href="${https(p.tracking_link)!}" rel="noreferrer noopener">track</a>` : '') },
      ])}</div>`
    : ''}
<p><a href="${objectHref(doc.key)}">JSON as published</a>${pdf ? html` · <a href="${pdf}" rel="noreferrer noopener">PDF</a>` : ''} · <span class="muted mono">${doc.key}</span></p>`;
  return page({ title: `${TITLES[doc.type] ?? doc.type} ${str(b.id)}`, section: 'customers' }, body);
}

// ---------------------------------------------------------------------------------------------

/** Articles per page of the stock list (a B2B catalogue has thousands). */
export const STOCK_ROWS_PER_PAGE = 100;

export function stockListPage(d: { q: string; rows: StockRow[]; total: number; page: number; perPage: number }): string {
  const pages = Math.max(1, Math.ceil(d.total / d.perPage));
  const body = html`
<h1>Stock</h1>
<form method="get" action="/stock"><input type="search" name="q" value="${d.q}" placeholder="Article number" aria-label="Article number"> <button type="submit">Find</button></form>
<p class="muted">${d.q ? html`${d.total} article${d.total === 1 ? '' : 's'} match “${d.q}”` : html`${d.total} article${d.total === 1 ? '' : 's'} with stock`}; per article one <span class="mono">stock/{article}.json</span>, the same for every customer.</p>
<div class="panel">${table(d.rows, [
    { label: 'Article', cell: (r) => html`<a class="mono" href="${stockHref(r.article)}">${r.article}</a>` },
    { label: 'On hand', cell: (r) => str(r.body.on_hand), numeric: true },
    { label: 'Available', cell: (r) => str(r.body.available), numeric: true },
    { label: 'In stock', cell: (r) => (r.body.in_stock === true ? badge('yes', 'ok') : badge('no', 'bad')) },
    { label: 'Next incoming', cell: (r) => str(r.body.incoming_date) },
    { label: 'Quantity', cell: (r) => str(r.body.incoming_quantity), numeric: true },
    { label: 'Warehouses', cell: (r) => r.warehouses, numeric: true },
  ], d.q ? 'No article matches.' : 'No stock stored yet.', { testid: 'stock' })}
${pager(d.page, pages, (p) => href(['stock'], { q: d.q, page: p }))}</div>`;
  return page({ title: 'Stock', section: 'stock' }, body);
}

export function stockPage(v: StockView): string {
  const b = v.doc.body as Body;
  const warehouses = (b.warehouses as Body[] | undefined) ?? [];
  const body = html`
<p><a href="/stock">‹ stock</a></p>
<h1>Article <span class="mono">${v.article}</span> ${stateBadge(v.state)}</h1>
<div class="cards">
<div class="card"><div class="n">${str(b.on_hand)}</div><div class="l">on hand</div></div>
<div class="card"><div class="n">${str(b.available)}</div><div class="l">available</div></div>
<div class="card"><div class="n">${b.in_stock === true ? badge('in stock', 'ok') : badge('not in stock', 'bad')}</div><div class="l">for the shop</div></div>
<div class="card"><div class="n">${str(b.incoming_date) || '—'}</div><div class="l">next incoming${b.incoming_quantity !== null && b.incoming_quantity !== undefined ? html` · ${str(b.incoming_quantity)}` : ''}</div></div>
</div>
<h2>Per warehouse <span class="muted">(${warehouses.length})</span></h2>
<div class="panel">${table(warehouses, [
    { label: 'Warehouse', cell: (w) => html`<span class="mono">${str(w.warehouse)}</span>` },
    { label: 'On hand', cell: (w) => str(w.on_hand), numeric: true },
    { label: 'Available', cell: (w) => str(w.available), numeric: true },
    { label: 'Next incoming', cell: (w) => str(w.incoming_date) },
    { label: 'Quantity', cell: (w) => str(w.incoming_quantity), numeric: true },
  ], 'No warehouses.', { testid: 'warehouses' })}</div>
<p><a href="${objectHref(stockKey(v.article))}">JSON as published</a> · <span class="muted mono">${v.doc.key}</span> · <span class="muted">source <span class="mono">${v.doc.source.file}:${v.doc.source.line}</span></span></p>`;
  return page({ title: `Stock ${v.article}`, section: 'stock' }, body);
}

export function errorPage(title: string, what: string): string {
  return page({ title }, html`<h1>${title}</h1><p>${what}</p><p><a href="/">Overview</a></p>`);
}

export function notFoundPage(what: string): string {
  return page({ title: 'Not found' }, html`<h1>Not found</h1><p>${what}</p><p><a href="/">Overview</a></p>`);
}

/** Validates the list name from a URL. */
export function listFromUrl(s: string): ListKind | undefined {
  return s === 'orders' || s === 'invoices' || s === 'credit-invoices' ? s : undefined;
}
