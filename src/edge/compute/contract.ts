/**
 * What every computed call shares: how it reads a published object, and what it answers. Its own
 * module so the answers for lists, stock and prices import it without importing each other.
 */
/** Reads one published object as JSON; undefined when it does not exist. */
export type ReadJson = (key: string) => Promise<unknown | undefined>;

export type ComputeAnswer =
  | { status: 200 | 400 | 404 | 503; body: Record<string, unknown> }
  /** Serve this published object instead (a credit invoice asked for under invoices/). */
  | { key: string };
