import type { KeyValue } from '../model/attributes.js';
import { emptyResource, emptyScope } from '../model/factories.js';
import type { InstrumentationScope, Resource } from '../model/span.js';
import {
  ATTR_CLOUD_RESOURCE_ID,
  ATTR_SERVICE_NAME,
  RESOURCE_TAG_KEYS,
  TAG_FAAS_ID_OLD,
  TAG_LIBRARY_NAME,
  TAG_LIBRARY_VERSION,
  TAG_SCOPE_NAME,
  TAG_SCOPE_VERSION,
  TAG_SERVICE_NAME_SOURCE,
} from './zipkin-tag-keys.js';
import type { ZipkinSpan } from './zipkin-span.js';

/**
 * How the Collector's translator finds a Zipkin span's resource and instrumentation scope: spans
 * are grouped by local service name, then by scope name, and each group's resource and scope are
 * read from the tags of its first span.
 */

/**
 * The Collector's stand-in for a span without `localEndpoint.serviceName`. It only groups and
 * sorts: such spans get a resource with no attributes at all, not even `service.name`.
 */
export const NO_SERVICE_NAME = 'OTLPResourceNoServiceName';

export function serviceKeyOf(span: ZipkinSpan): string {
  return span.localEndpoint?.serviceName || NO_SERVICE_NAME;
}

/** `otel.scope.name` when the tag is present (even empty), else `otel.library.name`, else ''. */
export function scopeKeyOf(span: ZipkinSpan): string {
  const tags = span.tags;
  if (tags === undefined) return '';
  if (Object.hasOwn(tags, TAG_SCOPE_NAME)) return tags[TAG_SCOPE_NAME];
  return Object.hasOwn(tags, TAG_LIBRARY_NAME) ? tags[TAG_LIBRARY_NAME] : '';
}

/**
 * The resource: `service.name` = the local service name (or, when the tag
 * `otlp.service.name.source` names another attribute such as `faas.name`, that attribute), then
 * every tag that is a resource semantic convention (`host.name`, `telemetry.sdk.language`, ...),
 * with `faas.id` renamed `cloud.resource_id`. A `service.name` tag overrides the endpoint's name.
 */
export function resourceFromSpan(span: ZipkinSpan, serviceKey: string): Resource {
  if (serviceKey === NO_SERVICE_NAME) return emptyResource();
  const attributes = new Map<string, string>();
  const tags = span.tags ?? {};
  const source = Object.hasOwn(tags, TAG_SERVICE_NAME_SOURCE) ? tags[TAG_SERVICE_NAME_SOURCE] : '';
  attributes.set(source || ATTR_SERVICE_NAME, serviceKey);
  for (const key of Object.keys(tags)) {
    if (RESOURCE_TAG_KEYS.has(key))
      attributes.set(key === TAG_FAAS_ID_OLD ? ATTR_CLOUD_RESOURCE_ID : key, tags[key]);
  }
  return { attributes: toKeyValues(attributes), droppedAttributesCount: 0 };
}

/**
 * The scope: name and version from `otel.scope.*`, falling back to the deprecated
 * `otel.library.*`. A span without a scope name gets an empty scope, whatever version tag it has.
 */
export function scopeFromSpan(span: ZipkinSpan, scopeKey: string): InstrumentationScope {
  const scope = emptyScope();
  const tags = span.tags;
  if (scopeKey === '' || tags === undefined) return scope;
  scope.name = scopeKey;
  if (Object.hasOwn(tags, TAG_SCOPE_VERSION)) scope.version = tags[TAG_SCOPE_VERSION];
  else if (Object.hasOwn(tags, TAG_LIBRARY_VERSION)) scope.version = tags[TAG_LIBRARY_VERSION];
  return scope;
}

function toKeyValues(attributes: Map<string, string>): KeyValue[] {
  const keyValues: KeyValue[] = [];
  for (const [key, value] of attributes) keyValues.push({ key, value });
  return keyValues;
}
