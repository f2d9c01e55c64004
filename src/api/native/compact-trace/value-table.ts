import type { AnyValue, KeyValue } from '../../../model/attributes.js';
import { encodeAnyValue } from '../../../otlp/json/encode-any-value.js';
import type { StoredEntries, StoredMap } from '../../../store/rows/attribute-values.js';
import { attributesFromColumns } from '../../../store/rows/attribute-values.js';
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
  /** Typed scalars by `type:text`, so their text is turned into a value once (fromColumns). */
  private readonly typedIds = new Map<string, number>();

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

  /**
   * The id of a stored attribute value: its text, and the key's entries in the stored type and
   * exact-value maps (store/rows/attribute-values.ts). Strings, most values, go straight to `id`;
   * a typed scalar is turned back into its value once per distinct text.
   */
  fromColumns(key: string, text: string, types: StoredMap, anyValues: StoredMap): number {
    const type = types[key];
    if (type === undefined || type === 'string') return this.id(text);
    if (!SCALAR_TYPES.has(type)) return this.id(storedValue(key, text, types, anyValues));
    const typedKey = `${type}:${text}`;
    let id = this.typedIds.get(typedKey);
    if (id === undefined) {
      id = this.id(storedValue(key, text, types, anyValues));
      this.typedIds.set(typedKey, id);
    }
    return id;
  }

  /**
   * `[key, value, key, value, …]` for attributes stored as columns. `entries` (a list that repeats
   * a key with values of several types) pairs each attribute with its own type, which the keyed
   * maps cannot.
   */
  pairsFromColumns(
    keys: readonly string[],
    texts: readonly string[],
    types: StoredMap,
    anyValues: StoredMap,
    strings: StringTable,
    entries?: StoredEntries,
  ): number[] {
    if (entries !== undefined && entries.length !== 0)
      return this.pairs(attributesFromColumns(keys, texts, types, anyValues, entries), strings);
    const out = new Array<number>(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      out[2 * i] = strings.id(keys[i]);
      out[2 * i + 1] = this.fromColumns(keys[i], texts[i], types, anyValues);
    }
    return out;
  }

  private push(value: CompactValue): number {
    this.values.push(value);
    return this.values.length - 1;
  }
}

/** Stored types whose values are deduplicated (the others are written as they come, see `id`). */
const SCALAR_TYPES: ReadonlySet<string> = new Set(['bool', 'int', 'double', 'empty']);

function storedValue(key: string, text: string, types: StoredMap, anyValues: StoredMap): AnyValue {
  return attributesFromColumns([key], [text], types, anyValues)[0].value;
}
