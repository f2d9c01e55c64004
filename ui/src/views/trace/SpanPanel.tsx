import { href } from '../../app/router';
import { Link } from '../../app/Link';
import type { TraceTree } from '../../trace/build-tree';
import type { KeyValueJson } from '../../trace/otlp-json';
import { valueText } from '../../trace/otlp-json';
import { serviceColor } from '../../trace/service-colors';
import { formatDuration } from '../../trace/ticks';
import type { Trace } from '../../trace/trace-model';
import { SPAN_KIND_NAMES, STATUS_ERROR, STATUS_NAMES } from '../../trace/trace-model';
import { CopyButton } from './CopyButton';

/** Everything about the selected span: attributes of span, resource and scope, events, links, ids. */
export function SpanPanel({
  trace,
  tree,
  span: index,
  onClose,
  detailsError,
}: {
  trace: Trace;
  tree: TraceTree;
  span: number;
  onClose: () => void;
  /** Set when the whole trace could not be loaded after its outline: asks for it again. */
  detailsError?: () => void;
}) {
  const span = trace.spans[index];
  const parent = tree.parent[index];
  return (
    <aside className="span-panel" aria-label="Span details" data-testid="span-panel">
      <header>
        <span className="swatch" style={{ background: serviceColor(span.serviceIndex) }} />
        <h2 title={span.name}>{span.name}</h2>
        <button className="ghost" onClick={onClose} aria-label="Close span details" title="Close (Esc)">
          ✕
        </button>
      </header>
      <dl className="kv">
        <dt>Service</dt>
        <dd>{span.service}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(span.duration)}</dd>
        <dt>Start</dt>
        <dd>+{formatDuration(span.start)} into the trace</dd>
        <dt>Kind</dt>
        <dd>{SPAN_KIND_NAMES[span.kind] ?? span.kind}</dd>
        <dt>Status</dt>
        <dd className={span.statusCode === STATUS_ERROR ? 'error-text' : undefined}>
          {STATUS_NAMES[span.statusCode] ?? span.statusCode}
          {span.statusMessage && `: ${span.statusMessage}`}
        </dd>
        <dt>Span id</dt>
        <dd className="mono">
          {span.spanId} <CopyButton text={span.spanId} label="span id" />
        </dd>
        <dt>Parent id</dt>
        <dd className="mono">
          {span.parentSpanId || '— (root)'}
          {span.parentSpanId && <CopyButton text={span.parentSpanId} label="parent span id" />}
          {tree.missingParent[index] === 1 && (
            <div className="warn-text">not in this trace: never received, or dropped</div>
          )}
          {parent !== -1 && tree.skew[index] > 0 && (
            <div className="warn-text">
              starts {formatDuration(tree.skew[index])} before its parent: clock skew between hosts (times
              shown as recorded)
            </div>
          )}
        </dd>
        {span.traceState && (
          <>
            <dt>Trace state</dt>
            <dd className="mono">{span.traceState}</dd>
          </>
        )}
      </dl>
      {trace.partial === true ? (
        <section className="details-pending" data-testid="span-details-pending">
          {detailsError === undefined ? (
            'Loading attributes, events and links…'
          ) : (
            <>
              Attributes, events and links could not be loaded. <button onClick={detailsError}>Retry</button>
            </>
          )}
        </section>
      ) : (
        <SpanDetails trace={trace} index={index} />
      )}
    </aside>
  );
}

/** The selected span's attributes (span, resource, scope), events and links: the whole trace's. */
function SpanDetails({ trace, index }: { trace: Trace; index: number }) {
  const span = trace.spans[index];
  return (
    <>
      <Attributes title="Span attributes" attributes={span.attributes} />
      <Attributes title="Resource attributes" attributes={span.resource} />
      <Attributes
        title={`Scope${span.scope.name ? `: ${span.scope.name}${span.scope.version ? ` ${span.scope.version}` : ''}` : ''}`}
        attributes={span.scope.attributes ?? []}
      />
      <section>
        <h3>Events ({span.events.length})</h3>
        {span.events.map((event, i) => (
          <div key={i} className="event">
            <div>
              <span className="mono">+{formatDuration(event.time - span.start)}</span>{' '}
              <strong>{event.name}</strong>
            </div>
            <AttributeRows attributes={event.attributes} />
          </div>
        ))}
      </section>
      <section>
        <h3>Links ({span.links.length})</h3>
        {span.links.map((link, i) => (
          <div key={i} className="link">
            <Link href={href(`/trace/${link.traceId ?? ''}`, { span: link.spanId })} data-testid="span-link">
              {link.traceId === trace.traceId ? 'this trace' : `trace ${link.traceId?.slice(0, 16)}…`}, span{' '}
              {link.spanId}
            </Link>
            <AttributeRows attributes={link.attributes ?? []} />
          </div>
        ))}
      </section>
    </>
  );
}

function Attributes({ title, attributes }: { title: string; attributes: readonly KeyValueJson[] }) {
  return (
    <section>
      <h3>
        {title} ({attributes.length})
      </h3>
      <AttributeRows attributes={attributes} />
    </section>
  );
}

function AttributeRows({ attributes }: { attributes: readonly KeyValueJson[] }) {
  if (attributes.length === 0) return null;
  return (
    <table className="attributes">
      <tbody>
        {[...attributes]
          .sort((a, b) => (a.key ?? '').localeCompare(b.key ?? ''))
          .map((kv, i) => (
            <tr key={`${kv.key}-${i}`} data-attribute={kv.key}>
              <th>{kv.key}</th>
              <td>{valueText(kv.value)}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}
