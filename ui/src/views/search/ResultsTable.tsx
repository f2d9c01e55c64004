import { href } from '../../app/router';
import { Link } from '../../app/Link';
import { formatDateTime } from '../../time/time-range';
import { formatDuration } from '../../trace/ticks';
import type { ResultRow, SortKey } from './results';

const COLUMNS: [SortKey, string][] = [
  ['rootService', 'Root service'],
  ['rootSpan', 'Root span'],
  ['start', 'Start'],
  ['durationMs', 'Duration'],
  ['spanCount', 'Spans'],
  ['services', 'Services'],
  ['errors', 'Errors'],
];

/** Sortable by any column (the sort is in the URL); each row links to its trace. */
export function ResultsTable(props: {
  rows: ResultRow[];
  sort: { key: SortKey; desc: boolean };
  onSort: (key: SortKey) => void;
}) {
  const { rows, sort, onSort } = props;
  return (
    <table className="results" data-testid="results-table">
      <thead>
        <tr>
          {COLUMNS.map(([key, label]) => (
            <th key={key} aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : undefined}>
              <button className="sort" onClick={() => onSort(key)}>
                {label}
                {sort.key === key ? (sort.desc ? ' ▾' : ' ▴') : ''}
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.traceId} className={row.errors > 0 ? 'has-error' : undefined}>
            <td>{row.rootService}</td>
            <td>
              <Link href={href(`/trace/${row.traceId}`, {})} className="trace-link">
                {row.rootSpan || row.traceId.slice(0, 16)}
              </Link>
            </td>
            <td className="num">{formatDateTime(row.start)}</td>
            <td className="num">{formatDuration(row.durationMs)}</td>
            <td className="num">{row.spanCount}</td>
            <td className="services-cell" title={row.services.join(', ')}>
              {row.services.join(', ')}
            </td>
            <td className={row.errors > 0 ? 'num error-text' : 'num'}>{row.errors}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
