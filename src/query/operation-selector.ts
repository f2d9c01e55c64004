import type { SpanKindName } from './span-kinds.js';
import { storedSpanKinds } from './span-kinds.js';
import type { SqlCondition, TimeRange } from './span-query.js';
import { allOf, rangeCondition } from './span-query.js';

/** Which spans a read covers; every field narrows, none means every span of the range. */
export interface OperationSelector {
  service?: string;
  spanName?: string;
  spanKind?: SpanKindName;
  /** A condition from the TraceQL compiler. */
  filter?: SqlCondition;
}

/**
 * The range and the selector as one condition. `ServiceName` and `SpanName` lead the sort key, so
 * a service (and name) narrows the read to its own granules.
 */
export function selectorCondition(range: TimeRange, selector: OperationSelector): SqlCondition {
  return allOf(
    rangeCondition(range),
    selector.service === undefined
      ? undefined
      : { sql: 'ServiceName = {opService:String}', params: { opService: selector.service } },
    selector.spanName === undefined
      ? undefined
      : { sql: 'SpanName = {opSpanName:String}', params: { opSpanName: selector.spanName } },
    selector.spanKind === undefined
      ? undefined
      : {
          sql: 'SpanKind IN {opSpanKinds:Array(String)}',
          params: { opSpanKinds: storedSpanKinds(selector.spanKind) },
        },
    selector.filter,
  );
}
