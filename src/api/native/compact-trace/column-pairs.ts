import type {
  ArrayColumnData,
  DictionaryColumn,
  Int64Column,
  MapColumnData,
  TupleColumnData,
} from '../../../store/native/native-reader.js';
import type { ScopeColumns, SpanColumns } from '../../../store/reader/span-column-select.js';
import { mapRecord, textAt } from '../../../store/reader/span-column-select.js';
import type { StringTable } from './string-table.js';
import type { ValueTable } from './value-table.js';

/** Stored types whose value is told by its text alone (ValueTable interns them by text too). */
const BY_TEXT: ReadonlySet<string> = new Set(['bool', 'int', 'double', 'empty']);

/**
 * Attribute pairs and interned strings for the compact form, from one block of span columns.
 * Keys and most values are LowCardinality: each distinct one of the block is interned once and
 * then looked up by its dictionary index, so a 100,000-span trace does a few thousand Map lookups
 * instead of a million. Values with a stored type go through ValueTable.fromColumns once per
 * distinct text and type; bytes, arrays and maps each time, as they come (they are rare).
 */
export class ColumnPairs {
  private keyIds: Int32Array | undefined;
  private stringValueIds: Int32Array | undefined;
  private readonly typedValueIds = new Map<string, Int32Array>();
  private eventNameIds: Int32Array | undefined;
  private typeOfKey: Int32Array | undefined;
  private typeKeyToKey: Int32Array | undefined;

  constructor(
    private readonly block: SpanColumns,
    private readonly strings: StringTable,
    private readonly values: ValueTable,
  ) {}

  /** The string id of every dictionary entry. */
  stringIds(column: DictionaryColumn): number[] {
    return column.dictionary.map((text) => this.strings.id(text));
  }

  /** Appends row `r`'s span attributes as `[key, value, …]` ids to `out`. */
  appendSpanAttributes(r: number, out: number[]): void {
    const { attributes: map, attributeTypes: types } = this.block;
    const from = map.start(r);
    const to = map.end(r);
    if (from === to) return;
    const keys = map.keys as DictionaryColumn;
    const texts = map.values as DictionaryColumn;
    const keyIds = (this.keyIds ??= unset(keys.dictionary.length));
    const stringValueIds = (this.stringValueIds ??= unset(texts.dictionary.length));
    // The row's stored types, by key dictionary index (-1: a string); reset before returning.
    const typeOfKey = (this.typeOfKey ??= unset(keys.dictionary.length));
    const typeKeys = types.keys as DictionaryColumn;
    const typeNames = types.values as DictionaryColumn;
    const typesFrom = types.start(r);
    const typesTo = types.end(r);
    for (let t = typesFrom; t < typesTo; t++) {
      const k = this.attributeKeyIndex(typeKeys, t, keys);
      if (k >= 0) typeOfKey[k] = typeNames.indexes[t];
    }
    let anyValues: Record<string, string> | undefined;
    for (let a = from; a < to; a++) {
      const k = keys.indexes[a];
      const v = texts.indexes[a];
      let keyId = keyIds[k];
      if (keyId < 0) keyId = keyIds[k] = this.strings.id(keys.dictionary[k]);
      const typeIndex = typeOfKey[k];
      const type = typeIndex < 0 ? 'string' : typeNames.dictionary[typeIndex];
      let valueId: number;
      if (type === 'string') {
        valueId = stringValueIds[v];
        if (valueId < 0) valueId = stringValueIds[v] = this.values.id(texts.dictionary[v]);
      } else {
        let ids = BY_TEXT.has(type) ? this.typedValueIds.get(type) : undefined;
        if (ids === undefined && BY_TEXT.has(type))
          this.typedValueIds.set(type, (ids = unset(texts.dictionary.length)));
        valueId = ids === undefined ? -1 : ids[v];
        if (valueId < 0) {
          anyValues ??= mapRecord(this.block.attributeAnyValues, r);
          const key = keys.dictionary[k];
          valueId = this.values.fromColumns(key, texts.dictionary[v], { [key]: type }, anyValues);
          if (ids !== undefined) ids[v] = valueId;
        }
      }
      out.push(keyId, valueId);
    }
    for (let t = typesFrom; t < typesTo; t++) {
      const k = this.attributeKeyIndex(typeKeys, t, keys);
      if (k >= 0) typeOfKey[k] = -1;
    }
  }

