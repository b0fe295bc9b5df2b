/**
 * Server-rendered HTML without a template engine: the `html` tag escapes every interpolated value
 * unless it is already `Html` (the result of another `html` call, or `raw()` for the few constants
 * that are markup). Everything that comes from files, the store or the URL goes through it, so
 * escaping is the default and not something a view has to remember.
 */

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`]/g, (c) => ESCAPES[c]!);
}

/** Markup that is trusted as is: only for constants written in this code. */
export function raw(markup: string): Html {
  return new Html(markup);
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(v);
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** A URL path from segments, each percent-encoded; query parameters likewise. */
export function href(segments: readonly string[], query: Record<string, string | number | undefined> = {}): string {
  const path = '/' + segments.map((s) => encodeURIComponent(s)).join('/');
  const q = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return q ? `${path}?${q}` : path;
}

export interface Column<T> {
  label: string;
  cell: (row: T) => Value;
  /** Right-aligned numbers and money. */
  numeric?: boolean;
}

export function table<T>(rows: readonly T[], columns: readonly Column<T>[], empty = 'Nothing here.', attrs: { testid?: string } = {}): Html {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`<table${attrs.testid ? raw(` data-testid="${escapeHtml(attrs.testid)}"`) : ''}>
<thead><tr>${columns.map((c) => html`<th${c.numeric ? raw(' class="num"') : ''}>${c.label}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${columns.map((c) => html`<td${c.numeric ? raw(' class="num"') : ''}>${c.cell(r)}</td>`)}</tr>`)}</tbody>
</table>`;
}

export function badge(text: string, tone: 'ok' | 'warn' | 'bad' | 'muted'): Html {
  return html`<span class="badge ${tone}">${text}</span>`;
}

const CSS = `
:root{--fg:#1d2330;--muted:#667085;--line:#e4e7ec;--bg:#f6f7f9;--card:#fff;--accent:#1f5fbf;--ok:#137333;--warn:#9a6700;--bad:#b42318}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#16202e;color:#fff;padding:10px 24px;display:flex;gap:24px;align-items:center;flex-wrap:wrap}
header .brand{font-weight:700;letter-spacing:.2px}
header nav a{color:#cfd8e3;text-decoration:none;margin-right:16px}
header nav a:hover,header nav a.active{color:#fff}
header form{margin-left:auto}
main{max-width:1180px;margin:0 auto;padding:20px 24px 48px}
h1{font-size:22px;margin:8px 0 16px}
h2{font-size:16px;margin:28px 0 10px}
a{color:var(--accent)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card .n{font-size:22px;font-weight:650}
.card .n a{color:inherit;text-decoration:none}.card .n a:hover{text-decoration:underline}
.card .n.err{color:var(--bad)}
.card .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.4px}
.panel{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:4px 0;overflow-x:auto}
table{border-collapse:collapse;width:100%;background:var(--card)}
th,td{text-align:left;padding:7px 12px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.3px;background:#fafbfc}
tr:last-child td{border-bottom:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.empty{color:var(--muted);padding:8px 12px;margin:0}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}
.badge.ok{background:#e6f4ea;color:var(--ok)}.badge.warn{background:#fff4d6;color:var(--warn)}.badge.bad{background:#fde7e6;color:var(--bad)}.badge.muted{background:#eef0f3;color:var(--muted)}
.muted{color:var(--muted)}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.err{color:var(--bad)}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:12px}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0}
.kv dt{color:var(--muted)}.kv dd{margin:0}
.totals{margin-left:auto;max-width:360px}
.totals td{border:0;padding:3px 12px}
.totals tr.grand td{font-weight:700;border-top:2px solid var(--fg)}
input[type=search],input[type=text]{padding:6px 10px;border:1px solid #c9ced6;border-radius:6px;font:inherit;min-width:220px}
button{padding:6px 14px;border:0;border-radius:6px;background:var(--accent);color:#fff;font:inherit;cursor:pointer}
.pager{margin:8px 12px;display:flex;gap:10px;align-items:center}
pre{white-space:pre-wrap;word-break:break-word;margin:0}
td .err,td .mono,.err{overflow-wrap:anywhere;word-break:break-word}
td{max-width:640px}
.fresh{margin:0 0 6px}
.tabs{display:flex;gap:16px;margin:16px 0 0}
`;

export interface Layout {
  title: string;
  /** Which nav entry is current. */
  section?: 'overview' | 'customers' | 'stock' | 'quarantine' | 'outbox' | 'files';
}

export function page(layout: Layout, body: Html): string {
  const nav: Array<[Layout['section'], string, string]> = [
    ['overview', '/', 'Overview'],
    ['customers', '/customers', 'Customers'],
    ['stock', '/stock', 'Stock'],
    ['files', '/files', 'Files'],
    ['quarantine', '/quarantine', 'Quarantine'],
    ['outbox', '/outbox', 'Outbox'],
  ];
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${layout.title} · vendre-pull admin</title>
<style>${raw(CSS)}</style></head>
<body><header><span class="brand">vendre-pull admin</span>
<nav>${nav.map(([s, url, label]) => html`<a href="${url}"${s === layout.section ? raw(' class="active"') : ''}>${label}</a>`)}</nav>
<form method="get" action="/customers" role="search"><input type="search" name="q" placeholder="Customer number or name" aria-label="Customer lookup"> <button type="submit">Look up</button></form>
</header>
<main>${body}</main></body></html>
`.value;
}
