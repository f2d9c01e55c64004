import type { AnyValue, KeyValue } from '../../../model/attributes.js';
import { encodeAnyValue } from '../../../otlp/json/encode-any-value.js';
import type { CompactValue } from './compact-trace-format.js';
import type { StringTable } from './string-table.js';

/**
 * Interns attribute values for the compact trace form. Strings, booleans, ints, doubles and the
 * empty value are deduplicated (a trace repeats `GET`, `200`, `true` thousands of times); bytes,
 * arrays and kvlists are rare enough to be written as they come.
 */
export class ValueTable {
  readonly values: CompactValue[] = [];
  /**
   * Scalars by value: a Map compares keys by SameValueZero, so `3n` (int), `3` (double) and `'3'`
   * stay apart without building a tagged key; +0 and -0 merge, as JSON cannot tell them apart.
   */
  private readonly scalarIds = new Map<string | boolean | bigint | number | null, number>();

  id(value: AnyValue): number {
    if (value !== null && typeof value === 'object') return this.push(encodeAnyValue(value));
    let id = this.scalarIds.get(value);
    if (id === undefined) {
      id = this.push(typeof value === 'string' ? value : encodeAnyValue(value));
      this.scalarIds.set(value, id);
    }
    return id;
  }

  /** `[key, value, key, value, …]` for an attribute list. */
  pairs(attributes: readonly KeyValue[], strings: StringTable): number[] {
    const out = new Array<number>(attributes.length * 2);
    for (let i = 0; i < attributes.length; i++) {
      out[2 * i] = strings.id(attributes[i].key);
      out[2 * i + 1] = this.id(attributes[i].value);
    }
    return out;
  }

  private push(value: CompactValue): number {
    this.values.push(value);
    return this.values.length - 1;
  }
}
