import type { QueryParams } from '../driver/clickhouse-driver.js';
import { TRACE_ID_TS_TABLE } from '../schema/collector-traces-schema.js';
import type { CopyTrustedFrom } from '../schema/trace-copy-changes.js';

export type { CopyTrustedFrom };

/**
 * The condition a read of the copy adds so that a trace with a span in `otel_traces` starting
 * before `trustedFrom` (trace-copy-changes.ts) is left out, to be read from `otel_traces` as a
 * trace without copy rows is. Asked of the trace-id lookup table, which every span stored reaches,
 * copy rows or not: a trace whose early spans were stored without the copy is found however late
 * its other spans came. `ids` selects the traces read: `= {traceId:String}` or
 * `IN {traceIds:Array(String)}`. Nothing to add when the copy has no gap (0). GLOBAL: behind a
 * Distributed table the subquery runs once, on the node that reads.
 */
export function trustedCopyCondition(database: string, trustedFrom: CopyTrustedFrom, ids: string): string {
  if (trustedFrom === 0) return '';
  return (
    `\n         AND TraceId GLOBAL NOT IN (SELECT TraceId FROM ${database}.${TRACE_ID_TS_TABLE}` +
    ` WHERE TraceId ${ids} AND Start < toDateTime({copyTrustedFrom:Int64}))`
  );
}

/** The parameter trustedCopyCondition's SQL binds. */
export function trustedCopyParams(trustedFrom: CopyTrustedFrom): QueryParams {
  return trustedFrom === 0 ? {} : { copyTrustedFrom: trustedFrom };
}

/** Nothing may be read from the copy: every trace is read from `otel_traces`. */
export function copyUnread(trustedFrom: CopyTrustedFrom): boolean {
  return trustedFrom === Infinity;
}