  /** The attribute key dictionary's index of type entry `t`'s key (-1: no attribute has it). */
  private attributeKeyIndex(typeKeys: DictionaryColumn, t: number, keys: DictionaryColumn): number {
    const byTypeKey = (this.typeKeyToKey ??= this.keyIndexes(typeKeys, keys));
    return byTypeKey[typeKeys.indexes[t]];
  }

  private keyIndexes(typeKeys: DictionaryColumn, keys: DictionaryColumn): Int32Array {
    const index = new Map(keys.dictionary.map((key, i) => [key, i]));
    return Int32Array.from(typeKeys.dictionary, (key) => index.get(key) ?? -1);
  }

  /** Event `e` (an index into the block's events): seconds, nanoseconds, name id, attribute pairs. */
  event(e: number): { seconds: number; nanos: number; name: number; attributes: number[] } {
    const [seconds, nanos, names, attributes, types, anyValues] = (this.block.events.items as TupleColumnData)
      .elements as [Int64Column, Int32Array, DictionaryColumn, MapColumnData, MapColumnData, MapColumnData];
    const ids = (this.eventNameIds ??= unset(names.dictionary.length));
    const k = names.indexes[e];
    if (ids[k] < 0) ids[k] = this.strings.id(names.dictionary[k]);
    return {
      seconds: seconds.number(e),
      nanos: nanos[e],
      name: ids[k],
      attributes: this.pairs(attributes, e, mapRecord(types, e), mapRecord(anyValues, e)),
    };
  }

  /** Link `l` (an index into the block's links). */
  link(l: number): { traceId: string; spanId: string; traceState: number; attributes: number[] } {
    const [traceIds, spanIds, traceStates, attributes, types, anyValues] = (
      this.block.links.items as TupleColumnData
    ).elements as [string[], string[], string[], MapColumnData, MapColumnData, MapColumnData];
    return {
      traceId: traceIds[l],
      spanId: spanIds[l],
      traceState: this.strings.id(traceStates[l]),
      attributes: this.pairs(attributes, l, mapRecord(types, l), mapRecord(anyValues, l)),
    };
  }

  get events(): ArrayColumnData {
    return this.block.events;
  }

  get links(): ArrayColumnData {
    return this.block.links;
  }

  private pairs(
    map: MapColumnData,
    row: number,
    types: Record<string, string>,
    anyValues: Record<string, string>,
  ): number[] {
    return resourcePairs(map, row, types, anyValues, this.strings, this.values);
  }
}

/** The attribute pairs of a resource and of a scope, from row `r` of the trace's scope columns. */
export function scopePairs(
  scopes: ScopeColumns,
  r: number,
  strings: StringTable,
  values: ValueTable,
): { resource: number[]; scope: number[] } {
  return {
    resource: resourcePairs(
      scopes.resourceAttributes,
      r,
      mapRecord(scopes.resourceAttributeTypes, r),
      mapRecord(scopes.resourceAttributeAnyValues, r),
      strings,
      values,
    ),
    scope: resourcePairs(
      scopes.scopeAttributes,
      r,
      mapRecord(scopes.scopeAttributeTypes, r),
      mapRecord(scopes.scopeAttributeAnyValues, r),
      strings,
      values,
    ),
  };
}

function resourcePairs(
  map: MapColumnData,
  row: number,
  types: Record<string, string>,
  anyValues: Record<string, string>,
  strings: StringTable,
  values: ValueTable,
): number[] {
  const from = map.start(row);
  const to = map.end(row);
  if (from === to) return [];
  const keys: string[] = [];
  const texts: string[] = [];
  for (let i = from; i < to; i++) {
    keys.push(textAt(map.keys, i));
    texts.push(textAt(map.values, i));
  }
  return values.pairsFromColumns(keys, texts, types, anyValues, strings);
}

/** An id cache with every entry unset (-1). */
function unset(size: number): Int32Array {
  return new Int32Array(size).fill(-1);
}
