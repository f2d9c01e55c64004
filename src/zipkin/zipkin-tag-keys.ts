/**
 * Tag keys with a meaning beyond "span attribute" in the OpenTelemetry Collector's zipkinv2
 * translator (opentelemetry-collector-contrib pkg/translator/zipkin, v0.165), with the Collector's
 * feature gates at their defaults: the `EmitV1*` and `DontEmitV0*` gates for network, HTTP, scope
 * and cloud-resource conventions are all enabled (stable or beta), so only the newer names are
 * emitted.
 */

export const TAG_STATUS_CODE = 'otel.status_code';
export const TAG_STATUS_DESCRIPTION = 'otel.status_description';
/** Zipkin's own error marker; its value is often the error message. */
export const TAG_ERROR = 'error';
/** OpenTracing's kind tag; only read when Zipkin `kind` is absent, to recover INTERNAL. */
export const TAG_SPAN_KIND = 'span.kind';
export const TAG_TRACE_STATE = 'w3c.tracestate';
/** `otlp.link.<i>` = `traceId|spanId|traceState|attributesJson|droppedAttributesCount`. */
export const TAG_LINK_PREFIX = 'otlp.link.';
/** The Collector reads at most this many consecutive `otlp.link.<i>` tags. */
export const MAX_LINK_TAGS = 128;

export const TAG_SCOPE_NAME = 'otel.scope.name';
export const TAG_SCOPE_VERSION = 'otel.scope.version';
/** Deprecated aliases, still read; no longer written (gate `DontEmitV0ScopeConventions`). */
export const TAG_LIBRARY_NAME = 'otel.library.name';
export const TAG_LIBRARY_VERSION = 'otel.library.version';

/** Names the resource attribute that held the service name when it was not `service.name`. */
export const TAG_SERVICE_NAME_SOURCE = 'otlp.service.name.source';
/** Set (to true) on spans that arrived without a timestamp; their start is then the epoch. */
export const ATTR_START_TIME_ABSENT = 'otel.zipkin.absentField.startTime';

export const ATTR_SERVICE_NAME = 'service.name';
export const ATTR_LOCAL_ADDRESS = 'network.local.address';
export const ATTR_LOCAL_PORT = 'net.host.port';
export const ATTR_PEER_SERVICE = 'service.peer.name';
/** Older name for the peer service, accepted when encoding. */
export const ATTR_PEER_SERVICE_OLD = 'peer.service';
export const ATTR_PEER_ADDRESS = 'network.peer.address';
export const ATTR_PEER_PORT = 'net.peer.port';

/** The Collector renames the tag `http.status_code` to this attribute (gate `EmitV1HttpConventions`). */
export const TAG_HTTP_STATUS_CODE_OLD = 'http.status_code';
export const ATTR_HTTP_STATUS_CODE = 'http.response.status_code';
/** The Collector renames the resource tag `faas.id` to this (gate `EmitV1CloudResourceConventions`). */
export const TAG_FAAS_ID_OLD = 'faas.id';
export const ATTR_CLOUD_RESOURCE_ID = 'cloud.resource_id';

/** Resource attributes that may stand in for a missing `service.name`, in order of preference. */
export const SERVICE_NAME_FALLBACKS = [
  'faas.name',
  'k8s.deployment.name',
  'process.executable.name',
] as const;

/**
 * Tags that the Collector treats as resource attributes: taken into the resource from the first
 * span of each service, and never kept as span attributes. Its list of resource semantic
 * conventions plus OpenCensus leftovers.
 */
export const RESOURCE_TAG_KEYS: ReadonlySet<string> = new Set([
  'cloud.provider',
  'cloud.account.id',
  'cloud.region',
  'cloud.availability_zone',
  'cloud.platform',
  'aws.ecs.container.arn',
  'aws.ecs.cluster.arn',
  'aws.ecs.launchtype',
  'aws.ecs.task.arn',
  'aws.ecs.task.family',
  'aws.ecs.task.revision',
  'aws.eks.cluster.arn',
  'aws.log.group.names',
  'aws.log.group.arns',
  'aws.log.stream.names',
  'aws.log.stream.arns',
  'container.name',
  'container.id',
  'container.runtime',
  'container.image.name',
  'container.image.tag',
  'deployment.environment',
  'device.id',
  'device.model.identifier',
  'device.model.name',
  'device.manufacturer',
  'faas.name',
  'faas.id',
  'cloud.resource_id',
  'faas.version',
  'faas.instance',
  'faas.max_memory',
  'host.id',
  'host.name',
  'host.type',
  'host.arch',
  'host.image.name',
  'host.image.id',
  'host.image.version',
  'k8s.cluster.name',
  'k8s.node.name',
  'k8s.node.uid',
  'k8s.namespace.name',
  'k8s.pod.uid',
  'k8s.pod.name',
  'k8s.container.name',
  'k8s.container.restart_count',
  'k8s.replicaset.uid',
  'k8s.replicaset.name',
  'k8s.deployment.uid',
  'k8s.deployment.name',
  'k8s.statefulset.uid',
  'k8s.statefulset.name',
  'k8s.daemonset.uid',
  'k8s.daemonset.name',
  'k8s.job.uid',
  'k8s.job.name',
  'k8s.cronjob.uid',
  'k8s.cronjob.name',
  'os.type',
  'os.description',
  'os.name',
  'os.version',
  'process.pid',
  'process.executable.name',
  'process.executable.path',
  'process.command',
  'process.command_line',
  'process.command_args',
  'process.owner',
  'process.runtime.name',
  'process.runtime.version',
  'process.runtime.description',
  'service.name',
  'service.namespace',
  'service.instance.id',
  'service.version',
  'telemetry.sdk.name',
  'telemetry.sdk.language',
  'telemetry.sdk.version',
  'telemetry.auto.version',
  'webengine.name',
  'webengine.version',
  'webengine.description',
  'opencensus.starttime',
  'opencensus.exporterversion',
  'opencensus.resourcetype',
]);

/** Tags that describe the resource or the scope and so never become span attributes. */
export function isNonSpanTag(key: string): boolean {
  return (
    RESOURCE_TAG_KEYS.has(key) ||
    key === TAG_SERVICE_NAME_SOURCE ||
    key === TAG_SCOPE_NAME ||
    key === TAG_SCOPE_VERSION ||
    key === TAG_LIBRARY_NAME ||
    key === TAG_LIBRARY_VERSION
  );
}
