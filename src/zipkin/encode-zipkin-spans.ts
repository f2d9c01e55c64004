import type { TracesData } from '../model/span.js';
import { resourceToTags, scopeToTags } from './resource-scope-to-tags.js';
import { spanToZipkin } from './span-to-zipkin.js';
import type { ZipkinSpan } from './zipkin-span.js';

/**
 * Encodes model spans as a Zipkin v2 JSON body (`JSON.stringify` it to send), as the OpenTelemetry
 * Collector's zipkin exporter does (contrib `pkg/translator/zipkin/zipkinv2`, `FromTranslator`).
 * `decodeZipkinSpans` reads the result back to the same spans, except for what Zipkin cannot carry:
 * attribute types (tags are strings), resource attributes that are not resource conventions and
 * scope attributes (they come back as span attributes), trace flags, dropped counts, and
 * sub-microsecond time.
 */
export function encodeZipkinSpans(data: TracesData): ZipkinSpan[] {
  const out: ZipkinSpan[] = [];
  for (const resourceSpans of data) {
    const resource = resourceToTags(resourceSpans.resource);
    for (const scopeSpans of resourceSpans.scopeSpans) {
      const scopeTags = scopeToTags(scopeSpans.scope, resource.tags);
      for (const span of scopeSpans.spans) out.push(spanToZipkin(span, resource.serviceName, scopeTags));
    }
  }
  return out;
}
