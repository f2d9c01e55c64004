/** Relative presets, Grafana's spelling. */
export const PRESETS = ['5m', '15m', '30m', '1h', '3h', '6h', '12h', '24h', '2d', '7d'] as const;
export const DEFAULT_RANGE = '1h';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * A view's time range as its URL keeps it: relative (`range=1h`, re-evaluated on each refresh, so
 * a shared link means "the last hour") or absolute (`start`/`end` in Unix seconds).
 */
export type TimeRangeSpec =
  { kind: 'relative'; range: string } | { kind: 'absolute'; start: number; end: number };

export function rangeFromParams(params: URLSearchParams): TimeRangeSpec {
  const start = Number(params.get('start'));
  const end = Number(params.get('end'));
  if (
    params.has('start') &&
    params.has('end') &&
    Number.isInteger(start) &&
    Number.isInteger(end) &&
    start <= end
  )
    return { kind: 'absolute', start, end };
  const range = params.get('range') ?? DEFAULT_RANGE;
  return { kind: 'relative', range: relativeSeconds(range) === undefined ? DEFAULT_RANGE : range };
}

export function rangeToParams(spec: TimeRangeSpec): Record<string, string | undefined> {
  return spec.kind === 'relative'
    ? { range: spec.range === DEFAULT_RANGE ? undefined : spec.range, start: undefined, end: undefined }
    : { range: undefined, start: String(spec.start), end: String(spec.end) };
}

export function relativeSeconds(text: string): number | undefined {
  const match = /^(\d+)([smhd])$/.exec(text);
  return match ? Number(match[1]) * UNIT_SECONDS[match[2]] : undefined;
}

/** Unix seconds, both ends inclusive, as the APIs take them. */
export function resolveRange(spec: TimeRangeSpec, nowMs = Date.now()): { start: number; end: number } {
  if (spec.kind === 'absolute') return { start: spec.start, end: spec.end };
  const end = Math.ceil(nowMs / 1000);
  return { start: end - (relativeSeconds(spec.range) ?? 3600), end };
}

export function describeRange(spec: TimeRangeSpec): string {
  if (spec.kind === 'relative') return `Last ${spec.range}`;
  return `${formatDateTime(spec.start * 1000)} → ${formatDateTime(spec.end * 1000)}`;
}

/** Local time, to the second: 2024-05-01 14:03:07. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** For <input type="datetime-local">. */
export function toLocalInput(seconds: number): string {
  return formatDateTime(seconds * 1000).replace(' ', 'T');
}

export function fromLocalInput(text: string): number | undefined {
  const ms = new Date(text).getTime();
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}
