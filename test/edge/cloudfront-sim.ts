/**
 * A stand-in for the CloudFront Functions runtime 2.0, for tests: the emitted script runs in a
 * node:vm context with shims for the two modules the runtime provides (`crypto` with createHash and
 * createHmac; `cloudfront` with a KeyValueStore whose get() rejects for a missing key) and a realm
 * stripped of built-ins newer than ES5 (plus Promise), so code that leans on them fails here.
 */
import { createHash, createHmac } from 'node:crypto';
import vm from 'node:vm';
import { parse, type Node } from 'acorn';
import { parseQueryString } from '../../src/edge/query.ts';
import type { KvsEntry } from '../../src/edge/kvs.ts';

/** Removed from the vm's realm before the function loads. */
const PRELUDE = `
  'use strict';
  (function () {
    var drop = {
      String: ['raw', 'fromCodePoint'],
      'String.prototype': ['padStart', 'padEnd', 'startsWith', 'endsWith', 'includes', 'repeat', 'codePointAt', 'normalize', 'at', 'replaceAll', 'trimStart', 'trimEnd', 'matchAll'],
      Array: ['from', 'of'],
      'Array.prototype': ['includes', 'find', 'findIndex', 'findLast', 'findLastIndex', 'fill', 'copyWithin', 'flat', 'flatMap', 'at', 'entries', 'keys', 'values'],
      Object: ['assign', 'entries', 'values', 'fromEntries', 'is', 'setPrototypeOf', 'getOwnPropertySymbols', 'getOwnPropertyDescriptors'],
      Number: ['isInteger', 'isSafeInteger', 'isFinite', 'isNaN', 'parseFloat', 'parseInt'],
      Math: ['trunc', 'sign', 'cbrt', 'hypot', 'log2', 'log10', 'imul', 'clz32', 'fround', 'expm1', 'log1p'],
      globalThis: ['Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'Symbol', 'Proxy', 'Reflect', 'Intl', 'SharedArrayBuffer', 'Atomics', 'BigInt', 'eval', 'WebAssembly']
    };
    for (var where in drop) {
      var target = where === 'globalThis' ? globalThis : where.split('.').reduce(function (o, k) { return o[k]; }, globalThis);
      drop[where].forEach(function (name) { delete target[name]; });
    }
  })();
`;

export interface CfHeaders {
  [name: string]: { value: string; multiValue?: Array<{ value: string }> };
}

export interface CfEvent {
  version: '1.0';
  context: { eventType: 'viewer-request'; distributionId: string; requestId: string };
  viewer: { ip: string };
  request: { method: string; uri: string; querystring: CfHeaders; headers: CfHeaders; cookies: CfHeaders };
}

/** A CloudFront viewer-request event for a request spelled as on the wire. */
export function cfEvent(method: string, path: string, query: string, headers: Record<string, string>): CfEvent {
  // No prototype: a parameter named __proto__ is an own entry here (and must not touch this realm's Object.prototype).
  const querystring: CfHeaders = Object.create(null) as CfHeaders;
  for (const p of parseQueryString(query)) {
    const q = Object.prototype.hasOwnProperty.call(querystring, p.name) ? querystring[p.name] : undefined;
    if (!q) querystring[p.name] = { value: p.value };
    else (q.multiValue ??= [{ value: q.value }]).push({ value: p.value });
  }
  const hs: CfHeaders = { host: { value: 'd111111abcdef8.cloudfront.net' } };
  for (const [k, v] of Object.entries(headers)) {
    if (k === 'cookie') continue; // cookies are not headers in the event
    hs[k.toLowerCase()] = { value: v };
  }
  return {
    version: '1.0',
    context: { eventType: 'viewer-request', distributionId: 'EDFDVBD6EXAMPLE', requestId: 'test' },
    viewer: { ip: '198.51.100.11' },
    request: { method, uri: path, querystring, headers: hs, cookies: {} },
  };
}

