/** Small order statistics for benchmark samples. Inputs are not modified. */

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** The q-quantile (0 ≤ q ≤ 1) by the nearest-rank method; NaN for no values. */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** (max − min) / median, the spread of the rounds shown beside a median. */
export function relativeSpread(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  return (Math.max(...values) - Math.min(...values)) / median(values);
}
