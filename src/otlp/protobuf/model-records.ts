import type { AnyValue, KeyValue } from '../../model/attributes.js';
import type { Span, SpanEvent, SpanKind, SpanLink, Status, StatusCode } from '../../model/span.js';

/*
 * Makers of the model objects and arrays the protobuf decoder creates by the thousand per request,
 * written so that V8 keeps no allocation site for them.
 *
 * Why: V8 tracks every object and array *literal* by its allocation site and "pretenures" a site
 * (allocates its objects straight into the old generation) when they survive scavenges. Decoded
 * spans do survive the scavenges that fall within their batch's decoding, so in some processes a
 * site got pretenured; its objects then went to old space and, dead a moment later, still held
 * the young objects they point to through every scavenge until the next full GC. Those were
 * promoted in turn: scavenges kept ~86% of the young generation and took 3–4x as long, with 5–9
 * full GCs in 3 s of decoding instead of 1, and the benchmark's ratio to protobufjs fell from ~2.5x
 * to ~0.7x in a third to a half of the runs. With `--no-allocation-site-pretenuring` it never
 * happened (0 of 8 runs). Objects made by `new` on a plain function, and arrays made by `slice`,
 * have no allocation site; protobufjs makes its messages with `new` too.
 *
 * Each constructor's `prototype` is Object.prototype, so what it makes is indistinguishable from
 * the literal the model describes: same prototype, same own properties in the same order
 * (`isDeepStrictEqual` to the literal). A class cannot do that: its `prototype` is read-only.
 */

interface PlainConstructor<Args extends unknown[], T> {
  new (...args: Args): T;
  prototype: object;
}

/** Turns a function that fills `this` into a constructor of plain objects (the cast is how TypeScript lets a `function` be `new`ed). */
export function plainConstructor<Args extends unknown[], T>(
  fill: (this: T, ...args: Args) => void,
): PlainConstructor<Args, T> {
  const constructor = fill as unknown as PlainConstructor<Args, T>;
  constructor.prototype = Object.prototype;
  return constructor;
}

/**
 * Empty, but of V8's elements kind for arrays of any values: `[]` is an array of small integers,
 * and a copy of it changed kind (a map transition) at its first push of an object, once per list.
 * Setting the length to 0 keeps the kind.
 */
const NO_ELEMENTS: readonly never[] = emptyOfAnyKind();

function emptyOfAnyKind(): never[] {
  const list: unknown[] = [null];
  list.length = 0;
  return list as never[];
}

/** A new empty array without an allocation site (see above). */
export function newList<T>(): T[] {
  return NO_ELEMENTS.slice();
}

export const KeyValueRecord = plainConstructor(function (this: KeyValue, key: string, value: AnyValue) {
  this.key = key;
  this.value = value;
});

/**
 * A KeyValue decoded with where its bytes lie in the request (decodeExportTraceServiceRequestWithSources):
 * `[sourceStart, sourceEnd)` is its length prefix and body, without the field tag, so it can be
 * copied under any attribute field. `sourceKey` and `sourceValue` are what those bytes decode to:
 * the encoder copies the bytes only while `key` and `value` still are these, so a processor that
 * changed the record in place instead of replacing it still gets its change encoded.
 */
export interface SourcedKeyValue extends KeyValue {
  sourceStart: number;
  sourceEnd: number;
  sourceKey: string;
  /** Only values that cannot change in place: strings, ints, doubles, bools, null. */
  sourceValue: AnyValue;
}

export const SourcedKeyValueRecord = plainConstructor(function (
  this: SourcedKeyValue,
  key: string,
  value: AnyValue,
  sourceStart: number,
  sourceEnd: number,
) {
  this.key = key;
  this.value = value;
  this.sourceStart = sourceStart;
  this.sourceEnd = sourceEnd;
  this.sourceKey = key;
  this.sourceValue = value;
});

export const StatusRecord = plainConstructor(function (this: Status, code: StatusCode, message: string) {
  this.code = code;
  this.message = message;
});

export const SpanEventRecord = plainConstructor(function (
  this: SpanEvent,
  timeUnixNano: bigint,
  name: string,
  attributes: KeyValue[],
  droppedAttributesCount: number,
) {
  this.timeUnixNano = timeUnixNano;
  this.name = name;
  this.attributes = attributes;
  this.droppedAttributesCount = droppedAttributesCount;
});

export const SpanLinkRecord = plainConstructor(function (
  this: SpanLink,
  traceId: string,
  spanId: string,
  traceState: string,
  attributes: KeyValue[],
  droppedAttributesCount: number,
  flags: number,
) {
  this.traceId = traceId;
  this.spanId = spanId;
  this.traceState = traceState;
  this.attributes = attributes;
  this.droppedAttributesCount = droppedAttributesCount;
  this.flags = flags;
});

export const SpanRecord = plainConstructor(function (
  this: Span,
  traceId: string,
  spanId: string,
  traceState: string,
  parentSpanId: string,
  flags: number,
  name: string,
  kind: SpanKind,
  startTimeUnixNano: bigint,
  endTimeUnixNano: bigint,
  attributes: KeyValue[],
  droppedAttributesCount: number,
  events: SpanEvent[],
  droppedEventsCount: number,
  links: SpanLink[],
  droppedLinksCount: number,
  status: Status,
) {
  this.traceId = traceId;
  this.spanId = spanId;
  this.traceState = traceState;
  this.parentSpanId = parentSpanId;
  this.flags = flags;
  this.name = name;
  this.kind = kind;
  this.startTimeUnixNano = startTimeUnixNano;
  this.endTimeUnixNano = endTimeUnixNano;
  this.attributes = attributes;
  this.droppedAttributesCount = droppedAttributesCount;
  this.events = events;
  this.droppedEventsCount = droppedEventsCount;
  this.links = links;
  this.droppedLinksCount = droppedLinksCount;
  this.status = status;
});
