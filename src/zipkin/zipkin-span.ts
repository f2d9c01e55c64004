/**
 * Zipkin v2 JSON span, as defined by `definitions.Span` in zipkin-api's `zipkin2-api.yaml`
 * (https://zipkin.io/zipkin-api/). Optional fields are absent rather than null, as Zipkin asks
 * senders to "leave absent if unknown".
 *
 * `decodeZipkinSpans` checks untrusted JSON into this shape; `encodeZipkinSpans` produces it.
 */
export interface ZipkinSpan {
  /** 16 or 32 lowercase hex characters (64 or 128 bits). */
  traceId: string;
  /** 16 lowercase hex characters. */
  id: string;
  parentId?: string;
  name?: string;
  /** `CLIENT`, `SERVER`, `PRODUCER` or `CONSUMER`; absent for local (or unknown) spans. */
  kind?: string;
  /** Epoch microseconds. */
  timestamp?: number;
  /** Microseconds. */
  duration?: number;
  debug?: boolean;
  shared?: boolean;
  localEndpoint?: ZipkinEndpoint;
  remoteEndpoint?: ZipkinEndpoint;
  annotations?: ZipkinAnnotation[];
  tags?: Record<string, string>;
}

export interface ZipkinEndpoint {
  serviceName?: string;
  ipv4?: string;
  ipv6?: string;
  port?: number;
}

export interface ZipkinAnnotation {
  /** Epoch microseconds. */
  timestamp: number;
  value: string;
}
