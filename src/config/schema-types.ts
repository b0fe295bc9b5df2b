/* Generated from schemas/config.schema.json by `npm run config:types`; do not edit. */

export type TokenSource =
  | {
      value: string;
    }
  | {
      env: string;
    }
  | {
      sha256: string;
    };
export type SecretSource =
  | {
      /**
       * Printable ASCII, no spaces, 16 to 1000 characters.
       */
      value: string;
    }
  | {
      env: string;
    };
export type ExternalSecretSource =
  | {
      env: string;
    }
  | {
      /**
       * Path of a file holding the secret, relative to this config file.
       */
      file: string;
    };

/**
 * One YAML file. Relative paths are resolved against the folder of the config file.
 */
export interface SchemaConfig {
  /**
   * BCP 47 locale for money formatting and country names.
   */
  locale: string;
  /**
   * Currency of documents whose export names none.
   */
  currency: string;
  /**
   * IANA time zone of the shop, e.g. `Europe/Stockholm`: the day a price call without `date` is answered for (a price valid from 2026-01-01 applies from midnight there), on serve, the compute origin and the admin pages.
   */
  timeZone: string;
  pageSize: number;
  /**
   * VAT rate on shipping: `highest` (the highest rate among the document's lines, the main-goods rule) or a fixed rate in percent such as "25".
   */
  shippingVatRate: string;
  /**
   * Object key prefix, without slashes at either end.
   */
  prefix: string;
  /**
   * SQLite state file.
   */
  state: string;
  /**
   * Publish target: a local directory, or `s3://BUCKET` / `s3://BUCKET/PREFIX` for an S3 bucket (any S3-compatible store; settings in `s3`). Object keys are `{PREFIX}/{prefix}/customers/…`.
   */
  target: string;
  publish: PublishConfig;
  s3: S3Config;
  /**
   * Customer numbers must match; anything else is rejected (keys stay inside the customer's prefix).
   */
  customerNoPattern: string;
  folders: FoldersConfig;
  inbox: InboxConfig;
  ingest: IngestConfig;
  verify: {
    /**
     * `verify --repair` refuses (without --force) to delete more than this share of the objects on the target: a state that lost its manifest would otherwise empty the target.
     */
    maxDeleteShare: number;
  };
  serve: ServeConfig;
  admin: AdminConfig;
  auth: AuthConfig;
  /**
   * @minItems 1
   */
  feeds: FeedConfig[];
  /**
   * Export runs: the files one ERP export run writes (a header file, its line file, its shipments) applied as one unit, in one transaction, and published once. A file of a member feed whose name matches `key` belongs to the run its `{run}` part names; the run is applied once a file of every feed in `feeds` has arrived, or, after `waitMs` without the rest, quarantined whole (VP_E_RUN_INCOMPLETE). Files not in a run are applied one by one as before.
   */
  runs: RunConfig[];
  /**
   * Base URL of the CDN as Vendre reaches it (e.g. https://history.example.com); `pdf_link` is this + /{prefix}/{key}. Required when `pdfs` are configured.
   */
  publicBaseUrl?: string;
  /**
   * PDF files dropped in the drop folder, uploaded to the owning document's customer prefix; the document's `pdf_link` points at it.
   */
  pdfs: PdfConfig[];
  pdfLinks?: PdfLinksConfig;
  /**
   * Tracking link templates by carrier code, added to or overriding the built-in ones (postnord, dhl-freight, dhl-express, schenker, bring, dsv, ups, fedex). `{id}` is replaced by the URL-encoded tracking id.
   */
  carriers: {
    [k: string]: CarrierConfig;
  };
}
/**
 * How objects are written, for any target.
 */
export interface PublishConfig {
  /**
   * Writes in flight at once.
   */
  concurrency: number;
  /**
   * Cache-Control of each object, by kind (S3 stores it with the object; `serve` sends it). Lists change with every new document, so they get the shorter lifetime. Without `private`, CloudFront may cache them (its viewer-request function checks auth before the cache); any other shared cache must not store them because requests carry Authorization.
   */
  cacheControl: {
    /**
     * One order, invoice or PDF.
     */
    document: string;
    /**
     * List pages and the backorder list.
     */
    list: string;
  };
}
/**
 * Settings of an `s3://` target. Credentials come from the AWS SDK's default chain (environment, shared config/profile, container or instance role), never from this file.
 */
