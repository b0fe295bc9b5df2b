import type { Logger } from 'pino';
import type { Config, FeedConfig } from './config/types.ts';
import { createMapper } from './mapping/map.ts';
import type { MappedRecord } from './model.ts';
import { LocalTarget } from './publish/local.ts';
import type { RawRecord } from './readers/types.ts';
import { openStore, type Store } from './store/db.ts';
import { createValidator, type DocumentValidator } from './validate/schemas.ts';
import type { PublishContext } from './publish/cycle.ts';

/** Everything a command needs, opened once from the validated config. */
export interface App {
  cfg: Readonly<Config>;
  log: Logger;
  store: Store;
  target: LocalTarget;
  validate: DocumentValidator;
  mapperFor(feed: FeedConfig): (raw: RawRecord, file: string) => MappedRecord;
  publishContext(): PublishContext;
  close(): void;
}

export function openApp(cfg: Readonly<Config>, log: Logger): App {
  const store = openStore(cfg.state);
  const target = new LocalTarget(cfg.target, cfg.prefix);
  const validate = createValidator();
  const mappers = new Map<string, (raw: RawRecord, file: string) => MappedRecord>();
  return {
    cfg,
    log,
    store,
    target,
    validate,
    mapperFor(feed) {
      let m = mappers.get(feed.name);
      if (!m) mappers.set(feed.name, (m = createMapper(feed, { locale: cfg.locale, currency: cfg.currency, customerNoPattern: cfg.customerNoPattern })));
      return m;
    },
    publishContext() {
      return { store, target, validate, log, render: { locale: cfg.locale, pageSize: cfg.pageSize } };
    },
    close() {
      store.close();
    },
  };
}
