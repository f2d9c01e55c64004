import type { ClickHouseDriver, QueryParams } from '../driver/clickhouse-driver.js';
import {
  DISTINCT_TRACE_SPAN_ROWS,
  TRACE_SPANS_READ_SELECT,
  TRACE_SPANS_TABLE,
} from '../schema/trace-spans-schema.js';
import { TraceTooLargeError } from '../trace-too-large-error.js';
import type { SpanRow } from './span-row-select.js';
import { SPAN_ROW_SELECT } from './span-row-select.js';
import type { SpanRowSink } from './span-row-sink.js';
import { forEachTraceSpanRow } from './trace-span-rows.js';
import type { CopyTrustedFrom } from './trusted-copy.js';
import { copyUnread, trustedCopyCondition, trustedCopyParams } from './trusted-copy.js';

/** Unix seconds, both inclusive (TraceStore's TimeRange). */
interface SecondsRange {
  start: number;
  end: number;
}

/**
 * Feeds every stored row of the trace to `sink` and returns how many there were (0: no span of
 * it is stored). Read from the trace-id-ordered spans table (one granule of one column); a trace
 * found only in `otel_traces` (stored before that table existed, or written there by the
 * OpenTelemetry Collector's exporter, or while the copy was off) is read from there, as is every
 * trace the copy may not hold whole (`copyFrom`, trusted-copy.ts). A trace past `maxSpans` (0: no limit)
 * throws {@link TraceTooLargeError} after reading one span more than the limit, never the whole
 * trace. `database` is quoted already.
 */
export async function readTraceRows(
  driver: ClickHouseDriver,
  database: string,
  traceId: string,
  range: SecondsRange | undefined,
  maxSpans: number,
  sink: SpanRowSink<unknown>,
  copyFrom: CopyTrustedFrom,
): Promise<number> {
  // One span more than the limit tells a trace past it from one exactly at it.
  const limit: QueryParams = maxSpans > 0 ? { limit: maxSpans + 1 } : {};
  const tooLarge = (rows: number): boolean => maxSpans > 0 && rows > maxSpans;
  if (!copyUnread(copyFrom)) {
    const inRange = range
      ? '\n         AND Timestamp >= toDateTime64({start:Int64}, 9) AND Timestamp < toDateTime64({end:Int64} + 1, 9)'
      : '';
    const text = await driver.text(
      `SELECT ${TRACE_SPANS_READ_SELECT} FROM ${database}.${TRACE_SPANS_TABLE}
       WHERE TraceId = {traceId:String}${inRange}${trustedCopyCondition(database, copyFrom, '= {traceId:String}')}
       ${DISTINCT_TRACE_SPAN_ROWS}${'limit' in limit ? '\n       LIMIT {limit:UInt64}' : ''}
       FORMAT TabSeparatedRaw`,
      { traceId, ...range, ...limit, ...trustedCopyParams(copyFrom) },
    );
    sink.begin?.();
    // Counting lines first costs a scan of the text, but spares parsing a trace past the limit.
    if (maxSpans > 0 && tooLarge(countLines(text))) throw new TraceTooLargeError(traceId, maxSpans);
    const rows = await forEachTraceSpanRow(text, traceId, (row) => sink.add(row));
    if (rows > 0) return rows;
  } else sink.begin?.();
  const older = await readFromTracesTable(driver, database, traceId, range, limit);
  if (tooLarge(older.length)) throw new TraceTooLargeError(traceId, maxSpans);
  for (const row of older) sink.add(row);
  return older.length;
}

/**
 * Without a range, the trace-id time-range table (filled by a materialized view on insert)
 * narrows the scan to the partitions the trace lives in, as the collector's schema intends.
 */
async function readFromTracesTable(
  driver: ClickHouseDriver,
  database: string,
  traceId: string,
  range: SecondsRange | undefined,
  limit: QueryParams,
): Promise<SpanRow[]> {
  let bounds = range;
  if (!bounds) {
    const [found] = await driver.query<{ start: string; end: string; n: string }>(
      `SELECT toString(toUnixTimestamp(min(Start))) AS start, toString(toUnixTimestamp(max(End))) AS end, toString(count()) AS n
         FROM ${database}.otel_traces_trace_id_ts WHERE TraceId = {traceId:String}`,
      { traceId },
    );
    if (!found || found.n === '0') return [];
    bounds = { start: Number(found.start), end: Number(found.end) };
  }
  return driver.query<SpanRow>(
    `SELECT ${SPAN_ROW_SELECT}
       FROM ${database}.otel_traces
       WHERE TraceId = {traceId:String}
         AND Timestamp >= toDateTime64({start:Int64}, 9) AND Timestamp < toDateTime64({end:Int64} + 1, 9)
       ORDER BY Timestamp, SpanId
       ${DISTINCT_SPANS}${'limit' in limit ? '\n       LIMIT {limit:UInt64}' : ''}`,
    { traceId, start: bounds.start, end: bounds.end, ...limit },
  );
}

/**
 * A span sent twice (see DISTINCT_TRACE_SPAN_ROWS) once: by what tells spans apart — the two
 * halves of a Zipkin shared span have one id and two kinds — and its start.
 */
const DISTINCT_SPANS = 'LIMIT 1 BY SpanId, SpanKind, Timestamp';

/** Lines of TabSeparated output (a last line without its newline counts). */
function countLines(text: string): number {
  let lines = 0;
  let at = text.indexOf('\n');
  for (; at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return text.length > 0 && !text.endsWith('\n') ? lines + 1 : lines;
}
