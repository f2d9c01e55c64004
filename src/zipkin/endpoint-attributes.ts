import type { AnyValue } from '../model/attributes.js';
import { canonicalIpAddress } from './ip-address.js';
import {
  ATTR_LOCAL_ADDRESS,
  ATTR_LOCAL_PORT,
  ATTR_PEER_ADDRESS,
  ATTR_PEER_PORT,
  ATTR_PEER_SERVICE,
  ATTR_PEER_SERVICE_OLD,
} from './zipkin-tag-keys.js';
import type { ZipkinEndpoint, ZipkinSpan } from './zipkin-span.js';

/**
 * Zipkin endpoints ⇄ span attributes, with the Collector's names (semconv 1.40 addresses and peer
 * service, the older `net.*.port` ports):
 *
 * | Zipkin                       | attribute               |
 * | ---------------------------- | ----------------------- |
 * | localEndpoint.ipv4 / ipv6    | `network.local.address` |
 * | localEndpoint.port           | `net.host.port` (int)   |
 * | remoteEndpoint.serviceName   | `service.peer.name`     |
 * | remoteEndpoint.ipv4 / ipv6   | `network.peer.address`  |
 * | remoteEndpoint.port          | `net.peer.port` (int)   |
 *
 * `localEndpoint.serviceName` is the resource's `service.name`, handled with the resource.
 */

/**
 * Adds the endpoint attributes to a span's attributes. They are written after the tags and win
 * over tags of the same name; when both IPv4 and IPv6 are given, IPv6 wins; port 0 means unknown.
 */
export function putEndpointAttributes(span: ZipkinSpan, attributes: Map<string, AnyValue>): void {
  const local = span.localEndpoint;
  if (local !== undefined) {
    if (local.ipv4 !== undefined) attributes.set(ATTR_LOCAL_ADDRESS, local.ipv4);
    if (local.ipv6 !== undefined) attributes.set(ATTR_LOCAL_ADDRESS, local.ipv6);
    if (local.port !== undefined && local.port > 0) attributes.set(ATTR_LOCAL_PORT, BigInt(local.port));
  }
  const remote = span.remoteEndpoint;
  if (remote !== undefined) {
    if (remote.serviceName) attributes.set(ATTR_PEER_SERVICE, remote.serviceName);
    if (remote.ipv4 !== undefined) attributes.set(ATTR_PEER_ADDRESS, remote.ipv4);
    if (remote.ipv6 !== undefined) attributes.set(ATTR_PEER_ADDRESS, remote.ipv6);
    if (remote.port !== undefined && remote.port > 0) attributes.set(ATTR_PEER_PORT, BigInt(remote.port));
  }
}

/**
 * Builds the local endpoint from the service name and the local address/port tags, removing the
 * tags it used. Tags that are not a valid address or port stay tags (the Collector drops them).
 */
export function takeLocalEndpoint(
  tags: Map<string, string>,
  serviceName: string | undefined,
): ZipkinEndpoint | undefined {
  return takeEndpoint(tags, serviceName, ATTR_LOCAL_ADDRESS, ATTR_LOCAL_PORT);
}

/**
 * Builds the remote endpoint from `service.peer.name` (or the older `peer.service`) and the peer
 * address/port tags, removing the tags it used.
 */
export function takeRemoteEndpoint(tags: Map<string, string>): ZipkinEndpoint | undefined {
  let serviceName = tags.get(ATTR_PEER_SERVICE);
  if (serviceName !== undefined) {
    tags.delete(ATTR_PEER_SERVICE);
  } else {
    serviceName = tags.get(ATTR_PEER_SERVICE_OLD);
    if (serviceName !== undefined) tags.delete(ATTR_PEER_SERVICE_OLD);
  }
  return takeEndpoint(tags, serviceName, ATTR_PEER_ADDRESS, ATTR_PEER_PORT);
}

const PORT = /^\d{1,5}$/;

function takeEndpoint(
  tags: Map<string, string>,
  serviceName: string | undefined,
  addressKey: string,
  portKey: string,
): ZipkinEndpoint | undefined {
  const endpoint: ZipkinEndpoint = {};
  if (serviceName) endpoint.serviceName = serviceName;
  const addressTag = tags.get(addressKey);
  const address = addressTag === undefined ? undefined : canonicalIpAddress(addressTag);
  if (address !== undefined) {
    // Like the Collector: an address with a colon is IPv6 (IPv4-mapped ones print as IPv4).
    if (address.includes(':')) endpoint.ipv6 = address;
    else endpoint.ipv4 = address;
    tags.delete(addressKey);
  }
  const portTag = tags.get(portKey);
  if (portTag !== undefined && PORT.test(portTag) && Number(portTag) <= 65535) {
    if (Number(portTag) > 0) endpoint.port = Number(portTag);
    tags.delete(portKey);
  }
  const empty =
    endpoint.serviceName === undefined &&
    endpoint.ipv4 === undefined &&
    endpoint.ipv6 === undefined &&
    endpoint.port === undefined;
  return empty ? undefined : endpoint;
}