export interface LoadedFunction {
  /** Calls the handler with Date.now() fixed at `now`, as the runtime fixes it per invocation; returns plain JSON. */
  run(event: CfEvent, now: number): Promise<Record<string, unknown>>;
  /** Every KeyValueStore key the function asked for, in order. */
  kvsReads: string[];
  /** The origin id the last run selected (selectRequestOriginById), or undefined: the behaviour's own. */
  origin: string | undefined;
}

type AnyNode = Node & { source?: { value: string }; specifiers?: Array<{ local: { name: string } }> };

/**
 * How the event reaches the function's realm: `literal` evaluates it as an object literal (a
 * `__proto__` key then sets the prototype), `parse` with JSON.parse (an own `__proto__` property).
 * Which one the real runtime does is not documented; the function must decide the same either way.
 */
export type EventBuild = 'literal' | 'parse';

export function loadFunction(code: string, entries: KvsEntry[], build: EventBuild = 'literal'): LoadedFunction {
  const store = new Map(entries.map((e) => [e.key, e.value]));
  const kvsReads: string[] = [];
  const context = vm.createContext({});
  vm.runInContext(PRELUDE, context);
  const CtxPromise = vm.runInContext('Promise', context) as PromiseConstructor;
  const cryptoShim = {
    createHash(alg: string) {
      const h = createHash(alg);
      const o = { update: (d: string) => (h.update(d, 'utf8'), o), digest: (enc?: string) => (enc === 'hex' ? h.digest('hex') : h.digest()) };
      return o;
    },
    createHmac(alg: string, key: string) {
      const h = createHmac(alg, key);
      const o = { update: (d: string) => (h.update(d, 'utf8'), o), digest: (enc?: string) => (enc === 'hex' ? h.digest('hex') : h.digest()) };
      return o;
    },
  };
  const selected: { origin: string | undefined } = { origin: undefined };
  const cloudfrontShim = {
    selectRequestOriginById(id: string) {
      if (typeof id !== 'string' || id === '') throw new Error('selectRequestOriginById needs an origin id');
      selected.origin = id;
    },
    kvs(id?: string) {
      if (id !== undefined) throw new Error('this shim has one store; call kvs() without an id');
      return {
        get(key: string) {
          kvsReads.push(key);
          if (Buffer.byteLength(key) > 512) return CtxPromise.reject(new Error('KVS key over 512 bytes'));
          return store.has(key) ? CtxPromise.resolve(store.get(key)!) : CtxPromise.reject(new Error(`KeyNotFound: ${key}`));
        },
        exists(key: string) {
          return CtxPromise.resolve(store.has(key));
        },
      };
    },
  };
  // The runtime resolves the two imports itself; vm scripts have no imports, so they become variables.
  const ast = parse(code, { ecmaVersion: 2017, sourceType: 'module' }) as unknown as { body: AnyNode[] };
  let script = code;
  for (const stmt of [...ast.body].reverse()) {
    if (stmt.type !== 'ImportDeclaration') continue;
    const name = stmt.specifiers![0]!.local.name;
    const shim = stmt.source!.value === 'crypto' ? '__vp_crypto' : '__vp_cloudfront';
    script = `${script.slice(0, stmt.start)}var ${name} = ${shim};${script.slice(stmt.end)}`;
  }
  Object.assign(context, { __vp_crypto: cryptoShim, __vp_cloudfront: cloudfrontShim, __vp_now: 0 });
  vm.runInContext(`Date.now = function () { return __vp_now; };`, context);
  vm.runInContext(script, context, { filename: 'viewer-request.js' });
  const handler = (context as { handler?: (e: unknown) => Promise<unknown> }).handler;
  if (typeof handler !== 'function') throw new Error('the script defines no global handler');
  return {
    kvsReads,
    get origin() {
      return selected.origin;
    },
    async run(event, now) {
      selected.origin = undefined;
      (context as { __vp_now: number }).__vp_now = now;
      // The event crosses into the function's realm as JSON, the way the runtime builds it.
      const json = JSON.stringify(event);
      const ctxEvent = vm.runInContext(build === 'literal' ? `(${json})` : `JSON.parse(${JSON.stringify(json)})`, context);
      const out = await handler(ctxEvent);
      return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
    },
  };
}
