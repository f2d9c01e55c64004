/**
 * Where each TraceQL attribute scope lives in `otel_traces`, as SQL over one span row. Every
 * attribute list is a string map plus a type map (store/schema/attribute-types.ts: a key absent
 * from the type map is a string, and reading it gives the enum's zero, 'string').
 *
 * - resource, span, instrumentation (scope attributes): one map per span row;
 * - event, link: one map per event/link, in the Nested `Events`/`Links` columns, with the type
 *   maps in parallel arrays that are empty when every item has only strings (reading an index
 *   past the end gives the empty map, hence 'string' again).
 */
export const ATTRIBUTE_SCOPES = ['resource', 'span', 'event', 'link', 'instrumentation'] as const;
export type AttributeScope = (typeof ATTRIBUTE_SCOPES)[number];

interface ScopeColumns {
  /** The string map (or Array of maps for per-item scopes). */
  readonly values: string;
  /** The type map (or Array of them). */
  readonly types: string;
  readonly perItem: boolean;
}

const COLUMNS: Readonly<Record<AttributeScope, ScopeColumns>> = {
  resource: { values: 'ResourceAttributes', types: 'ResourceAttributeTypes', perItem: false },
  span: { values: 'SpanAttributes', types: 'SpanAttributeTypes', perItem: false },
  instrumentation: { values: 'ScopeAttributes', types: 'ScopeAttributeTypes', perItem: false },
  event: { values: '`Events.Attributes`', types: 'EventsAttributeTypes', perItem: true },
  link: { values: '`Links.Attributes`', types: 'LinksAttributeTypes', perItem: true },
};

export function isAttributeScope(text: string): text is AttributeScope {
  return (ATTRIBUTE_SCOPES as readonly string[]).includes(text);
}

/**
 * SQL: the Array(String) of a row's keys in the scope. `.keys` reads the map's keys subcolumn
 * only, not its values — measured 2.4× faster than `mapKeys()` on a million spans.
 */
export function keysSql(scope: AttributeScope): string {
  const { values, perItem } = COLUMNS[scope];
  return perItem ? `arrayFlatten(${values}.keys)` : `${values}.keys`;
}

/**
 * SQL: an Array(Tuple(value String, type String)) of the row's values of the key bound as
 * `{param:String}`, with their stored type names — one element for a per-row scope that has the
 * key, one per event/link that has it, none otherwise.
 */
export function valuesSql(scope: AttributeScope, param: string): string {
  const { values, types, perItem } = COLUMNS[scope];
  const key = `{${param}:String}`;
  if (!perItem)
    return `if(mapContains(${values}, ${key}), [(${values}[${key}], toString(${types}[${key}]))], [])`;
  return (
    `arrayMap(i -> (${values}[i][${key}], toString(${types}[i][${key}])), ` +
    `arrayFilter(i -> mapContains(${values}[i], ${key}), arrayEnumerate(${values})))`
  );
}

/**
 * SQL: the row has the key. For resource and span attributes this is what the table's skip
 * indexes on `mapKeys(…)` answer, so granules without the key are not read.
 */
export function hasKeySql(scope: AttributeScope, param: string): string {
  const { values, perItem } = COLUMNS[scope];
  const key = `{${param}:String}`;
  return perItem ? `arrayExists(m -> mapContains(m, ${key}), ${values})` : `mapContains(${values}, ${key})`;
}