export interface S3Config {
  /**
   * Region of the bucket, e.g. eu-north-1. Required for an s3:// target (any value the store accepts for S3-compatible stores, e.g. us-east-1 or auto).
   */
  region?: string;
  /**
   * Endpoint URL of an S3-compatible store (MinIO, Cloudflare R2, Wasabi, ...). Leave out for AWS.
   */
  endpoint?: string;
  /**
   * Address the bucket as ENDPOINT/BUCKET instead of BUCKET.ENDPOINT (MinIO and most self-hosted stores need true).
   */
  forcePathStyle: boolean;
  /**
   * `default`: the SDK sends and checks CRC32 checksums where S3 supports them. `when-required`: only where an operation requires one (requestChecksumCalculation/responseChecksumValidation WHEN_REQUIRED), for stores that reject the newer checksum headers. Every PUT also carries Content-MD5, which all stores check.
   */
  checksums: 'default' | 'when-required';
  /**
   * Store JSON gzip-compressed with Content-Encoding: gzip (CloudFront passes it to clients that accept gzip; others must decompress). The manifest's sha256 is of the uncompressed bytes.
   */
  gzip: boolean;
  /**
   * Attempts per request (the SDK's standard retry mode: exponential backoff with full jitter on 5xx, SlowDown/throttling, timeouts and connection resets). An object still failing stays in the outbox for the next cycle.
   */
  maxAttempts: number;
  /**
   * Time to establish a connection before the attempt counts as failed (and is retried).
   */
  connectTimeoutMs: number;
  /**
   * Time for one request and its response before the attempt counts as failed (and is retried).
   */
  requestTimeoutMs: number;
  /**
   * A dropped PDF of at least this many MiB goes up as a multipart upload, read from disk part by part (memory stays at a few parts whatever the file's size); a smaller one is read whole and sent as one PUT. A failed multipart upload is aborted, and its object stays in the outbox.
   */
  multipartThresholdMiB: number;
  /**
   * Part size of a multipart upload in MiB (S3's minimum is 5). Four parts of an upload are sent at once, so an upload holds about five parts in memory; S3 allows 10,000 parts, so the largest file is 10,000 x this.
   */
  partSizeMiB: number;
  invalidation: InvalidationConfig;
}
/**
 * CloudFront invalidation after each publish cycle of the paths that were overwritten or deleted: one batch per cycle. Off by default: short Cache-Control lifetimes make it unnecessary, and paths beyond the monthly free allowance cost money.
 */
export interface InvalidationConfig {
  enabled: boolean;
  /**
   * The CloudFront distribution in front of the bucket. Required when enabled.
   */
  distributionId?: string;
  /**
   * A customer with more changed paths than this in one cycle is invalidated as /{prefix}/customers/{c}/* (one path).
   */
  maxPathsPerCustomer: number;
}
export interface FoldersConfig {
  drop: string;
  archive: string;
  quarantine: string;
}
export interface InboxConfig {
  /**
   * A file is taken when size and mtime have not changed for this long.
   */
  stableMs: number;
  /**
   * Full rescan of the drop folder, for events the watcher missed.
   */
  rescanMs: number;
  /**
   * Poll instead of inotify (SMB/NFS shares).
   */
  usePolling: boolean;
  /**
   * Suffixes of marker files: for a feed with `complete: marker`, NAME is taken once NAME.done (or another suffix) exists. Markers are archived with their file.
   */
  markers: string[];
  /**
   * Processing order: oldest mtime first (then name), or by name only (for ERPs that number their exports).
   */
  order: 'mtime' | 'name';
  /**
   * On SIGTERM/SIGINT: time to finish publishing before exiting (what is left stays queued).
   */
  shutdownMs: number;
  /**
   * A file that looks cut off (an XML without its closing root element, a CSV ending mid-record) and was modified less than this long ago is still being written: it waits instead of going to quarantine.
   */
  writingGraceMs: number;
}
export interface IngestConfig {
  /**
   * A full snapshot that would delete more than this share of a kind is quarantined as a suspected truncated export.
   */
  maxDeleteShare: number;
  /**
   * Errors collected per file before reading stops.
   */
  maxErrors: number;
}
export interface ServeConfig {
  host: string;
  port: number;
  /**
   * Print a ready curl command with the first literal token (for the bundled demo only).
   */
  printCurl: boolean;
}
/**
 * The daemon's admin port: /healthz, /metrics (Prometheus) and the admin pages. Separate from `serve`. On a loopback address it is open to local users; bound elsewhere, every path but /healthz needs a token (Bearer, or Basic with the token as password).
 */
