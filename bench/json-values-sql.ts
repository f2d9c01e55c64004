/**
 * A way to write the trace-spans view's JSON values that engine-insert-probe.ts compares with the
 * view's own (tried, not adopted: bench/RESULTS.md, "Tried: the JSON copy's formatting without
 * toJSONString"). `toJSONString` escapes a string a byte at a time (~7 ns a byte here), which is
 * most of the view's formatting: ~600 bytes of text a span. Almost all span text needs no
 * escaping, so each value is written by plain concatenation when its text holds no byte JSON must
 * escape, by `toJSONString` otherwise.
 */

/** How a value is written: what its JSON looks like, and whether its text must be checked. */
export type JsonValueKind =
  /** A string of decimal digits (`toString` of a number): quoted, never escaped. */
  | 'digits'
  /** A 32-bit count: a JSON number. */
  | 'number'
  /** `String` or `LowCardinality(String)`. */
  | 'string'
  /** `Array(String)` (or of LowCardinality). */
  | 'strings'
  /** `Map(String-like, Enum8)`: a JSON object of the keys and the enum's names. */
  | 'enumMap'
  /** Anything else, always through toJSONString (values that are JSON themselves, nested arrays). */
  | 'json';

/**
 * The bytes a JSON string must escape (RFC 8259 §7): the quote, the backslash and the control
 * characters U+0000–U+001F, as a ClickHouse string literal.
 */
const MUST_ESCAPE = `'${Array.from({ length: 0x20 }, (_, byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join('')}"\\\\'`;

/**
 * True when `text` holds a byte JSON must escape. `translate` deleting those bytes is a table
 * lookup a byte, about half the cost of `match` with re2. Bytes that are not UTF-8 need no check:
 * toJSONString copies them as they are too.
 */
const needsEscaping = (text: string): string =>
  `length(translate(${text}, ${MUST_ESCAPE}, '')) != length(${text})`;

/** The text to check and the JSON to write when it is clean, by kind; undefined: nothing to check. */
function plain(kind: JsonValueKind, sql: string): { text?: string; json: string } {
  switch (kind) {
    case 'digits':
      return { json: `concat('"', ${sql}, '"')` };
    case 'number':
      return { json: `toString(${sql})` };
    case 'string':
      return { text: sql, json: `concat('"', ${sql}, '"')` };
    case 'strings':
      return {
        text: `arrayStringConcat(${sql})`,
        json: `if(empty(${sql}), '[]', concat('["', arrayStringConcat(${sql}, '","'), '"]'))`,
      };
    case 'enumMap':
      // The enum's names are ours (attribute-types.ts) and need no escaping; the keys are checked.
      return {
        text: `arrayStringConcat(mapKeys(${sql}))`,
        json:
          `concat('{', arrayStringConcat(arrayMap((k, v) -> concat('"', k, '":"', v, '"'), ` +
          `mapKeys(${sql}), CAST(mapValues(${sql}), 'Array(String)')), ','), '}')`,
      };
    case 'json':
      return { json: `toJSONString(${sql})` };
  }
}

/**
 * One value as JSON text: the same value toJSONString writes (JSON.parse reads both the same),
 * without its cost when the text is clean. ClickHouse evaluates the `if` branches only for the
 * rows that take them (short-circuit evaluation), so clean rows never reach toJSONString.
 */
export function jsonValueSql(kind: JsonValueKind, sql: string): string {
  const { text, json } = plain(kind, sql);
  return text === undefined ? json : `if(${needsEscaping(text)}, toJSONString(${sql}), ${json})`;
}
