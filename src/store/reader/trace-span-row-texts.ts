import type { ClickHouseDriver } from '../driver/clickhouse-driver.js';
import {
  DISTINCT_TRACE_SPAN_ROWS,
  TRACE_SPANS_READ_SELECT,
  TRACE_SPANS_TABLE,
} from '../schema/trace-spans-schema.js';
import type { CopyTrustedFrom } from './trusted-copy.js';
import { copyUnread, trustedCopyCondition, trustedCopyParams } from './trusted-copy.js';

/** Trace ids a query names at most: a search's hundreds of ids in a few queries of bounded text. */
const TRACE_IDS_PER_QUERY = 500;

/**
 * The stored span rows of several traces, read from the trace-id-ordered spans table in one query
 * per TRACE_IDS_PER_QUERY ids instead of one query per trace (each costs ~5 ms of planning and
 * reading a granule): per trace id, the text of each of its rows (the `Span` that
 * forEachTraceSpanRow reads, one a line). A trace with no row in that table is absent from the
 * map, as is one the copy may not hold whole (`copyFrom`, trusted-copy.ts): the caller reads those
 * alone. `rowsPerTrace`, when given, caps each trace's rows (`LIMIT … BY`), so a trace past a span
 * limit is told apart by reading one row more than the limit, never the whole trace.
 */
export async function readTraceSpanRowTexts(
  driver: ClickHouseDriver,
  database: string,
  traceIds: readonly string[],
  rowsPerTrace: number | undefined,
  copyFrom: CopyTrustedFrom,
): Promise<Map<string, string[]>> {
  const lines = new Map<string, string[]>();
  if (copyUnread(copyFrom)) return lines;
  const limitBy = rowsPerTrace === undefined ? '' : '\n     LIMIT {rowsPerTrace:UInt64} BY TraceId';
  for (let from = 0; from < traceIds.length; from += TRACE_IDS_PER_QUERY) {
    // TabSeparatedRaw: the id is hex, the JSON text escapes every tab and newline it holds and
    // base64 has none, so the first tab of a line ends the id and each line is one row.
    const text = await driver.text(
      `SELECT TraceId, ${TRACE_SPANS_READ_SELECT}
     FROM (SELECT TraceId, Span FROM ${database}.${TRACE_SPANS_TABLE}
       WHERE TraceId IN {traceIds:Array(String)}${trustedCopyCondition(database, copyFrom, 'IN {traceIds:Array(String)}')}
       ${DISTINCT_TRACE_SPAN_ROWS}, TraceId)${limitBy}
     FORMAT TabSeparatedRaw`,
      {
        traceIds: traceIds.slice(from, from + TRACE_IDS_PER_QUERY),
        ...(rowsPerTrace === undefined ? {} : { rowsPerTrace }),
        ...trustedCopyParams(copyFrom),
      },
    );
    for (let at = 0; at < text.length;) {
      const newline = text.indexOf('\n', at);
      const end = newline === -1 ? text.length : newline;
      const tab = text.indexOf('\t', at);
      if (tab !== -1 && tab < end) {
        const traceId = text.slice(at, tab);
        const rows = lines.get(traceId);
        const row = text.slice(tab + 1, end);
        if (rows) rows.push(row);
        else lines.set(traceId, [row]);
      }
      at = end + 1;
    }
  }
  return lines;
}
