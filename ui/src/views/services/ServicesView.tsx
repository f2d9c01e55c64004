import { Fragment, useMemo } from 'react';
import { fetchOperations, fetchSeries, fetchServices } from '../../api/native-api';
import type { OperationStats, Series } from '../../api/native-api';
import { href, navigate, updateParams, useLocation } from '../../app/router';
import { useFetch } from '../../app/use-fetch';
import { formatPercent, formatRate } from '../../components/format';
import { Empty, ErrorState, Loading } from '../../components/States';
import { TimeRangePicker } from '../../components/TimeRangePicker';
import { describeRange, rangeFromParams, rangeToParams, resolveRange } from '../../time/time-range';
import { quote } from '../search/build-traceql';
import { OperationsTable, Quantiles, SeriesCells } from './OperationsTable';

const HEIGHT = 420;

/** Per-service and per-operation rate, errors and latency with small time series; click through to search. */
export default function ServicesView() {
  const { params } = useLocation();
  const spec = rangeFromParams(params);
  const open = params.get('service') ?? '';
  const specKey = JSON.stringify(spec);
  const range = useMemo(() => resolveRange(JSON.parse(specKey) as typeof spec), [specKey]);
  const key = `${range.start}:${range.end}`;
  const services = useFetch(`services:${key}`, (signal) => fetchServices(range, signal));
  const operations = useFetch(`operations::${key}`, (signal) => fetchOperations(range, '', signal));
  const series = useFetch(`series:service:${key}`, (signal) => fetchSeries(range, 'service', '', signal));
  const opSeries = useFetch(open ? `series:op:${open}:${key}` : null, (signal) =>
    fetchSeries(range, 'operation', open, signal),
  );
  const seriesBy = new Map((series.data?.series ?? []).map((s) => [s.service, s]));
  const rangeParams = rangeToParams(spec);
  const search = (q: string) => navigate(href('/search', { ...rangeParams, q }));

  return (
    <div className="services-view">
      <div className="toolbar">
        <TimeRangePicker value={spec} onChange={(next) => updateParams(rangeToParams(next), false)} />
        <span className="muted">
          Requests are server, consumer and root spans. Click a service for its operations.
        </span>
      </div>
      <section style={{ minHeight: HEIGHT }}>
        {services.error ? (
          <ErrorState error={services.error} retry={services.reload} height={HEIGHT} />
        ) : !services.data ? (
          <Loading what="services" height={HEIGHT} />
        ) : services.data.services.length === 0 ? (
          <Empty title={`No services sent spans in ${describeRange(spec).toLowerCase()}.`} height={HEIGHT}>
            Widen the time range, or send traffic (<code>npm start</code> runs the example system).
          </Empty>
        ) : (
          <table className="services-table" data-testid="services-table">
            <thead>
              <tr>
                <th>Service</th>
                <th>Requests</th>
                <th>Errors</th>
                <th>p50</th>
                <th>p90</th>
                <th>p99</th>
                <th>Spans over time</th>
                <th>p99 over time</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {services.data.services.map((s) => {
                const entry = entryOperation(operations.data?.operations ?? [], s.service);
                return (
                  <Fragment key={s.service}>
                    <tr
                      className={open === s.service ? 'open' : undefined}
                      onClick={() => updateParams({ service: open === s.service ? undefined : s.service })}
                    >
                      <td>
                        <button className="ghost" aria-expanded={open === s.service}>
                          {open === s.service ? '▾' : '▸'} {s.service}
                        </button>
                      </td>
                      <td className="num">{formatRate(s.rate)}</td>
                      <td className={s.errorCount > 0 ? 'num error-text' : 'num'}>
                        {formatPercent(s.errorRatio)}
                      </td>
                      <Quantiles stats={entry?.op} note={entry?.note} />
                      <SeriesCells series={seriesBy.get(s.service)} />
                      <td>
                        <button
                          className="ghost"
                          onClick={(e) => {
                            e.stopPropagation();
                            search(`{ resource.service.name = ${quote(s.service)} }`);
                          }}
                        >
                          Traces →
                        </button>
                      </td>
                    </tr>
                    {open === s.service && (
                      <tr className="operations-row">
                        <td colSpan={9}>
                          <OperationsTable
                            operations={(operations.data?.operations ?? []).filter(
                              (o) => o.service === s.service,
                            )}
                            series={opSeries.data?.series ?? ([] as Series[])}
                            onSearch={search}
                          />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

/**
 * A service's latency is its entry operation's (server or consumer spans). Quantiles of several
 * operations cannot be merged exactly, so with several the busiest one is shown, and says so.
 */
function entryOperation(
  operations: OperationStats[],
  service: string,
): { op: OperationStats; note?: string } | undefined {
  const entries = operations.filter(
    (o) => o.service === service && (o.spanKind === 'server' || o.spanKind === 'consumer'),
  );
  if (entries.length === 0) return undefined;
  const busiest = entries.reduce((a, b) => (b.count > a.count ? b : a));
  return entries.length === 1
    ? { op: busiest }
    : { op: busiest, note: `of ${busiest.spanName}, the busiest of ${entries.length} entry operations` };
}
