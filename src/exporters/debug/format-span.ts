import type { InstrumentationScope, Resource, Span } from '../../model/span.js';
import { formatAttributes, formatDuration, formatTimestamp } from './format-value.js';

const KIND_NAMES = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUS_NAMES = ['UNSET', 'OK', 'ERROR'];

export function kindName(kind: number): string {
  return KIND_NAMES[kind] ?? `UNKNOWN(${kind})`;
}

export function statusName(code: number): string {
  return STATUS_NAMES[code] ?? `UNKNOWN(${code})`;
}

/** One line per span: enough to follow traffic in a terminal. */
export function formatSpanLine(span: Span, resource: Resource): string {
  const service = resource.attributes.find((kv) => kv.key === 'service.name')?.value;
  const status = span.status.code === 2 ? ' ERROR' : '';
  return `${span.traceId} ${span.spanId} ${typeof service === 'string' ? service : '?'} ${JSON.stringify(span.name)} ${kindName(span.kind)} ${formatDuration(span.endTimeUnixNano - span.startTimeUnixNano)}${status}`;
}

/**
 * Every field of a span, one per line, like the console exporter of the OpenTelemetry SDKs
 * prints them in the classic tutorial: name, ids, kind, times, status, attributes, events,
 * links, resource and scope.
 */
export function formatSpanDetailed(span: Span, resource: Resource, scope: InstrumentationScope): string {
  const lines = [
    `Span ${JSON.stringify(span.name)}`,
    `    trace_id:    ${span.traceId}`,
    `    span_id:     ${span.spanId}`,
    `    parent_id:   ${span.parentSpanId === '' ? '(root)' : span.parentSpanId}`,
    `    kind:        ${kindName(span.kind)}`,
    `    start:       ${formatTimestamp(span.startTimeUnixNano)}`,
    `    end:         ${formatTimestamp(span.endTimeUnixNano)} (${formatDuration(span.endTimeUnixNano - span.startTimeUnixNano)})`,
    `    status:      ${statusName(span.status.code)}${span.status.message === '' ? '' : ` ${JSON.stringify(span.status.message)}`}`,
  ];
  if (span.traceState !== '') lines.push(`    trace_state: ${span.traceState}`);
  if (span.flags !== 0) lines.push(`    flags:       0x${span.flags.toString(16)}`);
  lines.push(`    attributes:  ${formatAttributes(span.attributes)}${dropped(span.droppedAttributesCount)}`);
  for (const event of span.events) {
    const offset = formatDuration(event.timeUnixNano - span.startTimeUnixNano);
    lines.push(
      `    event:       +${offset} ${JSON.stringify(event.name)} ${formatAttributes(event.attributes)}${dropped(event.droppedAttributesCount)}`,
    );
  }
  if (span.droppedEventsCount > 0) lines.push(`    events dropped: ${span.droppedEventsCount}`);
  for (const link of span.links) {
    lines.push(
      `    link:        ${link.traceId}/${link.spanId} ${formatAttributes(link.attributes)}${dropped(link.droppedAttributesCount)}`,
    );
  }
  if (span.droppedLinksCount > 0) lines.push(`    links dropped: ${span.droppedLinksCount}`);
  lines.push(
    `    resource:    ${formatAttributes(resource.attributes)}${dropped(resource.droppedAttributesCount)}`,
  );
  const scopeText = [scope.name, scope.version].filter((s) => s !== '').join(' ');
  lines.push(
    `    scope:       ${scopeText === '' ? '(none)' : scopeText} ${formatAttributes(scope.attributes)}`.trimEnd(),
  );
  return lines.join('\n');
}

function dropped(count: number): string {
  return count > 0 ? ` (${count} dropped)` : '';
}
