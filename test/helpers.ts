import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../src/config/load.ts';
import type { Config } from '../src/config/types.ts';
import { createLogger } from '../src/ops/log.ts';
import { openApp, type App } from '../src/app.ts';
import { LocalTarget } from '../src/publish/targets/local.ts';

export function tmpDir(tag = 'vp'): string {
  return mkdtempSync(path.join(os.tmpdir(), `${tag}-`));
}

export const silent = () => createLogger({ level: 'silent', pretty: false });

/** A config rooted in a fresh temp folder; `yaml` is the feeds part (and any overrides). */
export function configIn(dir: string, yaml: string): Readonly<Config> {
  const file = path.join(dir, 'vendre-pull.yaml');
  writeFileSync(file, yaml);
  return parseConfig(yaml, file);
}

/** An app whose target is the local directory (the default), for tests that read the published files. */
export type LocalApp = App & { target: LocalTarget };

export function localApp(app: App): LocalApp {
  if (!(app.target instanceof LocalTarget)) throw new Error(`expected a local target, got ${app.target.description}`);
  return app as LocalApp;
}

export function appIn(dir: string, yaml: string): LocalApp {
  return localApp(openApp(configIn(dir, yaml), silent()));
}

export function writeBytes(dir: string, name: string, content: string | Buffer): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** A small flat order feed in the Swedish dialect (UTF-8 here; encodings are the readers' tests). */
export const FLAT_ORDERS_FEED = `
  - name: orders
    pattern: "orders*.csv"
    kind: orders
    format: csv
    delimiter: ";"
    dateFormat: YYYYMMDD
    numberFormat: comma
    mode: delta
    delete: { column: Status, values: [Makulerad] }
    map:
      id: Ordernr
      customer_no: Kundnr
      date: Datum
      reference: Ref
      customer.company: Namn
      customer.country: Land
      shipping_cost: Frakt
      line.model: Art
      line.name: Text
      line.quantity: Antal
      line.price: Pris
      line.discount: Rabatt
      line.vat_rate: Moms
`;

export const FLAT_HEADER = 'Ordernr;Kundnr;Datum;Ref;Namn;Land;Frakt;Art;Text;Antal;Pris;Rabatt;Moms;Status';

export function flatRow(o: { id: string; c: string; date: string; art?: string; qty?: string; price?: string; vat?: string; status?: string; frakt?: string; land?: string }): string {
  return [o.id, o.c, o.date, 'Ref ' + o.id, `Kund ${o.c} AB`, o.land ?? 'Sverige', o.frakt ?? '', o.art ?? 'A1', 'Artikel', o.qty ?? '2', o.price ?? '100,00', '', o.vat ?? '25', o.status ?? 'Aktiv'].join(';');
}
