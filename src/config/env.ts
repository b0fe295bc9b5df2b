/**
 * `${NAME}` and `${NAME:-default}` in config string values, expanded before validation; `$$` is a literal `$`.
 * Works on the parsed YAML document, so a problem names the key and the line where the reference stands.
 */
import { isMap, isScalar, isSeq, Scalar, type Document, type LineCounter, type Node } from 'yaml';
import { ConfigError } from '../errors.ts';

// `$$`, or `${` up to the next `}` (checked below), or `$` followed by anything else (left as it is).
const REFERENCE = /\$\$|\$\{([^}]*)\}?/g;
const NAME_AND_DEFAULT = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

export interface ExpandProblem {
  /** What is wrong, in words that follow the key, e.g. "uses ${X}, which is not set". */
  detail: string;
}

/** Expands one string; returns the problem instead of throwing so the caller can name the key and line. */
export function expandEnv(value: string, env: NodeJS.ProcessEnv): string | ExpandProblem {
  let problem: ExpandProblem | undefined;
  const out = value.replace(REFERENCE, (whole: string, inner: string | undefined) => {
    if (whole === '$$') return '$';
    if (problem) return whole;
    if (!whole.endsWith('}')) {
      problem = { detail: `has \`\${\` without a closing \`}\` (write $$ for a literal $)` };
      return whole;
    }
    const m = NAME_AND_DEFAULT.exec(inner ?? '');
    if (!m) {
      problem = { detail: `has \`${whole}\`, which is not a variable reference: \${NAME} or \${NAME:-default}, NAME of letters, digits and _ (write $$ for a literal $)` };
      return whole;
    }
    const [, name, fallback] = m;
    const set = env[name!];
    // As in the shell, `:-` also covers a variable that is set but empty.
    if (set !== undefined && (set !== '' || fallback === undefined)) return set;
    if (fallback !== undefined) return fallback;
    problem = { detail: `uses \${${name}}, which is not set in the environment (set it, give a default with \${${name}:-value}, or write $$ for a literal $)` };
    return whole;
  });
  return problem ?? out;
}

/**
 * Expands every string scalar of the document in place (keys are not expanded). A plain (unquoted) value whose
 * expansion is a number or a boolean becomes one, as if the text had been written there (`port: ${PORT}`);
 * a quoted value stays a string.
 */
export function expandDocument(doc: Document, lc: LineCounter, file: string, env: NodeJS.ProcessEnv): void {
  const visit = (node: Node | null | undefined, segments: Array<string | number>): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        visit(pair.value as Node | null, [...segments, String(key)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item as Node | null, [...segments, i]));
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
      const result = expandEnv(node.value, env);
      if (typeof result !== 'string') {
        const key = segments.join('.');
        const line = node.range ? lc.linePos(node.range[0]).line : undefined;
        throw new ConfigError(`${file}${line ? `:${line}` : ''}: \`${key || '(root)'}\` ${result.detail}`, key, line, 'config-env');
      }
      node.value = node.type === Scalar.PLAIN ? plainValue(result) : result;
    }
  };
  visit(doc.contents as Node | null, []);
}

function plainValue(text: string): string | number | boolean {
  if (/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}