export interface AdminConfig {
  /**
   * Serve the admin port while `run` is running.
   */
  enabled: boolean;
  /**
   * Bind address. Loopback by default; anything else requires tokens.
   */
  host: string;
  /**
   * 0 picks a free port (logged at start).
   */
  port: number;
  /**
   * Tokens for the admin port when it is not on loopback, same forms as `auth.tokens`. Default: `auth.tokens`.
   */
  tokens?: TokenSource[];
  /**
   * IANA time zone the admin pages show times in, e.g. `Europe/Stockholm`. Default: the machine's zone (TZ).
   */
  timeZone?: string;
}
export interface AuthConfig {
  /**
   * Header carrying `Bearer <token>`.
   */
  header: string;
  /**
   * Accepted proofs: `bearer` (a token in `header`; what Vendre sends) and `signed` (X-Timestamp + X-Signature, an HMAC over method, path, query and time; see README). A request must carry one, and every one it carries must be valid.
   *
   * @minItems 1
   */
  modes: ('bearer' | 'signed')[];
  /**
   * HMAC secrets for signed mode, several for rotation (the CloudFront Function reads at most 3). Each is a literal or an environment variable name.
   *
   * @maxItems 3
   */
  secrets: SecretSource[];
  /**
   * Signed mode: how far X-Timestamp may be from the edge's clock, either way.
   */
  windowSeconds: number;
  /**
   * Valid tokens, several for rotation. Each is a literal, an environment variable name, or a sha256 hex digest.
   */
  tokens: TokenSource[];
}
export interface FeedConfig {
  name: string;
  /**
   * File name glob (* and ?), case-insensitive.
   */
  pattern: string;
  /**
   * How often the ERP normally delivers this feed, in minutes. The admin overview marks the feed stale when its last good file is older than this; without it, no stale signal.
   */
  expectEveryMinutes?: number;
  /**
   * orders/invoices/credit_invoices carry headers (and may carry line fields: the flat layout); *_lines carry lines joined on `id`; packages carry shipments (`id` the shipment's own number, `order_no` its order, `tracking_id`, `carrier`); deletions name documents to delete (see `deletes`). customers carry billing addresses (`id` the customer number), delivery_addresses a customer's delivery addresses (`id` the address code, `customer_no` its customer), stock an article's stock per warehouse (`id` the article number), prices price list rows (`id` the article number); see README "Addresses and stock".
   */
  kind?:
    | 'orders'
    | 'order_lines'
    | 'invoices'
    | 'invoice_lines'
    | 'credit_invoices'
    | 'credit_invoice_lines'
    | 'packages'
    | 'deletions'
    | 'customers'
    | 'delivery_addresses'
    | 'stock'
    | 'prices';
  format: 'csv' | 'xml';
  encoding: 'utf-8' | 'windows-1252' | 'iso-8859-1';
  delimiter: string;
  quote: string;
  /**
   * CSV: first row names the columns. Without it, `columns` names them.
   */
  header: boolean;
  /**
   * CSV column names when the file has no header row.
   */
  columns?: string[];
  /**
   * XML: path of the record element, e.g. Orders/Order.
   */
  recordPath?: string;
  /**
   * XML: path of the line elements inside a record, e.g. Lines/Line.
   */
  linePath?: string;
  dateFormat: string;
  /**
   * comma: 1 234,50 and 1234,50; dot: 1,234.50 and 1234.50.
   */
  numberFormat: 'comma' | 'dot';
  mode: 'delta' | 'full';
  /**
   * A bad record (a value that does not parse, a row with the wrong column count): reject the whole file, or skip the record, apply the rest and report it. Damage to the file itself (encoding, quoting, XML syntax, entity declarations) always rejects the file.
   */
  onError: 'reject-file' | 'skip-record';
  /**
   * When a file counts as complete: `stable` (size and mtime unchanged for inbox.stableMs), `marker` (a marker file NAME.done/NAME.ok beside it), `rename` (the ERP writes under an ignored temporary name such as *.tmp and renames: taken at once).
   */
  complete: 'stable' | 'marker' | 'rename';
  maxDeleteShare?: number;
  currency?: string;
  delete?: ColumnValues;
  credit?: ColumnValues;
  /**
   * How the export writes credit invoice amounts: `negative` (as they are) or `positive` (Business Central credit memos: quantities, totals and shipping are negated).
   */
  creditSign: 'negative' | 'positive';
  /**
   * Per canonical field, raw values of the export → text to publish, e.g. `payment_status: { "Yes": "Betald", "No": "Obetald" }`. Values not listed pass through.
   */
  values?: {
    [k: string]: {
      [k: string]: string;
    };
  };
  map?: FeedMap;
  /**
   * Charge lines: a line matching a rule's `when` (e.g. `{ Type: "Charge (Item)" }` or `{ Type: G/L Account, No.: "3520" }`) is freight: its row total is added to shipping_cost, taxed at its own VAT rate (the shipping rule when it has none), and it is kept out of products and backorders.
   */
  charges?: {
    /**
     * Source column (CSV) or path (XML, relative to the line element for charges) → the value or one of the values it must hold (trimmed, case-insensitive). All must match; `{}` matches every record.
     */
    when: {
      [k: string]: string | string[];
    };
    as: 'shipping';
  }[];
  /**
   * kind deletions: the first rule whose `when` matches a record says what its `id` deletes: an order, invoice, credit (invoice), package (a shipment of a packages feed) or nothing (ignore). A record matching no rule is a bad record.
   *
   * @minItems 1
   */
  deletes?: {
    /**
     * Source column (CSV) or path (XML, relative to the line element for charges) → the value or one of the values it must hold (trimmed, case-insensitive). All must match; `{}` matches every record.
     */
    when: {
      [k: string]: string | string[];
    };
    delete: 'order' | 'invoice' | 'credit' | 'package' | 'ignore';
  }[];
  /**
   * Several record kinds in one file (XML with <Orders>, <Invoices>, <Deletions>; a CSV with a record type column): each section has its own kind, recordPath or `when`, map and rules, and takes the feed's other settings. The file is applied in one transaction across its sections. Replaces the feed's `kind` and `map`.
   *
   * @minItems 1
   */
  sections?: {
    /**
     * orders/invoices/credit_invoices carry headers (and may carry line fields: the flat layout); *_lines carry lines joined on `id`; packages carry shipments (`id` the shipment's own number, `order_no` its order, `tracking_id`, `carrier`); deletions name documents to delete (see `deletes`). customers carry billing addresses (`id` the customer number), delivery_addresses a customer's delivery addresses (`id` the address code, `customer_no` its customer), stock an article's stock per warehouse (`id` the article number), prices price list rows (`id` the article number); see README "Addresses and stock".
     */
    kind:
      | 'orders'
      | 'order_lines'
      | 'invoices'
      | 'invoice_lines'
      | 'credit_invoices'
      | 'credit_invoice_lines'
      | 'packages'
      | 'deletions'
      | 'customers'
      | 'delivery_addresses'
      | 'stock'
      | 'prices';
    /**
     * XML: path of the record element, e.g. Orders/Order.
     */
    recordPath?: string;
    /**
     * XML: path of the line elements inside a record, e.g. Lines/Line.
     */
    linePath?: string;
    mode: 'delta' | 'full';
    maxDeleteShare?: number;
    currency?: string;
    /**
     * Delta mode: a record whose column holds one of the values deletes its document.
     */
    delete?: {
      column: string;
      /**
       * @minItems 1
       */
      values: string[];
    };
    /**
     * Invoice feeds: a record whose column holds one of the values is a credit invoice (kreditfaktura).
     */
    credit?: {
      column: string;
      /**
       * @minItems 1
       */
      values: string[];
    };
    /**
     * How the export writes credit invoice amounts: `negative` (as they are) or `positive` (Business Central credit memos: quantities, totals and shipping are negated).
     */
    creditSign: 'negative' | 'positive';
    /**
     * Per canonical field, raw values of the export → text to publish, e.g. `payment_status: { "Yes": "Betald", "No": "Obetald" }`. Values not listed pass through.
     */
    values?: {
      [k: string]: {
        [k: string]: string;
      };
    };
    /**
     * Charge lines: a line matching a rule's `when` (e.g. `{ Type: "Charge (Item)" }` or `{ Type: G/L Account, No.: "3520" }`) is freight: its row total is added to shipping_cost, taxed at its own VAT rate (the shipping rule when it has none), and it is kept out of products and backorders.
     */
    charges?: {
      /**
       * Source column (CSV) or path (XML, relative to the line element for charges) → the value or one of the values it must hold (trimmed, case-insensitive). All must match; `{}` matches every record.
       */
      when: {
        [k: string]: string | string[];
      };
      as: 'shipping';
    }[];
    /**
     * kind deletions: the first rule whose `when` matches a record says what its `id` deletes: an order, invoice, credit (invoice), package (a shipment of a packages feed) or nothing (ignore). A record matching no rule is a bad record.
     *
     * @minItems 1
     */
    deletes?: {
      /**
       * Source column (CSV) or path (XML, relative to the line element for charges) → the value or one of the values it must hold (trimmed, case-insensitive). All must match; `{}` matches every record.
       */
      when: {
        [k: string]: string | string[];
      };
      delete: 'order' | 'invoice' | 'credit' | 'package' | 'ignore';
    }[];
    /**
     * Canonical field → source column (CSV) or path (XML; `@name` for attributes). `line.*` fields come from the line.
     */
    map: {
      id: string;
      customer_no?: string;
      date?: string;
      due_date?: string;
      payment_status?: string;
      reference?: string;
      po_number?: string;
      comment?: string;
      currency?: string;
      total?: string;
      shipping_cost?: string;
      /**
       * The order(s) an invoice belongs to (separated by , or ;); packages feeds: the order a shipment belongs to. In XML every occurrence of a repeated element counts.
       */
      order_no?: string;
      /**
       * One or more tracking ids (separated by , ; or space). In XML every occurrence of a repeated element (several <Package>) is a package, each with the carrier of its own element.
       */
      tracking_id?: string;
      /**
       * Carrier code or name (PostNord, DHL Express, …) for the tracking link.
       */
      carrier?: string;
      /**
       * The document's status as the ERP writes it (Released, Levererad, …); published as `status`.
       */
      status?: string;
      /**
       * Credit invoices: the invoice it credits (Business Central: Applies-to Doc. No.); published as `credited_invoice`.
       */
      credited_invoice?: string;
      'customer.company'?: string;
      'customer.reference'?: string;
      'customer.address'?: string;
      'customer.address2'?: string;
      'customer.zipcode'?: string;
      'customer.ziparea'?: string;
      'customer.country'?: string;
      /**
       * The delivery name (Business Central: Ship-to Name); published as delivery.company.
       */
      'delivery.company'?: string;
      'delivery.reference'?: string;
      'delivery.address'?: string;
      'delivery.address2'?: string;
      'delivery.zipcode'?: string;
      'delivery.ziparea'?: string;
      'delivery.country'?: string;
      /**
       * kind customers: the code of the customer's default delivery address (Business Central: Ship-to Code); without it (or when no delivery address has that code) the billing address is the default.
       */
      default_delivery?: string;
      /**
       * kind stock: the warehouse (Business Central: Location Code; Lager). Without it each article has one stock row.
       */
      warehouse?: string;
      /**
       * kind stock: quantity on hand (Inventory; Saldo).
       */
      'stock.on_hand'?: string;
      /**
       * kind stock: quantity available to sell (Disponibelt); on hand when not mapped.
       */
      'stock.available'?: string;
      /**
       * kind stock: date of the next incoming delivery (Nästa inleverans).
       */
      'stock.incoming_date'?: string;
      /**
       * kind stock: quantity of the next incoming delivery.
       */
      'stock.incoming_quantity'?: string;
      /**
       * kind customers: the customer's price group (Business Central: Customer Price Group; Prisgrupp), whose prices it pays where it has none of its own.
       */
      price_group?: string;
      /**
       * kind prices: whom the price is for: customer (Kund), group (Customer Price Group, Prisgrupp) or all (All Customers, Alla; also an empty value). See README "Customer prices".
       */
      'price.type'?: string;
      /**
       * kind prices: the customer number or price group code the price is for (BC: Sales Code); empty for all.
       */
      'price.code'?: string;
      /**
       * kind prices: the unit price excluding VAT.
       */
      'price.amount'?: string;
      /**
       * kind prices: the quantity from which the price holds (a quantity break; default 1).
       */
      'price.min_quantity'?: string;
      /**
       * kind prices: first day the price holds (BC: Starting Date).
       */
      'price.valid_from'?: string;
      /**
       * kind prices: last day the price holds (BC: Ending Date).
       */
      'price.valid_to'?: string;
      'line.no'?: string;
      'line.model'?: string;
      'line.name'?: string;
      'line.quantity'?: string;
      'line.price'?: string;
      'line.discount'?: string;
      'line.row_total'?: string;
      'line.vat_rate'?: string;
      /**
       * Quantity delivered so far; remaining = quantity − delivered is backordered.
       */
      'line.delivered'?: string;
      /**
       * Quantity still to deliver (restnoterat), when the export states it directly.
       */
      'line.remaining'?: string;
      /**
       * Expected delivery date of what remains.
       */
      'line.delivery_date'?: string;
      /**
       * The order a line belongs to (Sales Invoice Line Order No.): a collective invoice's `orders` are the distinct order numbers of its lines.
       */
      'line.order_no'?: string;
    };
    /**
     * Source column (CSV) or path (XML, relative to the line element for charges) → the value or one of the values it must hold (trimmed, case-insensitive). All must match; `{}` matches every record.
     */
    when?: {
      [k: string]: string | string[];
    };
  }[];
}
/**
 * Delta mode: a record whose column holds one of the values deletes its document.
 */
