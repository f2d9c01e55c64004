import type { SearchTrace } from '../../api/tempo-api';

export interface ResultRow {
  traceId: string;
  rootService: string;
  rootSpan: string;
  /** Unix ms. */
  start: number;
  durationMs: number;
  spanCount: number;
  services: string[];
  errors: number;
}

export const SORT_KEYS = [
  'rootService',
  'rootSpan',
  'start',
  'durationMs',
  'spanCount',
  'services',
  'errors',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export function toRows(traces: readonly SearchTrace[]): ResultRow[] {
  return traces.map((t) => {
    const stats = Object.entries(t.serviceStats ?? {});
    return {
      traceId: t.traceID,
      // Tempo writes "<root span not yet received>" when the root is missing; keep its words.
      rootService: t.rootServiceName ?? '',
      rootSpan: t.rootTraceName ?? '',
      start: Number(t.startTimeUnixNano.slice(0, -6) || '0'),
      durationMs: t.durationMs ?? 0,
      spanCount: stats.reduce((sum, [, s]) => sum + s.spanCount, 0),
      services: stats.map(([name]) => name).sort(),
      errors: stats.reduce((sum, [, s]) => sum + (s.errorCount ?? 0), 0),
    };
  });
}

/** `start-desc` → key and direction; unknown text falls back to newest first. */
export function parseSort(text: string | null): { key: SortKey; desc: boolean } {
  const [key, dir] = (text ?? '').split('-');
  const found = SORT_KEYS.find((k) => k === key);
  return found ? { key: found, desc: dir !== 'asc' } : { key: 'start', desc: true };
}

export function sortRows(rows: readonly ResultRow[], key: SortKey, desc: boolean): ResultRow[] {
  const value = (row: ResultRow): string | number => (key === 'services' ? row.services.length : row[key]);
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return (desc ? -order : order) || b.start - a.start;
  });
}
