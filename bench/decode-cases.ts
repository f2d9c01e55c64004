import { countSpans } from '../src/model/factories.js';
import { decodeExportTraceServiceRequestJson } from '../src/otlp/json/decode-traces-json.js';
import {
  decodeExportTraceServiceRequest,
  decodeExportTraceServiceRequestVerbatim,
} from '../src/otlp/protobuf/decode-traces.js';
import { encodeExportTraceServiceRequest } from '../src/otlp/protobuf/encode-traces.js';
import { DecodeCaches } from '../src/otlp/protobuf/proto-reader.js';
import { scanExportTraceServiceRequest } from '../src/otlp/protobuf/scan-traces.js';
import type { EncodedBatches } from './encoded-batches.js';
import { ProtobufjsExportTraceServiceRequest } from './protobufjs-otlp.js';
import type { ThroughputCase } from './throughput.js';

/** The shape of a protobufjs-decoded request, as far as counting spans needs it. */
interface ProtobufjsRequest {
  resourceSpans: { scopeSpans: { spans: unknown[] }[] }[];
}

export function countProtobufjsSpans(message: unknown): number {
  let n = 0;
  for (const rs of (message as ProtobufjsRequest).resourceSpans)
    for (const ss of rs.scopeSpans) n += ss.spans.length;
  return n;
}

export function decodeWithProtobufjs(bytes: Buffer): unknown {
  return ProtobufjsExportTraceServiceRequest.decode(bytes);
}

export function decodeJsonBody(body: Buffer): ReturnType<typeof decodeExportTraceServiceRequestJson> {
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  return decodeExportTraceServiceRequestJson(parsed);
}

/**
 * The decode benchmark's cases over the same batches: our protobuf decoder with one long-lived
 * `DecodeCaches` (as a receiver holds one), its verbatim variant that receivers call, the scan that replaces it in byte-moving pipelines, protobufjs on the same bytes, our OTLP/JSON path
 * (JSON.parse included, as the HTTP receiver does it) and our encoder.
 */
export function decodeCases(batches: EncodedBatches, json: readonly Buffer[]): ThroughputCase[] {
  const { models, protobuf } = batches;
  const protobufBytes = protobuf.map((b) => b.length);
  const caches = new DecodeCaches();
  let encodedBytes = 0;
  return [
    {
      id: 'ours',
      name: 'tracehouse protobuf decode',
      bytes: protobufBytes,
      run: (i) => countSpans(decodeExportTraceServiceRequest(protobuf[i], caches)),
    },
    {
      // What the protobuf receivers call: the same decode, telling whether the bytes may stand in for the model.
      id: 'verbatim',
      name: 'tracehouse protobuf decode, verbatim variant (receivers)',
      bytes: protobufBytes,
      run: (i) => countSpans(decodeExportTraceServiceRequestVerbatim(protobuf[i], caches).data),
    },
    {
      // What a receiver does instead of decoding when its pipeline only moves bytes (scan-traces.ts).
      id: 'scan',
      name: 'tracehouse protobuf scan (validate and count, no model)',
      bytes: protobufBytes,
      run: (i) => scanExportTraceServiceRequest(protobuf[i], caches).spans,
    },
    {
      id: 'protobufjs',
      name: 'protobufjs 7 decode (same bytes)',
      bytes: protobufBytes,
      run: (i) => countProtobufjsSpans(decodeWithProtobufjs(protobuf[i])),
    },
    {
      id: 'json',
      name: 'tracehouse JSON decode (JSON.parse + model)',
      bytes: json.map((b) => b.length),
      run: (i) => countSpans(decodeJsonBody(json[i])),
    },
    {
      id: 'encode',
      name: 'tracehouse protobuf encode',
      bytes: protobufBytes,
      run: (i) => {
        encodedBytes += encodeExportTraceServiceRequest(models[i]).length;
        return encodedBytes > 0 ? countSpans(models[i]) : 0;
      },
    },
  ];
}
