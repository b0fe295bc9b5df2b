/**
 * What a CloudFront Functions runtime 2.0 script may contain, checked on the parsed source (acorn):
 * ES5 plus const/let, async/await (top-level async functions only, no closures inside them), arrow
 * functions, template literals, rest parameters and `**`; the only modules are `crypto` and
 * `cloudfront`; no timers, no network, no Node globals, no RegExp features past ES5.
 */
import { parse, type Node } from 'acorn';

const FORBIDDEN_NODES = new Set([
  'ForOfStatement', 'ClassDeclaration', 'ClassExpression', 'SpreadElement', 'ObjectPattern', 'ArrayPattern', 'AssignmentPattern',
  'TaggedTemplateExpression', 'YieldExpression', 'MetaProperty', 'ImportExpression', 'ExportNamedDeclaration', 'ExportDefaultDeclaration',
  'ExportAllDeclaration', 'WithStatement', 'ChainExpression', 'Super',
]);

const FORBIDDEN_GLOBALS = new Set([
  'require', 'module', 'exports', 'process', 'Buffer', 'global', 'globalThis', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout',
  'clearInterval', 'queueMicrotask', 'fetch', 'XMLHttpRequest', 'WebSocket', 'TextDecoder', 'TextEncoder', 'URL', 'URLSearchParams', 'eval',
  'Function', 'Symbol', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'Proxy', 'Reflect', 'Intl', 'structuredClone', 'atob', 'btoa', 'RegExp',
  'SharedArrayBuffer', 'Atomics', 'BigInt', 'importScripts', 'self', 'window',
]);

type AnyNode = Node & Record<string, unknown>;

export function runtimeViolations(code: string): string[] {
  const problems: string[] = [];
  let ast: AnyNode;
  try {
    // ES2017: async/await yes; object spread, optional chaining, `??`, class fields and the like do not parse.
    ast = parse(code, { ecmaVersion: 2017, sourceType: 'module', locations: true }) as unknown as AnyNode;
  } catch (err) {
    return [`does not parse as ES2017: ${(err as Error).message}`];
  }
  const at = (n: AnyNode) => `line ${(n.loc as { start: { line: number } } | undefined)?.start.line}`;
  const body = ast.body as AnyNode[];
  let seenOther = false;
  for (const stmt of body) {
    if (stmt.type === 'ImportDeclaration') {
      const source = (stmt.source as { value: string }).value;
      const specs = stmt.specifiers as AnyNode[];
      if (seenOther) problems.push(`${at(stmt)}: import after other statements`);
      if (source !== 'crypto' && source !== 'cloudfront') problems.push(`${at(stmt)}: import of "${source}" (only crypto and cloudfront exist)`);
      if (specs.length !== 1 || specs[0]!.type !== 'ImportDefaultSpecifier') problems.push(`${at(stmt)}: only \`import name from "${source}"\``);
    } else {
      seenOther = true;
    }
  }
  const handler = body.find((s) => s.type === 'FunctionDeclaration' && (s.id as { name: string }).name === 'handler');
  if (!handler) problems.push('no top-level function declaration named handler');
  else if ((handler.params as unknown[]).length !== 1) problems.push('handler takes one parameter (event)');

  const visit = (node: AnyNode, ctx: { async: boolean; depth: number }, parent: AnyNode | undefined, key: string) => {
    if (FORBIDDEN_NODES.has(node.type)) problems.push(`${at(node)}: ${node.type} is not in the runtime`);
    if (node.type === 'RestElement' && !(key === 'params')) problems.push(`${at(node)}: rest element outside parameters`);
    if (node.type === 'Property' && (node.method || node.shorthand || node.computed || node.kind !== 'init')) problems.push(`${at(node)}: object literal extension (method, shorthand, computed or accessor)`);
    if ((node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') && node.generator) problems.push(`${at(node)}: generator`);
    if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') {
      if (ctx.async) problems.push(`${at(node)}: a function inside an async function (async closures are not supported)`);
      if (node.async && !(node.type === 'FunctionDeclaration' && ctx.depth === 0)) problems.push(`${at(node)}: async function that is not a top-level declaration`);
      if ((node.params as AnyNode[]).some((p) => p.type !== 'Identifier' && p.type !== 'RestElement')) problems.push(`${at(node)}: parameter pattern or default`);
    }
    if (node.type === 'AwaitExpression' && !ctx.async) problems.push(`${at(node)}: await outside an async function`);
    if (node.type === 'Identifier' && ctx.async && node.name === 'arguments') problems.push(`${at(node)}: arguments inside an async function`);
    if (node.type === 'Identifier' && FORBIDDEN_GLOBALS.has(node.name as string) && isReference(parent, key)) problems.push(`${at(node)}: ${node.name as string} is not available`);
    if (node.type === 'Literal' && node.regex) {
      const { pattern, flags } = node.regex as { pattern: string; flags: string };
      if (/[^gim]/.test(flags)) problems.push(`${at(node)}: RegExp flag ${flags}`);
      if (/\(\?<|\\p\{|\\k</.test(pattern)) problems.push(`${at(node)}: RegExp named group, lookbehind or property escape`);
    }
    const fn = node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
    const inner = fn ? { async: Boolean(node.async), depth: ctx.depth + 1 } : ctx;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'loc' || k === 'regex') continue;
      if (Array.isArray(v)) for (const child of v) isNode(child) && visit(child, inner, node, k);
      else if (isNode(v)) visit(v, inner, node, k);
    }
  };
  for (const stmt of body) visit(stmt, { async: false, depth: 0 }, ast, 'body');
  return problems;
}

function isNode(v: unknown): v is AnyNode {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

/** An identifier that names a variable, not a property (`a.fetch`, `{ fetch: 1 }`) or a declaration of a local. */
function isReference(parent: AnyNode | undefined, key: string): boolean {
  if (!parent) return true;
  if (parent.type === 'MemberExpression' && key === 'property' && !parent.computed) return false;
  if (parent.type === 'Property' && key === 'key' && !parent.computed) return false;
  return true;
}
