import type { ScopeSpans, TracesData } from '../model/span.js';
import { checkZipkinSpans } from './check-zipkin-spans.js';
import { resourceFromSpan, scopeFromSpan, scopeKeyOf, serviceKeyOf } from './resource-scope-from-tags.js';
import { spanFromZipkin } from './span-from-zipkin.js';

export { ZipkinDecodeError } from './zipkin-decode-error.js';

/**
 * Decodes a Zipkin v2 JSON body (`POST /api/v2/spans`, already `JSON.parse`d) into the model, as
 * the OpenTelemetry Collector's zipkin receiver does (contrib `pkg/translator/zipkin/zipkinv2`,
 * `ToTranslator` with `ParseStringTags` off). Throws `ZipkinDecodeError` for a malformed body.
 *
 * Like the Collector, spans are ordered by local service name, then scope name (the Collector uses
 * an unstable sort; this one is stable, so spans keep their order within a group), and each run
 * of equal names becomes one ResourceSpans / ScopeSpans.
 */
export function decodeZipkinSpans(body: unknown): TracesData {
  const spans = checkZipkinSpans(body);
  const n = spans.length;
  const serviceKeys = new Array<string>(n);
  const scopeKeys = new Array<string>(n);
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    serviceKeys[i] = serviceKeyOf(spans[i]);
    scopeKeys[i] = scopeKeyOf(spans[i]);
    order[i] = i;
  }
  order.sort(
    (a, b) => compare(serviceKeys[a], serviceKeys[b]) || compare(scopeKeys[a], scopeKeys[b]) || a - b,
  );

  const data: TracesData = [];
  let scopeSpans: ScopeSpans | undefined;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    const span = spans[i];
    if (k === 0 || serviceKeys[i] !== serviceKeys[order[k - 1]]) {
      data.push({ resource: resourceFromSpan(span, serviceKeys[i]), scopeSpans: [], schemaUrl: '' });
      scopeSpans = undefined;
    }
    if (scopeSpans === undefined || scopeKeys[i] !== scopeKeys[order[k - 1]]) {
      scopeSpans = { scope: scopeFromSpan(span, scopeKeys[i]), spans: [], schemaUrl: '' };
      data[data.length - 1].scopeSpans.push(scopeSpans);
    }
    scopeSpans.spans.push(spanFromZipkin(span, i));
  }
  return data;
}

/** Code-unit order; the Collector compares UTF-8 bytes, which differs only for characters above U+FFFF. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
