import type { InstrumentationScope, Resource } from '../model/span.js';
import { attributeToTag } from './attribute-to-tag.js';
import {
  ATTR_CLOUD_RESOURCE_ID,
  ATTR_SERVICE_NAME,
  SERVICE_NAME_FALLBACKS,
  TAG_FAAS_ID_OLD,
  TAG_SCOPE_NAME,
  TAG_SCOPE_VERSION,
  TAG_SERVICE_NAME_SOURCE,
} from './zipkin-tag-keys.js';

/**
 * Resource and scope → Zipkin, as the Collector's exporter does it: Zipkin spans have no resource
 * or scope, so the service name goes to `localEndpoint.serviceName` and everything else becomes a
 * tag on every span of the resource or scope.
 */

export interface ResourceTags {
  /** For `localEndpoint.serviceName`; undefined when the resource names no service. */
  serviceName: string | undefined;
  tags: Map<string, string>;
}

/**
 * The resource's service name and its other attributes as tags. Without `service.name`, the first
 * of `faas.name`, `k8s.deployment.name`, `process.executable.name` serves, recorded in the tag
 * `otlp.service.name.source` so that decoding puts it back under its own name. `faas.id` is
 * written as `cloud.resource_id`.
 *
 * Without any of them the Collector writes its placeholder `OTLPResourceNoServiceName` as the
 * service name; here the service name is left out instead, which decodes the same way and does not
 * show a made-up service in Zipkin.
 */
export function resourceToTags(resource: Resource): ResourceTags {
  const tags = new Map<string, string>();
  for (const { key, value } of resource.attributes) tags.set(key, attributeToTag(value));
  const faasId = tags.get(TAG_FAAS_ID_OLD);
  if (faasId !== undefined && !tags.has(ATTR_CLOUD_RESOURCE_ID)) {
    tags.delete(TAG_FAAS_ID_OLD);
    tags.set(ATTR_CLOUD_RESOURCE_ID, faasId);
  }
  let serviceName = tags.get(ATTR_SERVICE_NAME);
  if (serviceName !== undefined) {
    tags.delete(ATTR_SERVICE_NAME);
    return { serviceName, tags };
  }
  for (const key of SERVICE_NAME_FALLBACKS) {
    serviceName = tags.get(key);
    if (serviceName === undefined) continue;
    tags.delete(key);
    tags.set(TAG_SERVICE_NAME_SOURCE, key);
    return { serviceName, tags };
  }
  return { serviceName: undefined, tags };
}

/** The tags every span of a scope carries: the resource's, the scope's attributes, name and version. */
export function scopeToTags(
  scope: InstrumentationScope,
  resourceTags: Map<string, string>,
): Map<string, string> {
  const tags = new Map(resourceTags);
  for (const { key, value } of scope.attributes) tags.set(key, attributeToTag(value));
  if (scope.name !== '') tags.set(TAG_SCOPE_NAME, scope.name);
  if (scope.version !== '') tags.set(TAG_SCOPE_VERSION, scope.version);
  return tags;
}
