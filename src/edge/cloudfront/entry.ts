/**
 * The CloudFront viewer-request function (runtime cloudfront-js-2.0), bundled by ../bundle.ts into
 * one file. It does three things around the shared decision (../decide.ts): read the credentials it
 * needs from the KeyValueStore, call `decide`, and turn the decision into the request to forward
 * (URI rewritten to the object key, query (a PDF link's sig too) and credentials dropped) or a generated JSON response.
 *
 * Runtime limits shape this file: ES5 syntax plus const/let/async/await, no closures inside the async
 * handler, no timers or network, `crypto` without timingSafeEqual, KVS `get()` throws for a missing key.
 */
import crypto from 'crypto';
import cf from 'cloudfront';
import { bearerToken } from '../auth.ts';
import { PDF_LINK_PARAM, type EdgeCrypto } from '../../layout/pdf-link.ts';
import { decide, REPEATED, SIGNATURE_HEADER, TIMESTAMP_HEADER, type EdgeDecision, type EdgeSettings } from '../decide.ts';
import { pairsFromCloudFront } from '../query.ts';
import { COMPUTE_ORIGIN_ID, KVS_HMAC_PREFIX, KVS_HMAC_SLOTS, KVS_PDF_PREFIX, KVS_TOKEN_PREFIX } from './kvs-keys.ts';

/** Replaced at bundle time with the settings from the config (prefix, header, modes, window). */
declare const VP_EDGE_SETTINGS: EdgeSettings;

interface CfValue {
  value: string;
  multiValue?: Array<{ value: string }>;
}
interface CfRequest {
  method: string;
  uri: string;
  querystring: Record<string, CfValue>;
  headers: Record<string, CfValue>;
}
interface CfResponse {
  statusCode: number;
  statusDescription: string;
  headers: Record<string, { value: string }>;
  body: { encoding: 'text'; data: string };
}

const settings: EdgeSettings = VP_EDGE_SETTINGS;
const store = cf.kvs();
const STATUS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed' };

function sha256Hex(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex');
}

function hmacSha256Hex(secret: string, value: string): string {
  return crypto.createHmac('sha256', secret).update(value).digest('hex');
}

const edgeCrypto: EdgeCrypto = { sha256Hex: sha256Hex, hmacSha256Hex: hmacSha256Hex };

export async function handler(event: { request: CfRequest }): Promise<CfRequest | CfResponse> {
  const request = event.request;
  const headers: Record<string, string | undefined> = {};
  for (const name in request.headers) {
    const h = request.headers[name]!;
    // One rule for repeated headers, as in serve (see REPEATED).
    headers[name] = h.multiValue && h.multiValue.length > 1 ? REPEATED : h.value;
  }
  const tokenHashes: string[] = [];
  const hmacSecrets: string[] = [];
  const pdfSecrets: string[] = [];
  const token = settings.bearer ? bearerToken(headers[settings.header]) : undefined;
  if (token !== undefined) {
    try {
      tokenHashes.push(await store.get(KVS_TOKEN_PREFIX + sha256Hex(token)));
    } catch (e) {
      // No such entry (or the store is unreadable): the token is refused.
    }
  }
  if (settings.signed && headers[SIGNATURE_HEADER] !== undefined) await slots(KVS_HMAC_PREFIX, hmacSecrets);
  if (request.querystring[PDF_LINK_PARAM]) await slots(KVS_PDF_PREFIX, pdfSecrets);
  const decision = decide(
    { method: request.method, path: request.uri, query: pairsFromCloudFront(request.querystring), headers: headers, now: Date.now() },
    settings,
    { tokenHashes: tokenHashes, hmacSecrets: hmacSecrets, pdfSecrets: pdfSecrets },
    edgeCrypto,
  );
  if (decision.action === 'respond') return respond(decision);
  if (decision.action === 'compute') {
    // The compute origin (a Lambda function URL behind OAC, see samples/aws): the list path stays, the
    // query is the known parameters, normalized, and so is the cache key.
    cf.selectRequestOriginById(COMPUTE_ORIGIN_ID);
    const qs: Record<string, CfValue> = {};
    for (let i = 0; i < decision.query.length; i++) qs[decision.query[i]!.name] = { value: decision.query[i]!.value };
    forward(request, decision.list);
    request.querystring = qs;
    return request;
  }
  return forward(request, decision.key);
}

/** The secrets in slots PREFIX0..2; an empty slot is skipped. */
async function slots(prefix: string, out: string[]): Promise<void> {
  for (let i = 0; i < KVS_HMAC_SLOTS; i++) {
    try {
      out.push(await store.get(prefix + i));
    } catch (e) {
      // An empty slot.
    }
  }
}

/** On to the cache and the origin: the object's URI (or the list's), without query or credentials. */
function forward(request: CfRequest, key: string): CfRequest {
  request.uri = '/' + settings.prefix + '/' + key;
  request.querystring = {};
  delete request.headers[settings.header];
  delete request.headers[SIGNATURE_HEADER];
  delete request.headers[TIMESTAMP_HEADER];
  return request;
}

function respond(decision: Extract<EdgeDecision, { action: 'respond' }>): CfResponse {
  const headers: Record<string, { value: string }> = {
    'content-type': { value: 'application/json; charset=utf-8' },
    'cache-control': { value: 'no-store' },
  };
  const extra = decision.headers || {};
  for (const name in extra) headers[name] = { value: extra[name]! };
  return { statusCode: decision.status, statusDescription: STATUS[decision.status] || 'Error', headers: headers, body: { encoding: 'text', data: JSON.stringify(decision.body) } };
}
