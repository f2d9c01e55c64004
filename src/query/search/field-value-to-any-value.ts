import type { AnyValue } from '../../model/attributes.js';
import type { FieldValue } from './evaluate-spansets.js';

/**
 * A `(type, text)` field value as the typed value a result shows; undefined when the span has no
 * such field. Structured values (arrays, kvlists) and bytes show as their stored text, which is
 * what the collector's schema keeps.
 */
export function fieldValueToAnyValue(value: FieldValue | undefined): AnyValue | undefined {
  if (!value || value.text === null || value.type === 'nil' || value.type === 'empty') return undefined;
  switch (value.type) {
    case 'int':
    case 'duration':
      return /^-?\d+$/.test(value.text) ? BigInt(value.text) : value.text;
    case 'double':
      return Number(value.text);
    case 'bool':
      return value.text === 'true';
    default:
      return value.text;
  }
}
