import { SPAN_ROW_FIELDS } from '../reader/span-row-select.js';
import { TRACES_TTL_FIELD } from './collector-traces-schema.js';
import type { ColumnDef } from './table-parts.js';

/**
 * `tracehouse_trace_spans`: every span again, ordered by trace id, as one JSON row. Trace by id
 * is the read users wait on (opening a trace in Grafana, Jaeger UI or our UI), and
 * `otel_traces`, sorted by service and span name as the collector's schema requires, spreads a
 * trace over many granules of ~45 columns each: ~100 ms a trace at 10 M spans. Here a trace is
 * one granule of one column: ~5 ms. The price, measured: ~30 bytes a span on disk, and the
 * view's formatting at insert (ClickHouse's threads, not Node's).
 *
 * Each row is a JSON array whose first value is its layout version. A view, once created, keeps
 * its SELECT, so a new layout is a new migration replacing the view, and the reader keeps reading
 * every older layout (rows stay until the TTL drops them).
 *
 * - Layout 1 (migration 4): SPAN_ROW_FIELDS' values in their order, names frozen below.
 * - Layout 2 (migration 6): only what most spans have, in the order of TRACE_SPANS_LAYOUT_2; the
 *   events, the links, and the rarely set resource and scope fields are each one value, `0` when
 *   all empty; no trace id (the reader knows it). Half the JSON of layout 1 and half the parsing
 *   time, which is what a 100,000-span trace waits on.
 * - Layout 3 (migration 7): not JSON but bytes written by Node, not by a view: the marker byte
 *   TRACE_SPANS_LAYOUT_3_MARKER (a JSON row starts with `[`, so the two never mix up), then the
 *   span as OTLP protobuf, an `ExportTraceServiceRequest` of that one span under its resource and
 *   scope, schema URLs kept (store/rows/encode-trace-span-rows.ts). The store exporter inserts
 *   these rows itself beside the `otel_traces` rows: the view's formatting cost ClickHouse ~20 µs
 *   a span of CPU, the plain insert of these rows ~9 µs (bench/RESULTS.md), and ClickHouse's CPU
 *   is what limits sustained ingest. Readers get these rows as base64 text
 *   (TRACE_SPANS_READ_SELECT) and decode them with the OTLP decoder.
 */
export const TRACE_SPANS_TABLE = 'tracehouse_trace_spans';
export const TRACE_SPANS_VIEW = 'tracehouse_trace_spans_mv';

/** The first byte of a layout-3 row: its version, never `[` (0x5b), which starts layouts 1 and 2. */
export const TRACE_SPANS_LAYOUT_3_MARKER = 0x03;

/**
 * `Span` as the readers select it, binary-safe in text output: JSON rows (layouts 1 and 2) as
 * they are, layout-3 rows in base64 (which never starts with `[` and holds no tab or newline, so
 * TabSeparatedRaw stays one row a line).
 */
export const TRACE_SPANS_READ_SELECT = "if(startsWith(Span, '['), Span, base64Encode(Span))";

/**
 * Each stored row once, whatever the read: `LIMIT 1 BY Span` after the WHERE. A sender that sends
 * a request again because its answer never came (a timeout, a connection cut after the
 * write-ahead log took it) has its spans stored twice, byte for byte the same row in every layout;
 * a trace shows each once, as Tempo's and Jaeger's trace readers do.
 */
export const DISTINCT_TRACE_SPAN_ROWS = 'LIMIT 1 BY Span';

/** The copy's columns as an INSERT's structure (a replay's work table). */
export const TRACE_SPANS_STRUCTURE = 'TraceId String, Timestamp DateTime64(9), Span String';

/** The names of layout 1's values after the version, frozen: the reader maps positions by them. */
export const TRACE_SPANS_LAYOUT_1: readonly string[] = SPAN_ROW_FIELDS.map((field) => field.name);

const field = (name: string): string => {
  const found = SPAN_ROW_FIELDS.find((f) => f.name === name);
  if (!found) throw new Error(`no span row field ${name}`);
  return found.sql;
};

export const TRACE_SPANS_LAYOUT_2 = {
  head: [
    'start',
    'duration',
    'SpanId',
    'ParentSpanId',
    'TraceState',
    'SpanName',
    'SpanKind',
    'ServiceName',
    'resourceKeys',
    'resourceValues',
    'ScopeName',
    'ScopeVersion',
    'spanKeys',
    'spanValues',
    'StatusCode',
    'StatusMessage',
    'Flags',
    'SpanAttributeTypes',
    'SpanAttributeAnyValues',
    'DroppedAttributesCount',
    'DroppedEventsCount',
    'DroppedLinksCount',
  ],
  events: [
    'eventTimes',
    'eventNames',
    'eventKeys',
    'eventValues',
    'EventsAttributeTypes',
    'EventsAttributeAnyValues',
    'EventsDroppedAttributesCount',
  ],
  links: [
    'linkTraceIds',
    'linkSpanIds',
    'linkTraceStates',
    'linkKeys',
    'linkValues',
    'LinksFlags',
    'LinksAttributeTypes',
    'LinksAttributeAnyValues',
    'LinksDroppedAttributesCount',
  ],
  resourceAndScope: [
    'ResourceSchemaUrl',
    'ResourceAttributeTypes',
    'ResourceAttributeAnyValues',
    'ResourceDroppedAttributesCount',
    'ScopeSchemaUrl',
    'scopeKeys',
    'scopeValues',
    'ScopeAttributeTypes',
    'ScopeAttributeAnyValues',
    'ScopeDroppedAttributesCount',
  ],
} as const;

