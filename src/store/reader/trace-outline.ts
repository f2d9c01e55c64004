import type { SpanOutline } from '../../otlp/protobuf/decode-span-outline.js';
import type { ClickHouseDriver, QueryParams } from '../driver/clickhouse-driver.js';
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from '../rows/encode-span-rows.js';
import {
  DISTINCT_TRACE_SPAN_ROWS,
  TRACE_SPANS_LAYOUT_2,
  TRACE_SPANS_TABLE,
} from '../schema/trace-spans-schema.js';
import { decodeLayout3Outline } from './layout-3-row.js';
import type { CopyTrustedFrom } from './trusted-copy.js';
import { copyUnread, trustedCopyCondition, trustedCopyParams } from './trusted-copy.js';

/**
 * What a trace view's first frame needs of every span, as columns in stored order: times as
 * decimal nanosecond text, kind and status as their stored names (span-row-codes.ts).
 */
export interface TraceOutline {
  start: string[];
  duration: string[];
  spanId: string[];
  parentSpanId: string[];
  name: string[];
  kind: string[];
  service: string[];
  statusCode: string[];
}

type OutlineField = keyof TraceOutline;

/** Each outline column and the layout-2 head value it is read from. */
const FIELDS: readonly (readonly [OutlineField, (typeof TRACE_SPANS_LAYOUT_2.head)[number]])[] = [
  ['start', 'start'],
  ['duration', 'duration'],
  ['spanId', 'SpanId'],
  ['parentSpanId', 'ParentSpanId'],
  ['name', 'SpanName'],
  ['kind', 'SpanKind'],
  ['service', 'ServiceName'],
  ['statusCode', 'StatusCode'],
];

/** Head values that are arrays in the stored row (the rest are strings). */
const ARRAY_VALUES: ReadonlySet<string> = new Set([
  'resourceKeys',
  'resourceValues',
  'spanKeys',
  'spanValues',
]);

/**
 * ClickHouse parses each stored JSON row once, into a tuple of the layout's leading values up to
 * the last one the outline reads (the version first). Positions come from TRACE_SPANS_LAYOUT_2, so
 * the two cannot drift apart; a row of another layout is told by its version and not trusted.
 */
function outlineExtract(): { tuple: string; elements: string } {
  const head: readonly string[] = TRACE_SPANS_LAYOUT_2.head;
  const positions = FIELDS.map(([, stored]) => head.indexOf(stored));
  const last = Math.max(...positions);
  const types = [
    'UInt8',
    ...head.slice(0, last + 1).map((name) => (ARRAY_VALUES.has(name) ? 'Array(String)' : 'String')),
  ];
  // Tuple elements are 1-based and the version is the first: head value i is element i + 2.
  const elements = FIELDS.map(([name], f) => `t.${positions[f] + 2} AS ${name}`).join(', ');
  return { tuple: `Tuple(${types.join(', ')})`, elements: `t.1 AS version, ${elements}` };
}

const EXTRACT = outlineExtract();

/**
 * Reads the trace's outline from the trace-id-ordered spans table, which is what a 100,000-span
 * trace's first frame waited on: of layout-3 rows (protobuf) Node reads only the few values the
 * first frame needs (decode-span-outline.ts); of JSON rows ClickHouse extracts them (a third of
 * the stored JSON; Node parses no row). Layout-3 rows come first: the order is not the stored
 * one. Undefined when the table holds no span of the trace, or holds one in layout 1: the caller
 * then reads the whole trace, as it does for a trace the copy may not hold whole (`copyFrom`,
 * trusted-copy.ts). `limit` caps the rows of each layout.
 */
export async function readTraceOutline(
  driver: ClickHouseDriver,
  database: string,
  traceId: string,
  range: { start: number; end: number } | undefined,
  limit: number | undefined,
  copyFrom: CopyTrustedFrom,
): Promise<TraceOutline | undefined> {
  if (copyUnread(copyFrom)) return undefined;
  const params: QueryParams = {
    traceId,
    ...range,
    ...(limit === undefined ? {} : { limit }),
    ...trustedCopyParams(copyFrom),
  };
  const trusted = trustedCopyCondition(database, copyFrom, '= {traceId:String}');
  const rows = (where: string): string =>
    `FROM ${database}.${TRACE_SPANS_TABLE}
     WHERE TraceId = {traceId:String}${where}${range ? IN_RANGE : ''}${trusted}
     ${DISTINCT_TRACE_SPAN_ROWS}${limit === undefined ? '' : ' LIMIT {limit:UInt64}'}`;
  // Layout-3 rows (protobuf) first, as base64 lines, an empty line for each JSON row: Node reads
  // the outline's values of those itself. (Inside JSON output, 100,000 rows of base64 cost more
  // to parse than the protobuf they hold.)
  const lines = await driver.text(
    `SELECT if(startsWith(Span, '['), '', base64Encode(Span)) ${rows('')} FORMAT TabSeparatedRaw`,
    params,
  );
  const outline: TraceOutline = {
    start: [],
    duration: [],
    spanId: [],
    parentSpanId: [],
    name: [],
    kind: [],
    service: [],
    statusCode: [],
  };
  let jsonRows = 0;
  for (let at = 0; at < lines.length;) {
    const newline = lines.indexOf('\n', at);
    const end = newline === -1 ? lines.length : newline;
    if (end === at) jsonRows++;
    else addLayout3Outline(outline, decodeLayout3Outline(lines.slice(at, end)));
    at = end + 1;
  }
  if (jsonRows > 0 && !(await addJsonOutlines(driver, outline, rows(" AND startsWith(Span, '[')"), params)))
    return undefined;
  return outline.spanId.length === 0 ? undefined : outline;
}

const IN_RANGE =
  ' AND Timestamp >= toDateTime64({start:Int64}, 9) AND Timestamp < toDateTime64({end:Int64} + 1, 9)';

/**
 * Appends the outline of the JSON rows `rows` selects, as ClickHouse extracts it; false when one
 * of them is in layout 1 (not trusted: the caller reads the whole trace).
 */
async function addJsonOutlines(
  driver: ClickHouseDriver,
  outline: TraceOutline,
  rows: string,
  params: QueryParams,
): Promise<boolean> {
  const text = await driver.text(
    `SELECT ${EXTRACT.elements}
     FROM (SELECT JSONExtract(Span, '${EXTRACT.tuple}') AS t ${rows})
     FORMAT JSONCompactColumns`,
    params,
  );
  // JSONCompactColumns writes no column at all for no rows: `[]`.
  const [version, ...columns] = JSON.parse(text) as [number[]?, ...string[][]];
  if (version === undefined || version.some((v) => v !== 2)) return false;
  FIELDS.forEach(([name], f) => {
    for (const value of columns[f]) outline[name].push(value);
  });
  return true;
}

/** A layout-3 row's outline values, as a read of `otel_traces` gives them. */
function addLayout3Outline(outline: TraceOutline, span: SpanOutline): void {
  const duration = span.endTimeUnixNano - span.startTimeUnixNano;
  outline.start.push(span.startTimeUnixNano.toString());
  outline.duration.push(duration > 0n ? duration.toString() : '0');
  outline.spanId.push(span.spanId);
  outline.parentSpanId.push(span.parentSpanId);
  outline.name.push(span.name);
  outline.kind.push(SPAN_KIND_NAMES[span.kind] ?? SPAN_KIND_NAMES[0]);
  outline.service.push(span.service);
  outline.statusCode.push(STATUS_CODE_NAMES[span.statusCode] ?? STATUS_CODE_NAMES[0]);
}
