import type { SpanLink } from '../model/span.js';
import { attributesToJson, jsonToAttributes } from './json-attributes.js';
import { describeJsonValue, ZipkinDecodeError } from './zipkin-decode-error.js';
import { MAX_LINK_TAGS, TAG_LINK_PREFIX } from './zipkin-tag-keys.js';

/**
 * Span links ⇄ Zipkin tags. Zipkin has no links; the Collector's zipkin translator writes link `i`
 * as the tag `otlp.link.<i>` = `traceId|spanId|traceState|{"attribute":"json"}|droppedAttributesCount`
 * and reads tags `otlp.link.0`, `otlp.link.1`, ... back until one is missing (at most 128).
 */

const TRACE_ID = /^[0-9a-fA-F]{32}$/;
const SPAN_ID = /^[0-9a-fA-F]{16}$/;
const DIGITS = /^\d+$/;
const MAX_UINT32 = 0xffff_ffff;

/**
 * Removes the link tags from `tags` and returns the links they held. As in the Collector, a tag
 * with fewer than five `|`-separated parts is dropped, and a malformed id, attribute object or
 * count rejects the request (`spanIndex` is the span's place in the body, for the error message).
 */
export function takeLinkTags(tags: Map<string, string>, spanIndex: number): SpanLink[] {
  const links: SpanLink[] = [];
  for (let i = 0; i < MAX_LINK_TAGS; i++) {
    const key = `${TAG_LINK_PREFIX}${i}`;
    const value = tags.get(key);
    if (value === undefined) break;
    tags.delete(key);
    const parts = value.split('|');
    if (parts.length < 5) continue;
    const traceId = linkId(parts[0], TRACE_ID);
    if (traceId === undefined)
      failLink(spanIndex, key, 'expected a link trace id of 32 hex characters', parts[0]);
    const spanId = linkId(parts[1], SPAN_ID);
    if (spanId === undefined)
      failLink(spanIndex, key, 'expected a link span id of 16 hex characters', parts[1]);
    const last = parts.length - 1;
    // The attribute JSON may itself contain `|`: it is everything between the third and the last.
    const json = parts.slice(3, last).join('|');
    const attributes = jsonToAttributes(json);
    if (attributes === undefined) failLink(spanIndex, key, 'expected a JSON object of link attributes', json);
    const dropped = parts[last];
    if (!DIGITS.test(dropped) || Number(dropped) > MAX_UINT32) {
      failLink(spanIndex, key, 'expected a dropped attributes count from 0 to 4294967295', dropped);
    }
    links.push({
      traceId,
      spanId,
      traceState: parts[2],
      attributes,
      droppedAttributesCount: Number(dropped),
      flags: 0,
    });
  }
  return links;
}

function failLink(spanIndex: number, key: string, expected: string, got: string): never {
  throw new ZipkinDecodeError(
    `span[${spanIndex}].tags[${JSON.stringify(key)}]`,
    `${expected}, got ${describeJsonValue(got)}`,
  );
}

/** Lowercase hex id, '' when empty (the Collector reads that as no id), undefined when malformed. */
function linkId(text: string, pattern: RegExp): string | undefined {
  // The Collector's reader also accepts the id in JSON quotes.
  const id = text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
  if (id === '') return '';
  return pattern.test(id) ? id.toLowerCase() : undefined;
}

/** The `otlp.link.<i>` tag value for a link. */
export function linkToTag(link: SpanLink): string {
  return `${link.traceId}|${link.spanId}|${link.traceState}|${attributesToJson(link.attributes)}|${link.droppedAttributesCount}`;
}