export interface ColumnValues {
  column: string;
  /**
   * @minItems 1
   */
  values: string[];
}
/**
 * Canonical field → source column (CSV) or path (XML; `@name` for attributes). `line.*` fields come from the line.
 */
export interface FeedMap {
  id: string;
  customer_no?: string;
  date?: string;
  due_date?: string;
  payment_status?: string;
  reference?: string;
  po_number?: string;
  comment?: string;
  currency?: string;
  total?: string;
  shipping_cost?: string;
  /**
   * The order(s) an invoice belongs to (separated by , or ;); packages feeds: the order a shipment belongs to. In XML every occurrence of a repeated element counts.
   */
  order_no?: string;
  /**
   * One or more tracking ids (separated by , ; or space). In XML every occurrence of a repeated element (several <Package>) is a package, each with the carrier of its own element.
   */
  tracking_id?: string;
  /**
   * Carrier code or name (PostNord, DHL Express, …) for the tracking link.
   */
  carrier?: string;
  /**
   * The document's status as the ERP writes it (Released, Levererad, …); published as `status`.
   */
  status?: string;
  /**
   * Credit invoices: the invoice it credits (Business Central: Applies-to Doc. No.); published as `credited_invoice`.
   */
  credited_invoice?: string;
  'customer.company'?: string;
  'customer.reference'?: string;
  'customer.address'?: string;
  'customer.address2'?: string;
  'customer.zipcode'?: string;
  'customer.ziparea'?: string;
  'customer.country'?: string;
  /**
   * The delivery name (Business Central: Ship-to Name); published as delivery.company.
   */
  'delivery.company'?: string;
  'delivery.reference'?: string;
  'delivery.address'?: string;
  'delivery.address2'?: string;
  'delivery.zipcode'?: string;
  'delivery.ziparea'?: string;
  'delivery.country'?: string;
  /**
   * kind customers: the code of the customer's default delivery address (Business Central: Ship-to Code); without it (or when no delivery address has that code) the billing address is the default.
   */
  default_delivery?: string;
  /**
   * kind stock: the warehouse (Business Central: Location Code; Lager). Without it each article has one stock row.
   */
  warehouse?: string;
  /**
   * kind stock: quantity on hand (Inventory; Saldo).
   */
  'stock.on_hand'?: string;
  /**
   * kind stock: quantity available to sell (Disponibelt); on hand when not mapped.
   */
  'stock.available'?: string;
  /**
   * kind stock: date of the next incoming delivery (Nästa inleverans).
   */
  'stock.incoming_date'?: string;
  /**
   * kind stock: quantity of the next incoming delivery.
   */
  'stock.incoming_quantity'?: string;
  /**
   * kind customers: the customer's price group (Business Central: Customer Price Group; Prisgrupp), whose prices it pays where it has none of its own.
   */
  price_group?: string;
  /**
   * kind prices: whom the price is for: customer (Kund), group (Customer Price Group, Prisgrupp) or all (All Customers, Alla; also an empty value). See README "Customer prices".
   */
  'price.type'?: string;
  /**
   * kind prices: the customer number or price group code the price is for (BC: Sales Code); empty for all.
   */
  'price.code'?: string;
  /**
   * kind prices: the unit price excluding VAT.
   */
  'price.amount'?: string;
  /**
   * kind prices: the quantity from which the price holds (a quantity break; default 1).
   */
  'price.min_quantity'?: string;
  /**
   * kind prices: first day the price holds (BC: Starting Date).
   */
  'price.valid_from'?: string;
  /**
   * kind prices: last day the price holds (BC: Ending Date).
   */
  'price.valid_to'?: string;
  'line.no'?: string;
  'line.model'?: string;
  'line.name'?: string;
  'line.quantity'?: string;
  'line.price'?: string;
  'line.discount'?: string;
  'line.row_total'?: string;
  'line.vat_rate'?: string;
  /**
   * Quantity delivered so far; remaining = quantity − delivered is backordered.
   */
  'line.delivered'?: string;
  /**
   * Quantity still to deliver (restnoterat), when the export states it directly.
   */
  'line.remaining'?: string;
  /**
   * Expected delivery date of what remains.
   */
  'line.delivery_date'?: string;
  /**
   * The order a line belongs to (Sales Invoice Line Order No.): a collective invoice's `orders` are the distinct order numbers of its lines.
   */
  'line.order_no'?: string;
}
export interface RunConfig {
  /**
   * Names the run in logs, reports and error files.
   */
  name: string;
  /**
   * The feeds (by `name`) whose files make up one run: the run is complete when a file of each has arrived. A feed belongs to one run at most.
   *
   * @minItems 2
   */
  feeds: string[];
  /**
   * Feeds (by `name`) whose files join the run when they are there with a file of its `feeds`, but are not waited for: a shipments file sent again alone days later (its tracking numbers filled in) is applied alone at once, not held and quarantined as an incomplete run. A feed belongs to one run at most.
   */
  optional?: string[];
  /**
   * File-name pattern with `{run}` where the run id stands; `*` is any text, `?` one character; case-insensitive. Files with the same run id are one run, e.g. `*_{run}.csv` (SalesHeader_20251130.csv, SalesLine_20251130.csv: run 20251130) or `*_{run}_*.csv` ({table}_{runid}_{FULL|DELTA}.csv).
   */
  key: string;
  /**
   * Name of a marker file the ERP writes last, with `{run}` where the run id stands (e.g. `run_{run}.done`): the run is taken only once its marker is there, as well as a file of every feed; the marker is archived (or quarantined) with the run. Without it a run is taken once a file of every feed is complete.
   */
  marker?: string;
  /**
   * How long a run waits for its missing files after its first file is complete; then the files that came are quarantined, each with the reason (VP_E_RUN_INCOMPLETE), and nothing of the run is applied.
   */
  waitMs: number;
}
export interface PdfConfig {
  /**
   * File name with `{id}` where the document number stands, e.g. `faktura_{id}.pdf` (case-insensitive).
   */
  pattern: string;
  kind: 'order' | 'invoice' | 'credit';
}
/**
 * Capability links for PDFs: each `pdf_link` gets `?sig=` (an HMAC of its path), so a shopper's browser can open it without the Authorization header. Required when `pdfs` are published to an s3:// target. See README "PDF links".
 */
export interface PdfLinksConfig {
  /**
   * HMAC secrets, newest first: the first signs every pdf_link, all are accepted (rotation; the CloudFront Function reads at most 3). Each is an environment variable name or a file holding the secret (16 to 1000 printable ASCII characters, no spaces; a trailing newline is ignored). Never a literal in this file.
   *
   * @minItems 1
   * @maxItems 3
   */
  secrets: ExternalSecretSource[];
}
export interface CarrierConfig {
  name?: string;
  url: string;
  aliases?: string[];
}
