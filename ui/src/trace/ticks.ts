/** Tick marks at "nice" steps (1, 2, 5 × 10ⁿ ms) for a time axis from `start` to `end` ms. */
export function timeTicks(start: number, end: number, approxCount = 5): number[] {
  const span = end - start;
  if (!(span > 0) || !Number.isFinite(span)) return [start];
  const raw = span / Math.max(1, approxCount);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const first = Math.ceil(start / step - 1e-9) * step;
  const out: number[] = [];
  for (let t = first; t <= end + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

/** A duration in ms, in the unit that keeps three significant digits: 820µs, 12.3ms, 1.25s, 2m 3s. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const abs = Math.abs(ms);
  if (abs === 0) return '0ms';
  if (abs < 0.001) return `${round(ms * 1e6)}ns`;
  if (abs < 1) return `${round(ms * 1e3)}µs`;
  if (abs < 1000) return `${round(ms)}ms`;
  if (abs < 60_000) return `${round(ms / 1000)}s`;
  const minutes = Math.floor(abs / 60_000);
  if (minutes < 60) return `${Math.sign(ms) < 0 ? '-' : ''}${minutes}m ${Math.round((abs % 60_000) / 1000)}s`;
  return `${Math.sign(ms) < 0 ? '-' : ''}${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

function round(value: number): string {
  const abs = Math.abs(value);
  return abs >= 100 ? value.toFixed(0) : abs >= 10 ? trim(value.toFixed(1)) : trim(value.toFixed(2));
}

function trim(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
