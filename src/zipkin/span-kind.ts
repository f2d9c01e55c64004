import { SpanKind } from '../model/span.js';
import { TAG_SPAN_KIND } from './zipkin-tag-keys.js';

/**
 * Span kind ⇄ Zipkin `kind`. Zipkin has four kinds and leaves local spans without one, so
 * OpenTelemetry's INTERNAL travels as the tag `span.kind: internal`, as in the Collector.
 */

/**
 * The kind of a Zipkin span. Without a known `kind` (absent, or a value zipkin-go does not
 * define, such as lowercase `client`), a `span.kind` tag is consumed: `internal` gives INTERNAL,
 * anything else UNSPECIFIED. With a known `kind`, a `span.kind` tag stays as an attribute.
 */
export function kindFromZipkin(kind: string | undefined, tags: Map<string, string>): SpanKind {
  switch (kind) {
    case 'CLIENT':
      return SpanKind.CLIENT;
    case 'SERVER':
      return SpanKind.SERVER;
    case 'PRODUCER':
      return SpanKind.PRODUCER;
    case 'CONSUMER':
      return SpanKind.CONSUMER;
    default: {
      const tag = tags.get(TAG_SPAN_KIND);
      if (tag === undefined) return SpanKind.UNSPECIFIED;
      tags.delete(TAG_SPAN_KIND);
      return tag === 'internal' ? SpanKind.INTERNAL : SpanKind.UNSPECIFIED;
    }
  }
}

/** The Zipkin `kind` for a span kind; INTERNAL and UNSPECIFIED have none (INTERNAL adds a tag). */
export function kindToZipkin(kind: SpanKind, tags: Map<string, string>): string | undefined {
  switch (kind) {
    case SpanKind.CLIENT:
      return 'CLIENT';
    case SpanKind.SERVER:
      return 'SERVER';
    case SpanKind.PRODUCER:
      return 'PRODUCER';
    case SpanKind.CONSUMER:
      return 'CONSUMER';
    case SpanKind.INTERNAL:
      tags.set(TAG_SPAN_KIND, 'internal');
      return undefined;
    default:
      return undefined;
  }
}
