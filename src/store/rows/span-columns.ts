import type { NamedNativeColumn } from '../native/native-block.js';
import { nativeColumnHeaders } from '../native/native-block.js';
import type { NativeColumn } from '../native/native-columns.js';
import { ArrayColumn, ArrayOfMapsColumn, MapColumn, ScalarColumn } from '../native/native-columns.js';
import { SPAN_ROW_COLUMNS } from './span-row-columns.js';

/**
 * The writers of every `otel_traces` column the store fills, one field each, reused from batch to
 * batch (encoding is synchronous, so one set serves the whole process).
 */
export class SpanColumns {
  readonly timestamp = new ScalarColumn();
  readonly traceId = new ScalarColumn();
  readonly spanId = new ScalarColumn();
  readonly parentSpanId = new ScalarColumn();
  readonly traceState = new ScalarColumn();
  readonly spanName = new ScalarColumn();
  readonly spanKind = new ScalarColumn();
  readonly serviceName = new ScalarColumn();
  readonly resourceAttributes = new MapColumn();
  readonly scopeName = new ScalarColumn();
  readonly scopeVersion = new ScalarColumn();
  readonly spanAttributes = new MapColumn();
  readonly duration = new ScalarColumn();
  readonly statusCode = new ScalarColumn();
  readonly statusMessage = new ScalarColumn();
  readonly eventTimestamps = new ArrayColumn();
  readonly eventNames = new ArrayColumn();
  readonly eventAttributes = new ArrayOfMapsColumn();
  readonly linkTraceIds = new ArrayColumn();
  readonly linkSpanIds = new ArrayColumn();
  readonly linkTraceStates = new ArrayColumn();
  readonly linkAttributes = new ArrayOfMapsColumn();
  readonly resourceSchemaUrl = new ScalarColumn();
  readonly resourceAttributeTypes = new MapColumn();
  readonly resourceAttributeAnyValues = new MapColumn();
  readonly resourceDroppedAttributesCount = new ScalarColumn();
  readonly scopeSchemaUrl = new ScalarColumn();
  readonly scopeAttributes = new MapColumn();
  readonly scopeAttributeTypes = new MapColumn();
  readonly scopeAttributeAnyValues = new MapColumn();
  readonly scopeDroppedAttributesCount = new ScalarColumn();
  readonly flags = new ScalarColumn();
  readonly spanAttributeTypes = new MapColumn();
  readonly spanAttributeAnyValues = new MapColumn();
  readonly droppedAttributesCount = new ScalarColumn();
  readonly droppedEventsCount = new ScalarColumn();
  readonly droppedLinksCount = new ScalarColumn();
  readonly eventAttributeTypes = new ArrayOfMapsColumn();
  readonly eventAttributeAnyValues = new ArrayOfMapsColumn();
  readonly eventDroppedAttributesCounts = new ArrayColumn();
  readonly linkFlags = new ArrayColumn();
  readonly linkAttributeTypes = new ArrayOfMapsColumn();
  readonly linkAttributeAnyValues = new ArrayOfMapsColumn();
  readonly linkDroppedAttributesCounts = new ArrayColumn();

  /** The columns in SPAN_ROW_COLUMNS order, with the types the Native block declares. */
  readonly named: readonly NamedNativeColumn[] = this.inTableOrder();
  readonly headers = nativeColumnHeaders(this.named);

  reset(): void {
    for (const { column } of this.named) column.reset();
  }

  private inTableOrder(): NamedNativeColumn[] {
    const byName = this.byName();
    return SPAN_ROW_COLUMNS.map(([name, type]) => {
      const column = byName[name];
      if (column === undefined) throw new Error(`no writer for span row column ${name}`);
      return { name, type: nativeType(type), column };
    });
  }

  private byName(): Record<string, NativeColumn | undefined> {
    return {
      Timestamp: this.timestamp,
      TraceId: this.traceId,
      SpanId: this.spanId,
      ParentSpanId: this.parentSpanId,
      TraceState: this.traceState,
      SpanName: this.spanName,
      SpanKind: this.spanKind,
      ServiceName: this.serviceName,
      ResourceAttributes: this.resourceAttributes,
      ScopeName: this.scopeName,
      ScopeVersion: this.scopeVersion,
      SpanAttributes: this.spanAttributes,
      Duration: this.duration,
      StatusCode: this.statusCode,
      StatusMessage: this.statusMessage,
      'Events.Timestamp': this.eventTimestamps,
      'Events.Name': this.eventNames,
      'Events.Attributes': this.eventAttributes,
      'Links.TraceId': this.linkTraceIds,
      'Links.SpanId': this.linkSpanIds,
      'Links.TraceState': this.linkTraceStates,
      'Links.Attributes': this.linkAttributes,
      ResourceSchemaUrl: this.resourceSchemaUrl,
      ResourceAttributeTypes: this.resourceAttributeTypes,
      ResourceAttributeAnyValues: this.resourceAttributeAnyValues,
      ResourceDroppedAttributesCount: this.resourceDroppedAttributesCount,
      ScopeSchemaUrl: this.scopeSchemaUrl,
      ScopeAttributes: this.scopeAttributes,
      ScopeAttributeTypes: this.scopeAttributeTypes,
      ScopeAttributeAnyValues: this.scopeAttributeAnyValues,
      ScopeDroppedAttributesCount: this.scopeDroppedAttributesCount,
      Flags: this.flags,
      SpanAttributeTypes: this.spanAttributeTypes,
      SpanAttributeAnyValues: this.spanAttributeAnyValues,
      DroppedAttributesCount: this.droppedAttributesCount,
      DroppedEventsCount: this.droppedEventsCount,
      DroppedLinksCount: this.droppedLinksCount,
      EventsAttributeTypes: this.eventAttributeTypes,
      EventsAttributeAnyValues: this.eventAttributeAnyValues,
      EventsDroppedAttributesCount: this.eventDroppedAttributesCounts,
      LinksFlags: this.linkFlags,
      LinksAttributeTypes: this.linkAttributeTypes,
      LinksAttributeAnyValues: this.linkAttributeAnyValues,
      LinksDroppedAttributesCount: this.linkDroppedAttributesCounts,
    };
  }
}

/**
 * The type a block declares for a column: LowCardinality is how the table stores a string, not
 * how it travels; plain strings are simpler to write and ClickHouse converts them on insert.
 */
function nativeType(tableType: string): string {
  return tableType.replaceAll('LowCardinality(String)', 'String');
}
