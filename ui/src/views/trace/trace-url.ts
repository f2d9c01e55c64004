import type { CollapseState } from '../../trace/collapse-state';

/** Everything a trace link reproduces: selection, collapsed rows, zoom window, view, find text. */
export interface TraceUrlState {
  span: string | undefined;
  collapse: CollapseState;
  /** Zoom window as fractions of the trace's duration. */
  window: [number, number] | undefined;
  view: 'waterfall' | 'flame';
  find: string;
}

export function traceStateFromParams(params: URLSearchParams): TraceUrlState {
  const level = params.get('level');
  const toggles = (params.get('toggle') ?? '').split(',').filter((id) => /^[0-9a-f]{1,32}$/i.test(id));
  const w = (params.get('window') ?? '').split(',').map(Number);
  const window: [number, number] | undefined =
    w.length === 2 && w.every(Number.isFinite) && 0 <= w[0] && w[0] < w[1] && w[1] <= 1
      ? [w[0], w[1]]
      : undefined;
  return {
    span: params.get('span') ?? undefined,
    collapse: {
      level: level !== null && /^\d+$/.test(level) ? Number(level) : undefined,
      toggles: new Set(toggles),
    },
    window,
    view: params.get('view') === 'flame' ? 'flame' : 'waterfall',
    find: params.get('find') ?? '',
  };
}

export function collapseParams(state: CollapseState): Record<string, string | undefined> {
  return {
    level: state.level === undefined ? undefined : String(state.level),
    toggle: state.toggles.size === 0 ? undefined : [...state.toggles].join(','),
  };
}

export function windowParam(window: [number, number] | undefined): string | undefined {
  if (!window || (window[0] <= 0 && window[1] >= 1)) return undefined;
  return `${window[0].toFixed(4)},${window[1].toFixed(4)}`;
}
