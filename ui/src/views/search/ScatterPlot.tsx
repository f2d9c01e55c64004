import { useWidth } from '../../components/use-width';
import { formatDateTime } from '../../time/time-range';
import { formatDuration, timeTicks } from '../../trace/ticks';
import type { ResultRow } from './results';

const HEIGHT = 180;
const PAD = { left: 56, right: 12, top: 10, bottom: 22 };

/** Duration over time, one dot per trace (red when it has errors); a click opens the trace. */
export function ScatterPlot(props: {
  rows: ResultRow[];
  range: { start: number; end: number };
  onOpen: (traceId: string) => void;
}) {
  const { rows, range, onOpen } = props;
  const [ref, width] = useWidth<HTMLDivElement>();
  const x0 = range.start * 1000;
  const x1 = Math.max(range.end * 1000, x0 + 1);
  const maxDuration = Math.max(1, ...rows.map((r) => r.durationMs)) * 1.1;
  const plotW = Math.max(10, width - PAD.left - PAD.right);
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (ms: number) => PAD.left + ((ms - x0) / (x1 - x0)) * plotW;
  const y = (ms: number) => PAD.top + plotH - (ms / maxDuration) * plotH;
  const yTicks = timeTicks(0, maxDuration, 4);
  const xTicks = timeTicks(x0, x1, Math.max(2, Math.floor(plotW / 160)));
  return (
    <div className="scatter" ref={ref} data-testid="scatter-plot">
      <svg width={width} height={HEIGHT} role="img" aria-label="Trace duration over time">
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line className="grid" x1={PAD.left} x2={PAD.left + plotW} y1={y(t)} y2={y(t)} />
            <text className="axis" x={PAD.left - 6} y={y(t) + 4} textAnchor="end">
              {formatDuration(t)}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text key={`x${t}`} className="axis" x={x(t)} y={HEIGHT - 6} textAnchor="middle">
            {formatDateTime(t).slice(11)}
          </text>
        ))}
        {rows.map((row) => (
          <circle
            key={row.traceId}
            className={row.errors > 0 ? 'dot error' : 'dot'}
            cx={x(row.start)}
            cy={y(row.durationMs)}
            r={4.5}
            data-trace-id={row.traceId}
            onClick={() => onOpen(row.traceId)}
          >
            <title>
              {`${row.rootService} ${row.rootSpan}\n${formatDuration(row.durationMs)} · ${formatDateTime(row.start)}${row.errors ? ` · ${row.errors} errors` : ''}`}
            </title>
          </circle>
        ))}
      </svg>
    </div>
  );
}
