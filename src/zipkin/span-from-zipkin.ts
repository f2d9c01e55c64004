import type { AnyValue, KeyValue } from '../model/attributes.js';
import type { Span, SpanEvent } from '../model/span.js';
import { annotationToEvent } from './annotation-events.js';
import { putEndpointAttributes } from './endpoint-attributes.js';
import { takeLinkTags } from './link-tags.js';
import { kindFromZipkin } from './span-kind.js';
import { takeStatusTags } from './status-tags.js';
import {
  ATTR_HTTP_STATUS_CODE,
  ATTR_START_TIME_ABSENT,
  isNonSpanTag,
  TAG_HTTP_STATUS_CODE_OLD,
  TAG_TRACE_STATE,
} from './zipkin-tag-keys.js';
import type { ZipkinSpan } from './zipkin-span.js';
import { microsToNanos } from './zipkin-time.js';

const ZERO_SPAN_ID = '0000000000000000';

/**
 * One checked Zipkin span as a model span, following the Collector's zipkinv2 `ToTranslator`
 * (without `ParseStringTags`: tag values stay strings). `index` is the span's place in the body,
 * for error messages.
 */
export function spanFromZipkin(zspan: ZipkinSpan, index: number): Span {
  const tags = new Map<string, string>(zspan.tags === undefined ? undefined : Object.entries(zspan.tags));

  const traceState = tags.get(TAG_TRACE_STATE);
  if (traceState !== undefined) tags.delete(TAG_TRACE_STATE);
  // The Collector ignores a parent id equal to the span's own id; a zero id is no id.
  const parentId = zspan.parentId;
  const hasParent = parentId !== undefined && parentId !== zspan.id && parentId !== ZERO_SPAN_ID;
  const kind = kindFromZipkin(zspan.kind, tags);
  const status = takeStatusTags(tags);
  const links = takeLinkTags(tags, index);

  const attributes = new Map<string, AnyValue>();
  for (const [key, value] of tags) {
    // Resource and scope tags went to the resource and scope (from the first span of each group).
    if (isNonSpanTag(key)) continue;
    attributes.set(key === TAG_HTTP_STATUS_CODE_OLD ? ATTR_HTTP_STATUS_CODE : key, value);
  }
  putEndpointAttributes(zspan, attributes);

  // Zipkin allows an absent timestamp ("incomplete" spans); the Collector then starts the span at
  // the epoch and flags it, so that its exporter can leave the timestamp out again.
  const duration = zspan.duration === undefined ? 0n : microsToNanos(zspan.duration);
  let start = 0n;
  if (zspan.timestamp === undefined || zspan.timestamp === 0) attributes.set(ATTR_START_TIME_ABSENT, true);
  else start = microsToNanos(zspan.timestamp);

  const events: SpanEvent[] = [];
  if (zspan.annotations !== undefined)
    for (const annotation of zspan.annotations) events.push(annotationToEvent(annotation));

  return {
    // 64-bit trace ids are left-padded to OTLP's 128 bits (the high half is zero).
    traceId: zspan.traceId.padStart(32, '0'),
    spanId: zspan.id,
    traceState: traceState ?? '',
    parentSpanId: hasParent ? parentId : '',
    flags: 0,
    name: zspan.name ?? '',
    kind,
    startTimeUnixNano: start,
    endTimeUnixNano: start + duration,
    attributes: toKeyValues(attributes),
    droppedAttributesCount: 0,
    events,
    droppedEventsCount: 0,
    links,
    droppedLinksCount: 0,
    status,
  };
}

function toKeyValues(attributes: Map<string, AnyValue>): KeyValue[] {
  const keyValues: KeyValue[] = [];
  for (const [key, value] of attributes) keyValues.push({ key, value });
  return keyValues;
}
