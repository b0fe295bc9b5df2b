/**
 * Country resolution: ISO 3166-1 alpha-2 (`SE`), alpha-3 (`SWE`), numeric (`752`) or a country
 * name in Swedish, English, Norwegian (bokmål/nynorsk), Danish, Finnish or German, matched
 * case-insensitively, trimmed, with runs of whitespace collapsed and diacritics optional
 * (`Österrike` and `Osterrike` both work). Names include the aliases i18n-iso-countries ships
 * (`UK`, `Great Britain`, `USA`, ...). A name that means different countries (English `Congo`) is
 * rejected as ambiguous.
 *
 * The returned `name` is the country in the output locale's language via Intl.DisplayNames
 * (`sv-SE` → `Sverige`, `Norge`, `Tyskland`; `en-GB` → `Sweden`).
 *
 * i18n-iso-countries is loaded through createRequire: its package main (`entry-node.js`) would
 * register all ~80 languages, and requiring the JSON files avoids import attributes, so this works
 * the same under tsx and compiled `tsc` output.
 */
import { createRequire } from 'node:module';
import type { LocaleData } from 'i18n-iso-countries';
import { ValueError } from './parse-error.ts';

const require = createRequire(import.meta.url);
const iso = require('i18n-iso-countries/index.js') as typeof import('i18n-iso-countries');

/** Languages whose country names are accepted on input. */
export const NAME_LANGUAGES = ['sv', 'en', 'nb', 'nn', 'no', 'da', 'fi', 'de'] as const;

export interface Country {
  /** Name in the output locale's language. */
  name: string;
  /** ISO 3166-1 alpha-3 code. */
  iso3: string;
}

const COUNTRY_HINT = 'use an ISO 3166-1 code ("SE", "SWE", "752") or a country name in Swedish or English ("Sverige", "Sweden")';

function normalize(text: string): string {
  return text.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

function stripDiacritics(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

/** Normalized name → alpha-2 codes it names (more than one = ambiguous). */
let nameIndex: Map<string, Set<string>> | undefined;

function names(): Map<string, Set<string>> {
  if (nameIndex) return nameIndex;
  const index = new Map<string, Set<string>>();
  for (const lang of NAME_LANGUAGES) {
    iso.registerLocale(require(`i18n-iso-countries/langs/${lang}.json`) as LocaleData);
    for (const [alpha2, list] of Object.entries(iso.getNames(lang, { select: 'all' }))) {
      for (const name of list) {
        const key = normalize(name);
        for (const k of new Set([key, stripDiacritics(key)])) {
          let set = index.get(k);
          if (!set) index.set(k, (set = new Set()));
          set.add(alpha2);
        }
      }
    }
  }
  nameIndex = index;
  return index;
}

function toAlpha2(text: string): string {
  const code = text.toUpperCase();
  if (/^[A-Z]{2}$/.test(code) && iso.isValid(code)) return code;
  if (/^[A-Z]{3}$/.test(code)) {
    const a2 = iso.alpha3ToAlpha2(code);
    if (a2) return a2;
  }
  if (/^\d{1,3}$/.test(code)) {
    const a2 = iso.numericToAlpha2(code.padStart(3, '0'));
    if (a2) return a2;
    throw new ValueError('country', `unknown ISO 3166-1 numeric country code ${code}`, COUNTRY_HINT);
  }
  const key = normalize(text);
  const hits = names().get(key) ?? names().get(stripDiacritics(key));
  if (!hits) throw new ValueError('country', 'unknown country', COUNTRY_HINT);
  if (hits.size > 1) {
    throw new ValueError('country', `ambiguous country name (could be ${[...hits].sort().join(', ')})`, 'use the ISO 3166-1 code instead, e.g. "CG" or "CD"');
  }
  return [...hits][0]!;
}

const displayNames = new Map<string, Intl.DisplayNames>();
const resolved = new Map<string, Country>();
const MAX_CACHE = 10_000;

/**
 * Resolves a country as written in an export to its ISO alpha-3 code and its name in `locale`.
 * @throws ValueError rule `country` when the text is empty, unknown or ambiguous.
 * @throws RangeError when `locale` is not a valid BCP 47 tag (a configuration error).
 */
export function resolveCountry(text: string, locale: string): Country {
  const cacheKey = `${locale}\u0000${text}`;
  const hit = resolved.get(cacheKey);
  if (hit) return hit;

  const trimmed = text.trim();
  if (trimmed === '') throw new ValueError('country', 'empty country', COUNTRY_HINT);
  const alpha2 = toAlpha2(trimmed);
  const iso3 = iso.alpha2ToAlpha3(alpha2);
  if (!iso3) throw new ValueError('country', `no alpha-3 code for ${alpha2}`, COUNTRY_HINT);

  let dn = displayNames.get(locale);
  if (!dn) {
    dn = new Intl.DisplayNames([locale], { type: 'region' });
    displayNames.set(locale, dn);
  }
  const country: Country = Object.freeze({ name: dn.of(alpha2) ?? alpha2, iso3 });
  if (resolved.size >= MAX_CACHE) resolved.clear();
  resolved.set(cacheKey, country);
  return country;
}
