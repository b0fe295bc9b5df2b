import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { SCHEMA_DIR } from '../config/load.ts';
import type { DocumentType } from './documents.ts';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export type DocumentValidator = (type: DocumentType, body: unknown) => string | undefined;

/** Compiles the document schemas in `schemas/` once; returns a check that gives the first error or undefined. */
export function createValidator(dir = SCHEMA_DIR): DocumentValidator {
  // strictRequired off: documents compose shared definitions with allOf, where `required` names properties declared beside it.
  const ajv = new Ajv({ allErrors: false, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv);
  const load = (name: string) => JSON.parse(readFileSync(path.join(dir, `${name}.schema.json`), 'utf8'));
  ajv.addSchema(load('defs'));
  const compiled = new Map<DocumentType, ValidateFunction>();
  for (const type of ['order', 'invoice', 'credit', 'order-list', 'invoice-list', 'credit-list', 'backorders', 'addresses', 'stock', 'prices', 'pricing'] as const) compiled.set(type, ajv.compile(load(type)));
  return (type, body) => {
    const validate = compiled.get(type)!;
    if (validate(body)) return undefined;
    const e = validate.errors![0]!;
    return `${type} does not match schemas/${type}.schema.json: ${e.instancePath || '(root)'} ${e.message ?? ''}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`;
  };
}