/** True when a span has none of the resource-and-scope group's values (most spans). */
const NO_RESOURCE_AND_SCOPE_VALUES =
  "ResourceSchemaUrl = '' AND empty(ResourceAttributeTypes) AND empty(ResourceAttributeAnyValues) AND " +
  "ResourceDroppedAttributesCount = 0 AND ScopeSchemaUrl = '' AND empty(ScopeAttributes) AND " +
  'empty(ScopeAttributeTypes) AND empty(ScopeAttributeAnyValues) AND ScopeDroppedAttributesCount = 0';

/**
 * A row of layout 2: `[2, head values…, events, links, resource and scope]`, each group a JSON
 * array of its values or `0` when all are empty (then the reader uses defaults), built with
 * `concat`, a column at a time (formatRow formats row by row and costs more at insert). `json`
 * writes one value, given its name and the expression computing it, as JSON text: the view uses
 * toJSONString; bench/trace-spans-view-selects.ts tries other ways at the same layout.
 */
export function layout2Row(json: (name: string, sql: string) => string): string {
  const values = (names: readonly string[]): string =>
    names.map((name) => json(name, field(name))).join(", ',', ");
  const group = (empty: string, names: readonly string[]): string =>
    `if(${empty}, '0', concat('[', ${values(names)}, ']'))`;
  const { head, events, links, resourceAndScope } = TRACE_SPANS_LAYOUT_2;
  return (
    `concat('[2,', ${values(head)}, ',', ` +
    `${group('empty(`Events.Timestamp`)', events)}, ',', ` +
    `${group('empty(`Links.TraceId`)', links)}, ',', ` +
    `${group(NO_RESOURCE_AND_SCOPE_VALUES, resourceAndScope)}, ']')`
  );
}

export const TRACE_SPANS_COLUMNS: readonly ColumnDef[] = [
  { name: 'TraceId', type: 'String', codec: 'ZSTD(1)' },
  { name: 'Timestamp', type: 'DateTime64(9)', codec: 'Delta(8), ZSTD(1)' },
  { name: 'Span', type: 'String', codec: 'ZSTD(1)' },
];
export const TRACE_SPANS_PARTITION_BY = 'toDate(Timestamp)';
export const TRACE_SPANS_ORDER_BY = '(TraceId, Timestamp)';
export const TRACE_SPANS_TTL_FIELD = TRACES_TTL_FIELD;
/**
 * Small granules: a trace read decompresses one granule of JSON rows, so fewer rows a granule
 * means less work per read; the sparse index stays small (a 32-character key per 256 rows).
 */
export const TRACE_SPANS_SETTINGS = 'index_granularity = 256, ttl_only_drop_parts = 1';

/** The view's SELECT of layout 1 (migration 4). */
export const TRACE_SPANS_VIEW_SELECT_1 =
  `TraceId, Timestamp, formatRowNoNewline('JSONCompactEachRow', 1, ` +
  `${SPAN_ROW_FIELDS.map((f) => f.sql).join(', ')}) AS Span`;
/**
 * The view's SELECT of layout 2 (migration 6); since migration 7 no view writes it, but a replay
 * of a write-ahead-log record written before layout 3 (no copy rows in it) makes its rows with it.
 */
export const TRACE_SPANS_VIEW_SELECT = `TraceId, Timestamp, ${layout2Row((_, sql) => `toJSONString(${sql})`)} AS Span`;
export const TRACE_SPANS_VIEW_WHERE = "TraceId != ''";

/** Positions (1-based, the layout version first) of a value in each layout's JSON array. */
const LAYOUT_POSITIONS: readonly (readonly [version: number, names: readonly string[]])[] = [
  [1, TRACE_SPANS_LAYOUT_1],
  [2, TRACE_SPANS_LAYOUT_2.head],
];

/**
 * The span id and kind of a stored row (`Span`), whatever its layout, as `SpanId` and `SpanKind`
 * hold them: with the trace id and start, what tells one span from another when rows of
 * different layouts are compared (a replay across a layout change).
 */
export const TRACE_SPANS_IDENTITY_SELECT = (['SpanId', 'SpanKind'] as const)
  .map((name) => {
    const branches = LAYOUT_POSITIONS.map(
      ([version, names]) =>
        `JSONExtractUInt(Span, 1) = ${version}, JSONExtractString(Span, ${names.indexOf(name) + 2})`,
    );
    return `multiIf(${branches.join(', ')}, '') AS stored${name}`;
  })
  .join(', ');
