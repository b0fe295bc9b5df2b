import type { Logger } from 'pino';
import type { Config, FeedConfig } from './config/types.ts';
import { createMapper } from './mapping/map.ts';
import type { MappedRecord } from './model.ts';
import { feedFor } from './inbox/names.ts';
import { openTarget, type TargetDeps } from './publish/targets/open.ts';
import type { Target } from './publish/targets/target.ts';
import type { RawRecord } from './readers/types.ts';
import type { Store } from './store/db.ts';
import { openCheckedStore } from './store/check.ts';
import { createValidator, type DocumentValidator } from './render/validate.ts';
import type { PublishContext } from './publish/cycle.ts';
import type { RenderOptions } from './render/documents.ts';
import { carrierTable } from './render/carriers.ts';
import { resolvePdfLinkSecrets } from './config/secrets.ts';
import { pdfLinkSigner } from './layout/node-crypto.ts';

/** Everything a command needs, opened once from the validated config. */
export interface App {
  cfg: Readonly<Config>;
  log: Logger;
  store: Store;
  /** The configured target: a LocalTarget (default) or an S3Target. */
  target: Target;
  validate: DocumentValidator;
  mapperFor(feed: FeedConfig): (raw: RawRecord, file: string) => MappedRecord;
  publishContext(): PublishContext;
  close(): void;
}

export function openApp(cfg: Readonly<Config>, log: Logger, deps: TargetDeps = {}, access: { write?: boolean } = {}): App {
  // Read now (a ConfigError, exit 2, when unset): rendering without the signing secret would publish unusable pdf_links.
  const pdfSigningSecret = resolvePdfLinkSecrets(cfg)[0];
  // Damaged, emptied or unwritable state files are refused here with a message (exit 2), not a stack.
  const store = openCheckedStore(cfg.state, { write: access.write ?? false });
  let target: Target;
  try {
    target = openTarget(cfg, log, deps);
  } catch (err) {
    store.close();
    throw err;
  }
  const validate = createValidator();
  const mappers = new Map<string, (raw: RawRecord, file: string) => MappedRecord>();
  const render: RenderOptions = {
    locale: cfg.locale,
    pageSize: cfg.pageSize,
    shippingVatRate: cfg.shippingVatRate,
    carriers: carrierTable(cfg.carriers),
    publicBaseUrl: cfg.publicBaseUrl,
    prefix: cfg.prefix,
    ...(pdfSigningSecret === undefined ? {} : { signPdfPath: pdfLinkSigner(pdfSigningSecret) }),
  };
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
      return { store, target, validate, log, render, feedOf: (file: string) => feedFor(file, cfg.feeds)?.name };
    },
    close() {
      store.close();
      (target as { destroy?: () => void }).destroy?.();
    },
  };
}
