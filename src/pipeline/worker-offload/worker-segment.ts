import type { RetryableError } from '../../consumer/errors.js';
import type { ConsumeContext, TraceRequestBytes, TracesConsumer } from '../../consumer/traces-consumer.js';
import { attachRequestBytes } from '../../model/request-bytes.js';
import type { TracesData } from '../../model/span.js';
import {
  decodeExportTraceServiceRequest,
  decodeExportTraceServiceRequestVerbatim,
} from '../../otlp/protobuf/decode-traces.js';
import { DecodeCaches } from '../../otlp/protobuf/proto-reader.js';
import type { TracesProcessor } from '../component-factory.js';
import type { ProcessedRequest, ProcessorWorkerPool } from './processor-worker-pool.js';
import { WorkerStoppedError } from './worker-stopped-error.js';

/**
 * A run of stateless processors of one pipeline (worker-processor-factories.ts) as one
 * processor whose undecoded requests (consumeTraceBytes) are processed on worker threads: the
 * receiver only scans them on the main thread, a worker decodes, runs the processors and encodes
 * the result. Decoded batches (Zipkin, OTLP/JSON, a protobuf request with a span to drop, or
 * a batch from a main-thread processor upstream) run through `local`, a main-thread instance
 * of the same processors: encoding them to cross threads would cost about what the processors do.
 *
 * The output goes on as bytes when `next` takes them (a tail_sampling next reads what its
 * policies need from them); otherwise it is decoded here, and its bytes attached when the decode
 * was verbatim (model/request-bytes.ts): they are the worker's encoding of exactly this output,
 * as a receiver's are of its request. Where a main-thread processor further on may change spans,
 * the builder puts ForgetRequestBytes between this and it.
 */
export class WorkerSegment implements TracesProcessor {
  /** The model path mutates like its processors do; the bytes path makes new bytes for its output. */
  readonly mutatesData = true;
  private readonly caches = new DecodeCaches();
  private readonly inflight = new Set<Promise<void>>();
  private stopping: Promise<void> | undefined;

  constructor(
    readonly pool: ProcessorWorkerPool,
    /** The same processors on this thread, ending in `next`, behind ForgetRequestBytes. */
    private readonly local: TracesConsumer,
    private readonly localProcessors: readonly TracesProcessor[],
    private readonly next: TracesConsumer,
  ) {}

  async start(): Promise<void> {
    for (const processor of [...this.localProcessors].reverse()) await processor.start();
    await this.pool.start();
  }

  consumeTraces(data: TracesData, context: ConsumeContext): Promise<void> {
    return this.local.consumeTraces(data, context);
  }

  consumeTraceBytes(request: TraceRequestBytes, context: ConsumeContext): Promise<void> {
    // After shutdown (an upstream batch flushing late) the main thread does the work: nothing is refused.
    if (!this.pool.running) return this.local.consumeTraces(decodeParts(request.parts, this.caches), context);
    const done = this.pool
      .process(request.parts, context.tenant)
      .catch((error: unknown) => {
        // Nothing of it went on, and the processors are pure: another worker (or the stopped one's
        // replacement) runs it once more. Not only a nicer answer for senders: a request from a
        // tail_sampling before this was acknowledged already, and has no sender left to retry it.
        // A second stop (a request that kills workers) is the caller's RetryableError.
        if (error instanceof WorkerStoppedError && this.pool.running)
          return this.pool.process(request.parts, context.tenant);
        throw error;
      })
      .then((out) => this.handOn(out, context));
    const tracked = done.then(
      () => undefined,
      () => undefined,
    );
    this.inflight.add(tracked);
    void tracked.then(() => this.inflight.delete(tracked));
    return done;
  }

  /** Drains the requests the workers hold, then ends the workers. Idempotent. */
  /** Workers are pure and hand their output to `next` before answering, so its refusal is theirs. */
  wouldRefuse(context: ConsumeContext): RetryableError | undefined {
    return this.next.wouldRefuse?.(context);
  }

  shutdown(): Promise<void> {
    return (this.stopping ??= this.stop());
  }

  private async stop(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all(this.inflight);
    await this.pool.shutdown();
    for (const processor of this.localProcessors) await processor.shutdown();
  }

  private handOn({ bytes, spans }: ProcessedRequest, context: ConsumeContext): Promise<void> {
    // As processor-helper.ts: a batch the processors emptied is accepted without going on.
    if (spans === 0) return Promise.resolve();
    if (this.next.consumeTraceBytes) return this.next.consumeTraceBytes({ parts: [bytes], spans }, context);
    // With where its spans lie, as a receiver's verbatim decode attaches them.
    const { data, verbatim, spanFields } = decodeExportTraceServiceRequestVerbatim(bytes, this.caches);
    if (verbatim) attachRequestBytes(data, [bytes], [spanFields]);
    return this.next.consumeTraces(data, context);
  }
}

function decodeParts(parts: readonly Buffer[], caches: DecodeCaches): TracesData {
  return decodeExportTraceServiceRequest(parts.length === 1 ? parts[0] : Buffer.concat(parts), caches);
}
