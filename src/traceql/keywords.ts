import type { AggregateFunction, KindValue, MetricsFunction, StaticValue, StatusValue } from './ast.js';

const STATUS_VALUES: readonly StatusValue[] = ['ok', 'error', 'unset'];
const KIND_VALUES: readonly KindValue[] = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];

/** Words that are literal values. */
export const LITERAL_WORDS: ReadonlyMap<string, StaticValue> = new Map<string, StaticValue>([
  ['true', { type: 'bool', value: true }],
  ['false', { type: 'bool', value: false }],
  ['nil', { type: 'nil' }],
  ...STATUS_VALUES.map((value): [string, StaticValue] => [value, { type: 'status', value }]),
  ...KIND_VALUES.map((value): [string, StaticValue] => [value, { type: 'kind', value }]),
]);

export const AGGREGATE_FUNCTIONS: ReadonlySet<string> = new Set<AggregateFunction>([
  'count',
  'avg',
  'min',
  'max',
  'sum',
]);

export const METRICS_FUNCTIONS: ReadonlySet<string> = new Set<MetricsFunction>([
  'rate',
  'count_over_time',
  'min_over_time',
  'max_over_time',
  'avg_over_time',
  'sum_over_time',
  'quantile_over_time',
  'histogram_over_time',
]);

/** Tempo functions Tracehouse does not run yet: each gets an UnsupportedError, not "unknown function". */
export const UNSUPPORTED_FUNCTIONS: ReadonlySet<string> = new Set(['compare', 'topk', 'bottomk']);

/** Words that start a pipeline stage other than an aggregate or metrics function. */
export const STAGE_WORDS: ReadonlySet<string> = new Set(['by', 'select', 'coalesce']);

/** Every word with a meaning of its own, which therefore cannot be read as an (unknown) intrinsic. */
export function isReservedWord(word: string): boolean {
  return (
    AGGREGATE_FUNCTIONS.has(word) ||
    METRICS_FUNCTIONS.has(word) ||
    UNSUPPORTED_FUNCTIONS.has(word) ||
    STAGE_WORDS.has(word) ||
    word === 'with'
  );
}
