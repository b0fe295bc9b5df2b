import type { DataRule } from '../errors.ts';

/**
 * Raised by the pure value parsers in src/mapping (numbers, dates, countries, ...). It carries only
 * what the parser knows: the rule that failed, a message about the value, and an optional hint on
 * what would have been accepted. The mapping layer adds file/line/field/value and wraps it into a
 * DataError.
 */
export class ValueError extends Error {
  constructor(
    readonly rule: DataRule,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ValueError';
  }
}
