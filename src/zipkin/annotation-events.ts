import type { SpanEvent } from '../model/span.js';
import { attributesToJson, jsonToAttributes } from './json-attributes.js';
import type { ZipkinAnnotation } from './zipkin-span.js';
import { microsToNanos, nanosToMicros } from './zipkin-time.js';

/**
 * Span events ⇄ Zipkin annotations. Zipkin annotations carry only a timestamp and a string, so the
 * Collector's zipkin translator writes an event with attributes as
 * `name|{"attribute":"json"}|droppedAttributesCount` and reads that form back.
 */

const MAX_UINT32 = 0xffff_ffff;
const DIGITS = /^\d+$/;

/**
 * An annotation as an event. The `name|json|dropped` form is split as the Collector splits it (name
 * up to the first `|`, count after the last). Where the Collector would keep only the text before
 * the first `|` of any other value, or reject the whole request when the middle is not JSON, the
 * whole value is kept here as the event name: Zipkin annotations are free text.
 */
export function annotationToEvent(annotation: ZipkinAnnotation): SpanEvent {
  const event: SpanEvent = {
    timeUnixNano: microsToNanos(annotation.timestamp),
    name: annotation.value,
    attributes: [],
    droppedAttributesCount: 0,
  };
  const value = annotation.value;
  const first = value.indexOf('|');
  const last = value.lastIndexOf('|');
  if (first < 0 || first === last) return event;
  const dropped = value.slice(last + 1);
  if (!DIGITS.test(dropped) || Number(dropped) > MAX_UINT32) return event;
  const attributes = jsonToAttributes(value.slice(first + 1, last));
  if (attributes === undefined) return event;
  event.name = value.slice(0, first);
  event.attributes = attributes;
  event.droppedAttributesCount = Number(dropped);
  return event;
}

/** An event as an annotation: just the name unless there are attributes to carry. */
export function eventToAnnotation(event: SpanEvent): ZipkinAnnotation {
  const timestamp = nanosToMicros(event.timeUnixNano);
  if (event.attributes.length === 0 && event.droppedAttributesCount === 0) {
    return { timestamp, value: event.name };
  }
  return {
    timestamp,
    value: `${event.name}|${attributesToJson(event.attributes)}|${event.droppedAttributesCount}`,
  };
}
