import type { ClickHouseDriver, QueryParams } from '../driver/clickhouse-driver.js';
import { TRACE_SPANS_LAYOUT_2, TRACE_SPANS_TABLE } from '../schema/trace-spans-schema.js';

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
 * Reads the trace's outline from the trace-id-ordered spans table: ClickHouse extracts the few
 * values the first frame needs (a third of the stored JSON; Node parses no row), which is what a
 * 100,000-span trace's first frame waited on. Undefined when the table holds no span of the trace,
 * or holds one in an older layout: the caller then reads the whole trace. `limit` caps the rows.
 */
export async function readTraceOutline(
  driver: ClickHouseDriver,
  database: string,
  traceId: string,
  range: { start: number; end: number } | undefined,
  limit: number | undefined,
): Promise<TraceOutline | undefined> {
  const params: QueryParams = { traceId, ...range, ...(limit === undefined ? {} : { limit }) };
  const inRange = range
    ? ' AND Timestamp >= toDateTime64({start:Int64}, 9) AND Timestamp < toDateTime64({end:Int64} + 1, 9)'
    : '';
  const text = await driver.text(
    `SELECT ${EXTRACT.elements}
     FROM (SELECT JSONExtract(Span, '${EXTRACT.tuple}') AS t
           FROM ${database}.${TRACE_SPANS_TABLE}
           WHERE TraceId = {traceId:String}${inRange}${limit === undefined ? '' : ' LIMIT {limit:UInt64}'})
     FORMAT JSONCompactColumns`,
    params,
  );
  // JSONCompactColumns writes no column at all for no rows: `[]`.
  const [version, ...columns] = JSON.parse(text) as [number[]?, ...string[][]];
  if (version === undefined || version.length === 0 || version.some((v) => v !== 2)) return undefined;
  const outline = {} as TraceOutline;
  FIELDS.forEach(([name], f) => (outline[name] = columns[f]));
  return outline;
}
