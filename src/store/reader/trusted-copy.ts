import type { QueryParams } from '../driver/clickhouse-driver.js';
import type { CopyTrustedFrom } from '../schema/trace-copy-changes.js';
import { TRACE_SPANS_TABLE } from '../schema/trace-spans-schema.js';

export type { CopyTrustedFrom };

/**
 * The condition a read of the copy adds so that a trace with a copy row starting before
 * `trustedFrom` (trace-copy-changes.ts) is left out: read from `otel_traces` instead, as a trace
 * without copy rows is. `ids` selects the traces read: `= {traceId:String}` or
 * `IN {traceIds:Array(String)}`. Nothing to add when the copy never had a gap (0). GLOBAL: behind
 * a Distributed table the subquery runs once, on the node that reads.
 */
export function trustedCopyCondition(database: string, trustedFrom: CopyTrustedFrom, ids: string): string {
  if (trustedFrom === 0) return '';
  return (
    `\n         AND TraceId GLOBAL NOT IN (SELECT TraceId FROM ${database}.${TRACE_SPANS_TABLE}` +
    ` WHERE TraceId ${ids} AND Timestamp < toDateTime64({copyTrustedFrom:Int64}, 9))`
  );
}

/** The parameter trustedCopyCondition's SQL binds. */
export function trustedCopyParams(trustedFrom: CopyTrustedFrom): QueryParams {
  return trustedFrom === 0 ? {} : { copyTrustedFrom: trustedFrom };
}

/** The copy is off: every trace is read from `otel_traces`. */
export function copyUnread(trustedFrom: CopyTrustedFrom): boolean {
  return trustedFrom === Infinity;
}
