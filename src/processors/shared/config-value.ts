import type { AnyValue } from '../../model/attributes.js';
import type { ConfigNode } from '../../pipeline/config-node.js';

/**
 * A YAML value as an attribute value, typed as the Collector types it: whole numbers are ints,
 * other numbers doubles, lists arrays, mappings kvlists.
 */
export function configValue(node: ConfigNode): AnyValue {
  return toAnyValue(node.value);
}

function toAnyValue(value: unknown): AnyValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toAnyValue);
  return {
    kvlistValue: Object.entries(value as Record<string, unknown>).map(([key, v]) => ({
      key,
      value: toAnyValue(v),
    })),
  };
}
