import { attributeString } from '../../model/attribute-string.js';
import type { AnyValue, KeyValue } from '../../model/attributes.js';
import { findAttribute } from '../../model/attributes.js';
import type { Span } from '../../model/span.js';

/** One `name.to_attributes.rules` entry: the regex (compiled with `d` for group offsets) and its group names in order. */
export interface ToAttributesRule {
  readonly pattern: RegExp;
  readonly groupNames: readonly string[];
}

/**
 * `name.from_attributes`: the span is renamed to the attributes' values joined by `separator`,
 * only when every one of them is present (the Collector leaves the name alone otherwise).
 */
export function renameFromAttributes(span: Span, keys: readonly string[], separator: string): void {
  if (span.attributes.length === 0) return;
  let name = '';
  for (let i = 0; i < keys.length; i++) {
    const value = findAttribute(span.attributes, keys[i]);
    if (value === undefined) return;
    if (i > 0) name += separator;
    name += nameText(value);
  }
  span.name = name;
}

/**
 * `name.to_attributes`: each matching rule, in order, turns its named groups into string
 * attributes (overwriting) and replaces each group's text in the name with `{group}`; the next
 * rule sees the new name. A group that did not take part in the match is skipped (the Collector
 * would fail on it), and a group nested in an earlier one sets its attribute without a placeholder.
 */
export function extractToAttributes(
  span: Span,
  rules: readonly ToAttributesRule[],
  breakAfterMatch: boolean,
  keepOriginalName: boolean,
): void {
  if (span.name === '') return;
  for (const rule of rules) {
    const original = span.name;
    const match = rule.pattern.exec(original);
    if (!match) continue;
    let renamed = '';
    let cursor = 0;
    for (let g = 0; g < rule.groupNames.length; g++) {
      const at = match.indices?.[g + 1];
      const text = match[g + 1];
      if (at === undefined || text === undefined) continue;
      putString(span.attributes, rule.groupNames[g], text);
      if (at[0] < cursor) continue;
      renamed += `${original.slice(cursor, at[0])}{${rule.groupNames[g]}}`;
      cursor = at[1];
    }
    renamed += original.slice(cursor);
    if (!keepOriginalName) span.name = renamed;
    if (breakAfterMatch) break;
  }
}

/** How the Collector writes a value into a name: Go's `FormatFloat(f, 'f', -1)` for doubles, never an exponent. */
function nameText(value: AnyValue): string {
  if (typeof value === 'number') return plainDecimal(value);
  // Empty values, bytes, arrays and kvlists: the Collector names none of them.
  if (typeof value === 'object') return '<unknown-attribute-type>';
  return attributeString(value);
}

/** The shortest round-tripping digits of `n`, written out without an exponent (1e-7 → 0.0000001). */
export function plainDecimal(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  const text = String(n);
  const e = text.indexOf('e');
  if (e < 0) return text;
  const sign = text.startsWith('-') ? '-' : '';
  const mantissa = text.slice(sign.length, e);
  const exponent = Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  // Position of the decimal point within `digits` once the exponent is applied.
  const point = (dot < 0 ? mantissa.length : dot) + exponent;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function putString(attributes: KeyValue[], key: string, value: string): void {
  for (let i = attributes.length - 1; i >= 0; i--) {
    if (attributes[i].key === key) {
      attributes[i] = { key, value };
      return;
    }
  }
  attributes.push({ key, value });
}
