import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { PermanentError, RetryableError } from '../../consumer/errors.js';
import type { ConsumeContext, TracesConsumer } from '../../consumer/traces-consumer.js';
import { countSpans } from '../../model/factories.js';
import type { TracesData } from '../../model/span.js';
import { decodeExportTraceServiceRequestWithSources } from '../../otlp/protobuf/decode-traces-with-sources.js';
import { encodeExportTraceServiceRequestFromSource } from '../../otlp/protobuf/encode-traces.js';
import { DecodeCaches } from '../../otlp/protobuf/proto-reader.js';
import { ProtobufDecodeError } from '../../otlp/protobuf/protobuf-decode-error.js';
import { isolateMemoryBytes } from '../../observability/isolate-memory.js';
import { InflightLimiter } from '../../receivers/shared/inflight-limiter.js';
import { ConfigNode } from '../config-node.js';
import { IdleGarbageCollector } from './idle-garbage-collector.js';
import { ownedArrayBuffer } from './owned-array-buffer.js';
import type { ProcessRequest, RefusalKind, WorkerReply, WorkerSetup } from './worker-messages.js';
import { WORKER_PROCESSOR_FACTORIES } from './worker-processor-factories.js';

/*
 * A processor worker (worker-segment.ts): builds the segment's processors from their YAML with
 * the same factories as the main thread, then for each request decodes it, runs the processors
 * and encodes what they hand on (copying the parts of spans they left unchanged from the request).
 * A failure to build exits the thread with the error, which the pool reports from start().
 */
const port = parentPort!;
const setup = workerData as WorkerSetup;
const send = (reply: WorkerReply, transfer: ArrayBuffer[] = []): void => port.postMessage(reply, transfer);

// Log lines go to the main thread, which writes them through its own logger.
const logger = pino(
  { level: setup.logLevel, base: undefined },
  { write: (line: string) => send({ type: 'log', line }) },
);
// The offloaded processors read nothing from the host (worker-processor-factories.ts); a limiter is
// still part of its type.
const host = { limiter: new InflightLimiter(Number.MAX_SAFE_INTEGER) };

/** What the last processor handed on, by request: processors pass the request's context object along. */
const output = new Map<ConsumeContext, TracesData[]>();
const capture: TracesConsumer = {
  consumeTraces(data, context) {
    output.get(context)?.push(data);
    return Promise.resolve();
  },
};

let head = capture;
for (const spec of [...setup.processors].reverse()) {
  const factory = WORKER_PROCESSOR_FACTORIES.get(spec.type);
  if (!factory) throw new Error(`processor type ${spec.type} cannot run on a worker thread`);
  const config = factory.parseConfig(new ConfigNode(spec.value, spec.path));
  head = factory.createTraces(
    { id: spec.id, logger: logger.child({ component: spec.id }), host },
    config,
    head,
  );
}

const caches = new DecodeCaches();

port.on('message', (request: ProcessRequest) => {
  void processRequest(request);
});
send({ type: 'ready' });

/**
 * How often the worker tells the main thread its isolate's memory, for memory_limiter (which
 * cannot read another isolate's heap on Node 20). A timer rather than with each answer: an idle
 * worker must report too, or a limiter refusing data would never see memory fall — and it
 * collects its garbage first, as nothing else would (idle-garbage-collector.ts). Unref'd: it
 * never keeps the thread alive.
 */
const MEMORY_REPORT_MS = 250;
const idleCollector = new IdleGarbageCollector();
const reportMemory = (): void => {
  idleCollector.tick();
  send({ type: 'memory', bytes: isolateMemoryBytes() });
};
reportMemory();
setInterval(reportMemory, MEMORY_REPORT_MS).unref();

async function processRequest({ id, tenant, bytes, length }: ProcessRequest): Promise<void> {
  const context: ConsumeContext = { tenant };
  const batches: TracesData[] = [];
  output.set(context, batches);
  idleCollector.requestStarted();
  try {
    // What the processors leave as it was is copied from the request, not encoded again.
    const source = Buffer.from(bytes, 0, length);
    await head.consumeTraces(decodeExportTraceServiceRequestWithSources(source, caches), context);
    const data = batches.length === 1 ? batches[0] : batches.flat();
    const spans = countSpans(data);
    const encoded = spans === 0 ? Buffer.alloc(0) : encodeExportTraceServiceRequestFromSource(data, source);
    const out = ownedArrayBuffer([encoded]);
    send({ type: 'done', id, bytes: out, length: encoded.length, spans }, [out]);
  } catch (error) {
    send({ type: 'refused', id, ...refusal(error) });
  } finally {
    output.delete(context);
    idleCollector.requestEnded();
  }
}

function refusal(error: unknown): { kind: RefusalKind; message: string; retryAfterMs?: number } {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RetryableError)
    return { kind: 'retryable', message, retryAfterMs: error.retryAfterMs };
  // Bytes the receiver scanned cannot fail to decode; if they do, retrying them cannot help.
  if (error instanceof PermanentError || error instanceof ProtobufDecodeError)
    return { kind: 'permanent', message };
  return { kind: 'internal', message };
}
