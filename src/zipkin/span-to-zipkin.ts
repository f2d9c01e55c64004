import type { Span } from '../model/span.js';
import { eventToAnnotation } from './annotation-events.js';
import { attributeToTag } from './attribute-to-tag.js';
import { takeLocalEndpoint, takeRemoteEndpoint } from './endpoint-attributes.js';
import { linkToTag } from './link-tags.js';
import { kindToZipkin } from './span-kind.js';
import { putStatusTags } from './status-tags.js';
import {
  ATTR_HTTP_STATUS_CODE,
  ATTR_START_TIME_ABSENT,
  TAG_HTTP_STATUS_CODE_OLD,
  TAG_LINK_PREFIX,
  TAG_TRACE_STATE,
} from './zipkin-tag-keys.js';
import type { ZipkinSpan } from './zipkin-span.js';
import { durationNanosToMicros, nanosToMicros } from './zipkin-time.js';

const ZERO_HIGH_HALF = '0000000000000000';
/** zipkin-go refuses timestamps before one second after the epoch; the Collector leaves them out. */
const ONE_SECOND = 1_000_000_000n;

/**
 * One model span as a Zipkin span, following the Collector's zipkinv2 `FromTranslator`. `scopeTags`
 * are the resource and scope tags (see `scopeToTags`); the span's attributes override them.
 * Ids are written as they are: the model keeps them valid (see `removeInvalidSpans`).
 */
export function spanToZipkin(
  span: Span,
  serviceName: string | undefined,
  scopeTags: Map<string, string>,
): ZipkinSpan {
  const tags = new Map(scopeTags);
  for (const { key, value } of span.attributes) tags.set(key, attributeToTag(value));
  // The Collector adds the old name too, for Zipkin users who search by it.
  const httpStatus = tags.get(ATTR_HTTP_STATUS_CODE);
  if (httpStatus !== undefined && !tags.has(TAG_HTTP_STATUS_CODE_OLD))
    tags.set(TAG_HTTP_STATUS_CODE_OLD, httpStatus);
  // Only says that the timestamp was absent when decoded; leaving the timestamp out says it again.
  tags.delete(ATTR_START_TIME_ABSENT);
  if (span.traceState !== '') tags.set(TAG_TRACE_STATE, span.traceState);

  // zipkin-go writes a 128-bit trace id with a zero high half as a 64-bit one.
  const traceId = span.traceId.startsWith(ZERO_HIGH_HALF) ? span.traceId.slice(16) : span.traceId;
  const zspan: ZipkinSpan = { traceId, id: span.spanId };
  if (span.parentSpanId !== '') zspan.parentId = span.parentSpanId;
  const kind = kindToZipkin(span.kind, tags);
  if (kind !== undefined) zspan.kind = kind;
  if (span.name !== '') zspan.name = span.name;
  if (span.startTimeUnixNano >= ONE_SECOND) zspan.timestamp = nanosToMicros(span.startTimeUnixNano);
  if (span.endTimeUnixNano > span.startTimeUnixNano) {
    zspan.duration = durationNanosToMicros(span.endTimeUnixNano - span.startTimeUnixNano);
  }
  const localEndpoint = takeLocalEndpoint(tags, serviceName);
  if (localEndpoint !== undefined) zspan.localEndpoint = localEndpoint;
  const remoteEndpoint = takeRemoteEndpoint(tags);
  if (remoteEndpoint !== undefined) zspan.remoteEndpoint = remoteEndpoint;
  if (span.events.length > 0) zspan.annotations = span.events.map(eventToAnnotation);

  putStatusTags(span.status, tags);
  for (let i = 0; i < span.links.length; i++) tags.set(`${TAG_LINK_PREFIX}${i}`, linkToTag(span.links[i]));
  if (tags.size > 0) zspan.tags = Object.fromEntries(tags);
  return zspan;
}
