import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseConfig } from '../../src/config/load.ts';
import { FLAT_ORDERS_FEED } from '../helpers.ts';
import { generateSchemaTypes, loadedSchema, SCHEMA_FILE, TYPES_FILE } from './generate-types.ts';

type Schema = { properties?: Record<string, Schema>; default?: unknown; items?: Schema; $ref?: string; definitions?: Record<string, Schema> };

test('src/config/schema-types.ts is what the schema generates (run `npm run config:types` after editing the schema)', async () => {
  const committed = readFileSync(TYPES_FILE, 'utf8');
  assert.ok(committed === (await generateSchemaTypes()), 'src/config/schema-types.ts differs from what schemas/config.schema.json generates');
});

test('the loaded type requires what has a default, and an exactly-one-key object is a union', () => {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Schema & { required: string[] };
  assert.ok(!schema.required.includes('inbox'), 'the file itself leaves inbox optional');
  const loaded = loadedSchema(schema as Record<string, unknown>) as unknown as { required: string[]; properties: Record<string, { required?: string[]; properties?: Record<string, { items?: { anyOf?: unknown[] } }> }> };
  assert.ok(loaded.required.includes('inbox') && loaded.required.includes('feeds'));
  assert.ok(loaded.properties.inbox!.required!.includes('stableMs'));
  assert.ok(!loaded.properties.s3!.required!.includes('region'), 's3.region has no default and stays optional');
  assert.equal(loaded.properties.auth!.properties!.secrets!.items!.anyOf!.length, 2);
});

// The generated type says every defaulted property is present after loading; this checks that ajv does fill
// them all, nested objects and feed items included, on a config that sets none of them.
test('a minimal config has every property that has a default, at every level', () => {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Schema;
  const cfg = parseConfig(`feeds:${FLAT_ORDERS_FEED}`, '/etc/vp/vendre-pull.yaml') as unknown as Record<string, unknown>;
  const absent: string[] = [];
  const check = (node: Schema, value: unknown, at: string): void => {
    if (node.$ref) node = schema.definitions![node.$ref.split('/').pop()!]!;
    if (Array.isArray(value) && node.items) value.forEach((v, i) => check(node.items!, v, `${at}.${i}`));
    if (!node.properties || !value || typeof value !== 'object') return;
    for (const [k, child] of Object.entries(node.properties)) {
      const v = (value as Record<string, unknown>)[k];
      if (child.default !== undefined && v === undefined) absent.push(`${at}${k}`);
      check(child, v, `${at}${k}.`);
    }
  };
  check(schema, cfg, '');
  assert.deepEqual(absent, []);
  const feed = (cfg.feeds as Array<Record<string, unknown>>)[0]!;
  assert.equal(feed.creditSign, 'negative');
});
