import { createHash } from 'node:crypto';
import type { Attributes, Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace-node';

export interface RedactionOptions {
  /** Attribute keys whose values are replaced by a hash: the same user still groups, unnamed. */
  hashKeys?: readonly string[];
  /** Attribute keys matching this are removed outright (credentials have no diagnostic value). */
  removeKeys?: RegExp;
  /** String values matching this are removed whatever their key (a bearer token in a URL, say). */
  removeValues?: RegExp;
  /** Mixed into the hash so that a dictionary of user names cannot be hashed back. */
  salt?: string;
}

export const DEFAULT_HASH_KEYS: readonly string[] = ['app.username', 'username', 'enduser.id'];
export const DEFAULT_REMOVE_KEYS = /token|password|secret|authorization|cookie|api[._-]?key/i;
export const DEFAULT_REMOVE_VALUES = /\bbearer\s+\S+/i;

/**
 * Redacts sensitive attribute values before spans leave the process. It wraps the processor that
 * exports (usually a `BatchSpanProcessor`) and hands it a redacted copy of each ended span: the
 * SDK's `ReadableSpan` is read-only by contract, and other processors must keep seeing the
 * original. Span and event attributes are both redacted, since a token can hide in either.
 */
export class RedactionSpanProcessor implements SpanProcessor {
  private readonly hashKeys: ReadonlySet<string>;
  private readonly removeKeys: RegExp;
  private readonly removeValues: RegExp;
  private readonly salt: string;

  constructor(
    private readonly next: SpanProcessor,
    options: RedactionOptions = {},
  ) {
    this.hashKeys = new Set(options.hashKeys ?? DEFAULT_HASH_KEYS);
    this.removeKeys = options.removeKeys ?? DEFAULT_REMOVE_KEYS;
    this.removeValues = options.removeValues ?? DEFAULT_REMOVE_VALUES;
    this.salt = options.salt ?? '';
  }

  onStart(span: Span, parentContext: Context): void {
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    this.next.onEnd(this.redactSpan(span));
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }

  /** The value a hashed attribute gets: a short, salted SHA-256, stable across processes. */
  hash(value: string): string {
    return `sha256:${createHash('sha256').update(this.salt).update(value).digest('hex').slice(0, 16)}`;
  }

  private redactSpan(span: ReadableSpan): ReadableSpan {
    // Every field listed (not spread): the SDK's span class keeps some of them behind getters.
    return {
      name: span.name,
      kind: span.kind,
      spanContext: () => span.spanContext(),
      parentSpanContext: span.parentSpanContext,
      startTime: span.startTime,
      endTime: span.endTime,
      status: span.status,
      attributes: this.redact(span.attributes),
      links: span.links,
      events: span.events.map((event): TimedEvent => ({
        ...event,
        attributes: this.redactOptional(event.attributes),
      })),
      duration: span.duration,
      ended: span.ended,
      resource: span.resource,
      instrumentationScope: span.instrumentationScope,
      droppedAttributesCount: span.droppedAttributesCount,
      droppedEventsCount: span.droppedEventsCount,
      droppedLinksCount: span.droppedLinksCount,
    };
  }

  private redactOptional(attributes: Attributes | undefined): Attributes | undefined {
    return attributes === undefined ? undefined : this.redact(attributes);
  }

  private redact(attributes: Attributes): Attributes {
    const out: Attributes = {};
    for (const [key, value] of Object.entries(attributes)) {
      if (this.removeKeys.test(key)) continue;
      if (typeof value === 'string' && this.removeValues.test(value)) continue;
      out[key] = this.hashKeys.has(key) && value !== undefined ? this.hash(String(value)) : value;
    }
    return out;
  }
}
