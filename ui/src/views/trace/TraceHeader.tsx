import { formatDateTime } from '../../time/time-range';
import type { TraceTree } from '../../trace/build-tree';
import { serviceColor } from '../../trace/service-colors';
import { formatDuration } from '../../trace/ticks';
import type { Trace } from '../../trace/trace-model';
import { CopyButton } from './CopyButton';

/** Trace id, start, duration, services (with their colours), span count, depth, errors. */
export function TraceHeader({ trace, tree }: { trace: Trace; tree: TraceTree }) {
  const root = tree.roots.length > 0 ? trace.spans[tree.roots[0]] : undefined;
  const orphans = tree.missingParent.reduce((n, m) => n + m, 0);
  return (
    <div className="trace-header" data-testid="trace-header">
      <h1>
        {root ? (
          <>
            <span className="svc-name">{root.service}</span>: {root.name}
          </>
        ) : (
          'Empty trace'
        )}
      </h1>
      <dl className="facts">
        <div>
          <dt>Trace id</dt>
          <dd className="mono">
            {trace.traceId} <CopyButton text={trace.traceId} label="trace id" />
          </dd>
        </div>
        <div>
          <dt>Start</dt>
          <dd>{formatDateTime(trace.startUnixMs)}</dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{formatDuration(trace.duration)}</dd>
        </div>
        <div>
          <dt>Spans</dt>
          <dd data-testid="span-count">{trace.spans.length}</dd>
        </div>
        <div>
          <dt>Depth</dt>
          <dd>{trace.spans.length === 0 ? 0 : tree.maxDepth + 1}</dd>
        </div>
        <div>
          <dt>Errors</dt>
          <dd className={trace.errorCount > 0 ? 'error-text' : undefined}>{trace.errorCount}</dd>
        </div>
        {orphans > 0 && (
          <div title="Spans whose parent span is not in this trace (not received, or dropped): shown as roots of their own">
            <dt>Missing parents</dt>
            <dd className="warn-text">{orphans}</dd>
          </div>
        )}
      </dl>
      <div className="services-legend">
        {trace.services.map((service, i) => (
          <span key={service} className="legend-item">
            <span className="swatch" style={{ background: serviceColor(i) }} />
            {service || '(no service.name)'}
          </span>
        ))}
      </div>
    </div>
  );
}
