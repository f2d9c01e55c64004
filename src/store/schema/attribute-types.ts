import type { AnyValueKind } from '../../model/attributes.js';

/**
 * How Tracehouse keeps attribute types beside the collector's string-valued attribute maps.
 *
 * The OpenTelemetry Collector ClickHouse exporter stores every attribute map as
 * `Map(LowCardinality(String), String)`, writing each value with pdata's `Value.AsString()`:
 * ints in decimal, doubles in shortest round-trip form, bools as `true`/`false`, bytes in base64,
 * arrays and kvlists as plain JSON, an empty value as ''. Tracehouse writes the same strings there
 * (so the collector and Grafana read them) and adds, beside each map `X`:
 *
 * - `XTypes Map(LowCardinality(String), Enum8(...))` — the OTLP type of each attribute that is
 *   **not a string**. Rule: a key absent from the type map is a string (except when a list
 *   repeats a key and one of those attributes is not a string: then every attribute of that key
 *   has an entry, strings as `'string'`, in list order; rows/attribute-columns.ts). Most attributes are
 *   strings, so the map is usually empty and costs about a byte per row after compression.
 *   `'string'` is the enum's zero, so `XTypes['k']` reads as `'string'` for an absent key, the
 *   same answer the rule gives.
 * - `XAnyValues Map(LowCardinality(String), String)` — only for `array` and `kvlist` attributes,
 *   the exact value as OTLP/JSON `AnyValue` (`{"arrayValue":{"values":[{"intValue":"1"}]}}`),
 *   because the collector's plain JSON cannot tell `1` (int) from `1.0` (double) nor bytes from a
 *   string inside an array. Scalars need nothing here: their string is exact given the type.
 */
export const ATTRIBUTE_TYPE_CODES = {
  string: 0,
  bool: 1,
  int: 2,
  double: 3,
  bytes: 4,
  array: 5,
  kvlist: 6,
  /** OTLP AnyValue with no value set; stored as '' in the string map. */
  empty: 7,
} as const satisfies Record<AnyValueKind, number>;

/** The ClickHouse enum used as the value type of every `…AttributeTypes` map. */
export const ATTRIBUTE_TYPE_ENUM = `Enum8(${Object.entries(ATTRIBUTE_TYPE_CODES)
  .map(([name, code]) => `'${name}' = ${code}`)
  .join(', ')})`;

/** Kinds whose exact value also goes to the `…AttributeAnyValues` map. */
export function needsAnyValueEncoding(kind: AnyValueKind): boolean {
  return kind === 'array' || kind === 'kvlist';
}
