/**
 * Many articles' stock in one answer (`/{prefix}/stock?articles=A1,A2,…`: a category page asks for
 * all its articles at once), read from the published `stock/{article}.json` objects. The same code
 * runs in `serve` and in the Lambda function. Each article asked is answered, in the order asked:
 * an article without published stock is an item `{article, found: false}`, never a 404 for the list.
 *
 *   articles   required, given once: article numbers separated by `,` (each once; a repeat is
 *              answered once), 1 to MAX_ARTICLES of them, each 1 to 200 characters. An article
 *              whose number holds a comma is asked for alone at `/{prefix}/stock/{article}`.
 */
import { stockKey } from '../../layout/keys.ts';
import { percentDecode, type QueryPair } from '../query.ts';
import { MAX_ID_LENGTH } from '../route.ts';
import type { ComputeAnswer, ReadJson } from './contract.ts';

/** Most articles one call asks for (as `count`'s maximum for lists). */
export const MAX_ARTICLES = 200;

const bad = (message: string): ComputeAnswer => ({ status: 400, body: { error: 'bad_request', message } });

/** The articles asked for, in order, each once; or the 400 that says what is wrong. */
export function parseArticles(query: readonly QueryPair[]): string[] | ComputeAnswer {
  let raw: string | undefined;
  for (const q of query) {
    const name = percentDecode(q.name, true);
    const value = percentDecode(q.value, true);
    if (name === undefined || value === undefined) return bad('malformed query string');
    if (name !== 'articles') continue;
    if (raw !== undefined) return bad('`articles` is given more than once');
    raw = value;
  }
  if (raw === undefined || raw.trim() === '') return bad('`articles` is required');
  const articles: string[] = [];
  for (const part of raw.split(',')) {
    const a = part.trim();
    if (a === '') return bad('`articles` has an empty entry');
    if (a.length > MAX_ID_LENGTH) return bad('an article number is too long');
    if (!articles.includes(a)) articles.push(a);
  }
  if (articles.length > MAX_ARTICLES) return bad(`\`articles\` names more than ${MAX_ARTICLES} articles`);
  return articles;
}

export async function answerStock(query: readonly QueryPair[], read: ReadJson): Promise<ComputeAnswer> {
  const articles = parseArticles(query);
  if (!Array.isArray(articles)) return articles;
  const docs = (await Promise.all(articles.map((a) => read(stockKey(a))))) as Array<Record<string, unknown> | undefined>;
  let found = 0;
  const items = articles.map((article, i) => {
    const d = docs[i];
    if (!d || typeof d !== 'object') return { article, found: false };
    found++;
    // The published document's fields, less its envelope.
    const item: Record<string, unknown> = { article, found: true };
    for (const k of Object.keys(d)) if (k !== 'schema_version' && k !== 'type' && k !== 'article') item[k] = d[k];
    return item;
  });
  return { status: 200, body: { schema_version: 1, type: 'stock-list', total: articles.length, found, items } };
}
