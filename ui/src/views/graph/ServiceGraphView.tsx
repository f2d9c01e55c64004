import { useMemo } from 'react';
import { fetchServiceGraph } from '../../api/native-api';
import type { GraphEdge } from '../../api/native-api';
import { href, navigate, updateParams, useLocation } from '../../app/router';
import { useFetch } from '../../app/use-fetch';
import { formatPercent, formatRate } from '../../components/format';
import { Empty, ErrorState, Loading } from '../../components/States';
import { TimeRangePicker } from '../../components/TimeRangePicker';
import { describeRange, rangeFromParams, rangeToParams, resolveRange } from '../../time/time-range';
import { formatDuration } from '../../trace/ticks';
import { quote } from '../search/build-traceql';
import { layoutGraph } from './graph-layout';

const HEIGHT = 520;

/** Which service calls which, with rate, errors and p99 latency per edge; click through to search. */
export default function ServiceGraphView() {
  const { params } = useLocation();
  const spec = rangeFromParams(params);
  const allSpans = params.get('edges') === 'all';
  const specKey = JSON.stringify(spec);
  const range = useMemo(() => resolveRange(JSON.parse(specKey) as typeof spec), [specKey]);
  const edges = allSpans ? 'all-spans' : 'entry-spans';
  const result = useFetch(`graph:${range.start}:${range.end}:${edges}`, (signal) =>
    fetchServiceGraph(range, edges, signal),
  );
  const placed = useMemo(() => (result.data ? layoutGraph(result.data) : undefined), [result.data]);
  const rangeParams = rangeToParams(spec);
  const searchFor = (q: string) => navigate(href('/search', { ...rangeParams, q }));
  const serviceQ = (service: string) => `{ resource.service.name = ${quote(service)} }`;
  const edgeQ = (edge: GraphEdge) => `${serviceQ(edge.client)} > ${serviceQ(edge.server)}`;

  return (
    <div className="graph-view">
      <div className="toolbar">
        <TimeRangePicker value={spec} onChange={(next) => updateParams(rangeToParams(next), false)} />
        <label
          className="toggle"
          title="Also count a child of any kind whose parent is in another service, as Jaeger's dependencies do"
        >
          <input
            type="checkbox"
            checked={allSpans}
            onChange={(e) => updateParams({ edges: e.target.checked ? 'all' : undefined })}
          />{' '}
          Every cross-service call (not only server / consumer spans)
        </label>
        <button className="ghost" onClick={result.reload}>
          Refresh
        </button>
      </div>
      <section className="graph-area" style={{ minHeight: HEIGHT }} data-testid="service-graph">
        {result.error ? (
          <ErrorState error={result.error} retry={result.reload} height={HEIGHT} />
        ) : !placed ? (
          <Loading what="service graph" height={HEIGHT} />
        ) : placed.nodes.length === 0 ? (
          <Empty title={`No services sent spans in ${describeRange(spec).toLowerCase()}.`} height={HEIGHT}>
            Widen the time range, or send traffic (<code>npm start</code> runs the example system).
          </Empty>
        ) : (
          <svg
            className="graph-svg"
            viewBox={`0 0 ${placed.width} ${placed.height}`}
            width={placed.width}
            height={placed.height}
            role="img"
            aria-label="Service graph"
          >
            <defs>
              <marker
                id="arrow"
                viewBox="0 0 10 10"
                refX="9"
                refY="5"
                markerWidth="8"
                markerHeight="8"
                orient="auto-start-reverse"
              >
                <path d="M 0 0 L 10 5 L 0 10 z" className="arrow-head" />
              </marker>
            </defs>
            {placed.edges.map(({ edge, points, labelX, labelY }) => (
              <g
                key={`${edge.client}>${edge.server}`}
                className={edge.errorCount > 0 ? 'edge has-errors' : 'edge'}
                onClick={() => searchFor(edgeQ(edge))}
                data-testid="graph-edge"
              >
                <polyline points={points.map((p) => `${p.x},${p.y}`).join(' ')} markerEnd="url(#arrow)" />
                <text x={labelX} y={labelY - 6} textAnchor="middle">
                  {formatRate(edge.rate)} · {formatPercent(edge.errorRatio)} err
                </text>
                <text x={labelX} y={labelY + 10} textAnchor="middle">
                  p99 {formatDuration(edge.latencyNanos.p99 / 1e6)}
                </text>
                <title>{`${edge.client} → ${edge.server}: ${edge.requestCount} requests, ${edge.errorCount} errors. Click to search these calls.`}</title>
              </g>
            ))}
            {placed.nodes.map(({ node, x, y, width, height }) => (
              <g
                key={node.service}
                className="node"
                onClick={() => searchFor(serviceQ(node.service))}
                data-testid="graph-node"
                data-service={node.service}
              >
                <rect
                  x={x - width / 2}
                  y={y - height / 2}
                  width={width}
                  height={height}
                  rx={8}
                  className={node.errorCount > 0 ? 'has-errors' : undefined}
                />
                <text x={x} y={y - 4} textAnchor="middle" className="node-name">
                  {node.service}
                </text>
                <text x={x} y={y + 14} textAnchor="middle" className="node-figures">
                  {formatRate(node.rate)} · {formatPercent(node.errorRatio)} err
                </text>
                <title>{`${node.service}: ${node.requestCount} requests, ${node.errorCount} errors. Click to search its traces.`}</title>
              </g>
            ))}
          </svg>
        )}
      </section>
    </div>
  );
}
