import {
  AV_STRING,
  EVENT_ATTRIBUTES,
  EVENT_NAME,
  LINK_ATTRIBUTES,
  LINK_TRACE_STATE,
  SPAN_ATTRIBUTES,
  SPAN_EVENTS,
  SPAN_LINKS,
  SPAN_NAME,
  SPAN_PARENT_SPAN_ID,
  SPAN_SPAN_ID,
  SPAN_STATUS,
  SPAN_TRACE_ID,
  SPAN_TRACE_STATE,
  STATUS_MESSAGE,
} from './trace-field-tags.js';
import { EMPTY, FieldReader, Ranges, ReceivedAttributes } from './received-attributes.js';

/*
 * Where the strings and ids of a received span lie in its request's bytes, for a consumer that
 * writes them again (the store's rows): copying those bytes, read in order, costs far less than
 * reading the decoded model's strings, spread over the heap, and encoding them again. The bytes
 * say exactly the model when they are attached to it (see model/request-bytes.ts: verbatim, so
 * valid UTF-8, no unknown field, one member per AnyValue). Ranges are string bodies, without
 * their length prefix (a prefix may be padded; a writer writes its own). Singular fields
 * repeated keep the last, as protobuf and our decoder do.
 */

/**
 * One span's strings in its received bytes (`scan`), then, on demand, one event's or link's
 * (`scanEvent`, `scanLink`). An absent string is the empty range [0, 0), as it is '' in the model.
 */
export class ReceivedSpanStrings {
  bytes: Uint8Array = EMPTY;
  /** The ids' bytes (the model holds them as hex). */
  traceIdStart = 0;
  traceIdEnd = 0;
  spanIdStart = 0;
  spanIdEnd = 0;
  parentSpanIdStart = 0;
  parentSpanIdEnd = 0;
  nameStart = 0;
  nameEnd = 0;
  traceStateStart = 0;
  traceStateEnd = 0;
  statusMessageStart = 0;
  statusMessageEnd = 0;
  readonly attributes = new ReceivedAttributes();
  /** Event and link bodies, in order. */
  readonly events = new Ranges();
  readonly links = new Ranges();
  /** After scanEvent: the event's name. After scanLink: the link's trace state. */
  itemStringStart = 0;
  itemStringEnd = 0;
  /** After scanEvent or scanLink: the item's attributes. */
  readonly itemAttributes = new ReceivedAttributes();
  private readonly r = new FieldReader();

  /**
   * Scans the span whose `ScopeSpans.spans` field (tag, length, body) is `bytes[start, end)`;
   * false if it does not parse as a span, and then the caller encodes the model instead.
   */
  scan(bytes: Uint8Array, start: number, end: number): boolean {
    const r = this.r;
    this.bytes = bytes;
    r.bytes = bytes;
    this.attributes.reset(bytes);
    this.events.count = 0;
    this.links.count = 0;
    this.traceIdStart = this.traceIdEnd = 0;
    this.spanIdStart = this.spanIdEnd = 0;
    this.parentSpanIdStart = this.parentSpanIdEnd = 0;
    this.nameStart = this.nameEnd = 0;
    this.traceStateStart = this.traceStateEnd = 0;
    this.statusMessageStart = this.statusMessageEnd = 0;
    r.pos = start;
    r.varint();
    if (r.varint() + r.pos !== end) return false;
    while (r.pos < end) {
      const tag = r.varint();
      switch (tag) {
        case SPAN_TRACE_ID:
        case SPAN_SPAN_ID:
        case SPAN_PARENT_SPAN_ID:
        case SPAN_NAME:
        case SPAN_TRACE_STATE:
        case SPAN_ATTRIBUTES:
        case SPAN_EVENTS:
        case SPAN_LINKS:
        case SPAN_STATUS: {
          const length = r.varint();
          const at = r.pos;
          r.pos += length;
          if (!this.spanField(tag, at, r.pos)) return false;
          break;
        }
        default:
          if (!r.skip(tag)) return false;
      }
    }
    return r.pos === end;
  }

  private spanField(tag: number, start: number, end: number): boolean {
    switch (tag) {
      case SPAN_TRACE_ID:
        this.traceIdStart = start;
        this.traceIdEnd = end;
        return true;
      case SPAN_SPAN_ID:
        this.spanIdStart = start;
        this.spanIdEnd = end;
        return true;
      case SPAN_PARENT_SPAN_ID:
        this.parentSpanIdStart = start;
        this.parentSpanIdEnd = end;
        return true;
      case SPAN_NAME:
        this.nameStart = start;
        this.nameEnd = end;
        return true;
      case SPAN_TRACE_STATE:
        this.traceStateStart = start;
        this.traceStateEnd = end;
        return true;
      case SPAN_ATTRIBUTES:
        return this.attributes.add(start, end);
      case SPAN_EVENTS:
        this.events.push(start, end);
        return true;
      case SPAN_LINKS:
        this.links.push(start, end);
        return true;
      default:
        return this.status(start, end);
    }
  }

  /** A Status message: its message string (a second Status would replace the first, as decoded). */
  private status(start: number, end: number): boolean {
    const r = this.r;
    this.statusMessageStart = this.statusMessageEnd = 0;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.varint();
      if (tag === STATUS_MESSAGE) {
        const length = r.varint();
        this.statusMessageStart = r.pos;
        this.statusMessageEnd = r.pos += length;
      } else if (!r.skip(tag)) return false;
    }
    return r.pos === end;
  }

  /**
   * Whether any event's attributes hold a value that is not a string (scans every event): 1 if
   * so, 0 if not, -1 if an event does not parse (the caller asks the model).
   */
  eventsHaveTypedAttributes(): number {
    let typed = 0;
    for (let i = 0; i < this.events.count; i++) {
      if (!this.scanEvent(i)) return -1;
      const attributes = this.itemAttributes;
      for (let k = 0; k < attributes.count; k++) if (attributes.members[k] !== AV_STRING) typed = 1;
    }
    return typed;
  }

  /** Scans event `i`: its name and attributes. */
  scanEvent(i: number): boolean {
    return this.scanItem(this.events.starts[i], this.events.ends[i], EVENT_NAME, EVENT_ATTRIBUTES);
  }

  /** Scans link `i`: its trace state and attributes. */
  scanLink(i: number): boolean {
    return this.scanItem(this.links.starts[i], this.links.ends[i], LINK_TRACE_STATE, LINK_ATTRIBUTES);
  }

  private scanItem(start: number, end: number, stringTag: number, attributesTag: number): boolean {
    const r = this.r;
    const attributes = this.itemAttributes;
    attributes.reset(this.bytes);
    this.itemStringStart = this.itemStringEnd = 0;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.varint();
      if (tag === stringTag || tag === attributesTag) {
        const length = r.varint();
        const at = r.pos;
        r.pos += length;
        if (tag === stringTag) {
          this.itemStringStart = at;
          this.itemStringEnd = r.pos;
        } else if (!attributes.add(at, r.pos)) return false;
      } else if (!r.skip(tag)) return false;
    }
    return r.pos === end;
  }
}
