import type { OperationStats, Series } from '../../api/native-api';
import { formatPercent, formatRate } from '../../components/format';
import { Sparkline } from '../../components/Sparkline';
import { formatDuration } from '../../trace/ticks';
import { quote } from '../search/build-traceql';

export function Quantiles({ stats, note }: { stats: OperationStats | undefined; note?: string }) {
  const cell = (nanos: number | undefined) => (
    <td className="num" title={note}>
      {nanos === undefined ? '—' : `${note ? '≈' : ''}${formatDuration(nanos / 1e6)}`}
    </td>
  );
  return (
    <>
      {cell(stats?.durationNanos.p50)}
      {cell(stats?.durationNanos.p90)}
      {cell(stats?.durationNanos.p99)}
    </>
  );
}

export function SeriesCells({ series }: { series: Series | undefined }) {
  if (!series)
    return (
      <td colSpan={2} className="muted">
        —
      </td>
    );
  return (
    <>
      <td>
        <Sparkline values={series.points.map((p) => p.count)} label="spans per step" />
      </td>
      <td>
        <Sparkline
          values={series.points.map((p) => (p.p99Nanos === null ? null : p.p99Nanos / 1e6))}
          label="p99 duration per step (ms)"
        />
      </td>
    </>
  );
}

/** One service's operations: rate, errors, p50/p90/p99, sparklines; a click searches that operation. */
export function OperationsTable({
  operations,
  series,
  onSearch,
}: {
  operations: OperationStats[];
  series: Series[];
  onSearch: (q: string) => void;
}) {
  const seriesOf = (o: OperationStats) =>
    series.find((s) => s.spanName === o.spanName && s.spanKind === o.spanKind);
  return (
    <table className="operations-table" data-testid="operations-table">
      <thead>
        <tr>
          <th>Operation</th>
          <th>Kind</th>
          <th>Rate</th>
          <th>Errors</th>
          <th>p50</th>
          <th>p90</th>
          <th>p99</th>
          <th>Spans over time</th>
          <th>p99 over time</th>
        </tr>
      </thead>
      <tbody>
        {operations.map((o) => (
          <tr
            key={`${o.spanName}/${o.spanKind}`}
            className="clickable"
            onClick={() =>
              onSearch(
                `{ resource.service.name = ${quote(o.service)} && name = ${quote(o.spanName)} && kind = ${o.spanKind} }`,
              )
            }
            title="Search the traces of this operation"
          >
            <td>{o.spanName}</td>
            <td>{o.spanKind}</td>
            <td className="num">{formatRate(o.rate)}</td>
            <td className={o.errorCount > 0 ? 'num error-text' : 'num'}>{formatPercent(o.errorRatio)}</td>
            <Quantiles stats={o} />
            <SeriesCells series={seriesOf(o)} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}
