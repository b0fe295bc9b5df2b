/**
 * Generates src/config/schema-types.ts from schemas/config.schema.json: the type of a config as the loader
 * hands it on, after ajv's `useDefaults`. `npm run config:types` writes the file; test/config/schema-types.test.ts
 * regenerates it and fails when the committed file differs, so the schema and the types cannot drift.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCHEMA_FILE = path.join(ROOT, 'schemas/config.schema.json');
export const TYPES_FILE = path.join(ROOT, 'src/config/schema-types.ts');

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; required?: string[] };

/** Names of the generated types, by JSON pointer into the schema (the names the code has always used). */
const NAMES: Record<string, string> = {
  '': 'SchemaConfig',
  '/properties/publish': 'PublishConfig',
  '/properties/s3': 'S3Config',
  '/properties/s3/properties/invalidation': 'InvalidationConfig',
  '/properties/folders': 'FoldersConfig',
  '/properties/inbox': 'InboxConfig',
  '/properties/ingest': 'IngestConfig',
  '/properties/serve': 'ServeConfig',
  '/properties/admin': 'AdminConfig',
  '/properties/admin/properties/tokens/items': 'TokenSource',
  '/properties/auth': 'AuthConfig',
  '/properties/auth/properties/tokens/items': 'TokenSource',
  '/properties/auth/properties/secrets/items': 'SecretSource',
  '/properties/pdfs/items': 'PdfConfig',
  '/properties/pdfLinks': 'PdfLinksConfig',
  '/properties/pdfLinks/properties/secrets/items': 'ExternalSecretSource',
  '/properties/carriers/additionalProperties': 'CarrierConfig',
  '/properties/runs/items': 'RunConfig',
  '/definitions/feed': 'FeedConfig',
  '/definitions/feed/properties/map': 'FeedMap',
  '/definitions/feed/properties/delete': 'ColumnValues',
  '/definitions/feed/properties/credit': 'ColumnValues',
};

/** The schema as the type generator should read it; the validator keeps reading the file as it is. */
export function loadedSchema(schema: Schema): Schema {
  const copy = structuredClone(schema);
  const seen = new Set<string>();
  walk(copy, '', (node, pointer) => {
    // ajv's useDefaults fills every property that has a default: after loading it is always there.
    if (node.properties) {
      const withDefault = Object.keys(node.properties).filter((k) => node.properties![k]!.default !== undefined);
      if (withDefault.length > 0) node.required = [...new Set([...(node.required ?? []), ...withDefault])];
    }
    // "Exactly one of these keys" ({value} | {env} | …) is a union, not one object with every key optional.
    if (node.minProperties === 1 && node.maxProperties === 1 && node.properties) {
      node.anyOf = Object.entries(node.properties).map(([k, v]) => ({ type: 'object', additionalProperties: false, required: [k], properties: { [k]: v } }));
      delete node.properties;
      delete node.required;
      delete node.type;
    }
    const name = NAMES[pointer];
    if (name) {
      // A name used twice is the same shape in two places: declare it once, refer to it by name after.
      if (seen.has(name)) {
        for (const k of Object.keys(node)) delete node[k];
        node.tsType = name;
      } else {
        node.title = name;
      }
      seen.add(name);
    }
    // Descriptions become the doc comments; keep them, but drop examples (they would only add noise).
    delete node.examples;
  });
  const missing = Object.keys(NAMES).filter((p) => !pointerExists(schema, p));
  if (missing.length > 0) throw new Error(`generate-types: no schema node at ${missing.join(', ')}`);
  return copy;
}

function walk(node: Schema, pointer: string, visit: (node: Schema, pointer: string) => void): void {
  // Children first: the union rewrite above moves properties, and names apply to the original pointers.
  for (const key of ['properties', 'definitions'] as const) {
    const map = node[key] as Record<string, Schema> | undefined;
    if (map) for (const [k, child] of Object.entries(map)) walk(child, `${pointer}/${key}/${k}`, visit);
  }
  for (const key of ['items', 'additionalProperties'] as const) {
    const child = node[key];
    if (child && typeof child === 'object' && !Array.isArray(child)) walk(child as Schema, `${pointer}/${key}`, visit);
  }
  visit(node, pointer);
}

function pointerExists(schema: Schema, pointer: string): boolean {
  let node: unknown = schema;
  for (const part of pointer.split('/').slice(1)) node = (node as Record<string, unknown> | undefined)?.[part];
  return node !== undefined;
}

export async function generateSchemaTypes(): Promise<string> {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Schema;
  return compile(loadedSchema(schema) as JSONSchema, 'SchemaConfig', {
    bannerComment: '/* Generated from schemas/config.schema.json by `npm run config:types`; do not edit. */',
    additionalProperties: false,
    ignoreMinAndMaxItems: true,
    unknownAny: true,
    // No `| undefined` on index signatures: tsconfig's noUncheckedIndexedAccess adds it where it matters.
    style: { singleQuote: true, printWidth: 120 },
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(TYPES_FILE, await generateSchemaTypes());
  console.log(`wrote ${path.relative(ROOT, TYPES_FILE)}`);
}
