import { useEffect, useMemo, useState } from 'react';
import { ApiError, errorPosition } from '../../api/http';
import { search, searchUrl } from '../../api/tempo-api';
import { href, navigate, updateParams, useLocation } from '../../app/router';
import { useFetch } from '../../app/use-fetch';
import { Empty, ErrorState, Loading } from '../../components/States';
import { TimeRangePicker } from '../../components/TimeRangePicker';
import { describeRange, rangeFromParams, rangeToParams, resolveRange } from '../../time/time-range';
import type { SearchFilters } from './build-traceql';
import { buildTraceQL, filtersFromParams } from './build-traceql';
import { Filters } from './Filters';
import { ResultsTable } from './ResultsTable';
import { parseSort, sortRows, toRows } from './results';
import type { SortKey } from './results';
import { ScatterPlot } from './ScatterPlot';
import type { EditorError } from './TraceQLEditor';
import { TraceQLEditor } from './TraceQLEditor';

const LIMIT = 100;
const LIVE_INTERVAL_MS = 10_000;
const RESULTS_HEIGHT = 420;

/** Search: time range, filters that write TraceQL, the editor, then a scatter plot and a table. */
export function SearchView() {
  const { params } = useLocation();
  const spec = rangeFromParams(params);
  const filters = filtersFromParams(params);
  const q = params.get('q') ?? buildTraceQL(filters);
  const sort = parseSort(params.get('sort'));
  const live = params.get('live') === '1';
  const [draft, setDraft] = useState(q);
  const [tick, setTick] = useState(0);
  useEffect(() => setDraft(q), [q]);
  useEffect(() => {
    if (!live) return;
    const timer = window.setInterval(() => setTick((t) => t + 1), LIVE_INTERVAL_MS);
    return () => window.clearInterval(timer);
  }, [live]);
  const specKey = JSON.stringify(spec);
  // A relative range is resolved when the query runs (and at each live tick), not at every render.
  const range = useMemo(() => resolveRange(spec), [specKey, tick]);
  const request = { q, ...range, limit: LIMIT };
  const result = useFetch(searchUrl(request), (signal) => search(request, signal));
  const rows = useMemo(
    () => sortRows(toRows(result.data?.traces ?? []), sort.key, sort.desc),
    [result.data, sort.key, sort.desc],
  );

  const queryError: EditorError | undefined =
    result.error instanceof ApiError && result.error.status === 400
      ? { message: result.error.message, ...errorPosition(result.error.message) }
      : undefined;
  const run = (): void => {
    if (draft === q) {
      setTick((t) => t + 1);
      return;
    }
    updateParams({ q: draft }, false);
  };
  const onFilters = (next: SearchFilters): void => updateParams({ ...next, q: buildTraceQL(next) });
  const onSort = (key: SortKey): void =>
    updateParams({ sort: `${key}-${sort.key === key && sort.desc ? 'asc' : 'desc'}` });
  const open = (traceId: string): void => navigate(href(`/trace/${traceId}`, {}));

  return (
    <div className="search-view">
      <div className="toolbar">
        <TimeRangePicker value={spec} onChange={(next) => updateParams(rangeToParams(next), false)} />
        <label className="toggle" title="Re-run the search every 10 s">
          <input
            type="checkbox"
            checked={live}
            onChange={(e) => updateParams({ live: e.target.checked ? '1' : undefined })}
          />{' '}
          Auto-refresh
        </label>
        <span className="muted">
          {result.loading ? 'Searching…' : result.data ? `${rows.length} traces` : ''}
        </span>
      </div>
      <Filters filters={filters} range={range} onChange={onFilters} />
      <div className="query-row">
        <TraceQLEditor value={draft} onChange={setDraft} onSubmit={run} error={queryError} range={range} />
        <button className="primary" onClick={run} data-testid="run-query">
          Run query
        </button>
      </div>
      <section className="results-area" style={{ minHeight: RESULTS_HEIGHT }}>
        {result.error && !queryError ? (
          <ErrorState error={result.error} retry={result.reload} height={RESULTS_HEIGHT}>
            Check that Tracehouse is running and that the time range is valid.
          </ErrorState>
        ) : result.data === undefined ? (
          queryError ? null : (
            <Loading what="traces" height={RESULTS_HEIGHT} />
          )
        ) : rows.length === 0 ? (
          <Empty
            title={`No traces match ${q} in ${describeRange(spec).toLowerCase()}.`}
            height={RESULTS_HEIGHT}
          >
            Widen the time range or loosen the query. No data at all? Point an OpenTelemetry SDK at OTLP :4317
            (gRPC) or :4318 (HTTP), or run <code>npm start</code> for the example system.
          </Empty>
        ) : (
          <div className={result.loading ? 'stale' : undefined}>
            <ScatterPlot rows={rows} range={range} onOpen={open} />
            <ResultsTable rows={rows} sort={sort} onSort={onSort} />
          </div>
        )}
      </section>
    </div>
  );
}
