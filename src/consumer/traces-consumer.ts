import type { RetryableError } from './errors.js';
import type { TracesData } from '../model/span.js';

/** Request-scoped facts a receiver hands down with the data. */
export interface ConsumeContext {
  /** Tenant that owns the data (Tempo's `X-Scope-OrgID`); 'single-tenant' when none was given. */
  tenant: string;
}

/**
 * Received protobuf `ExportTraceServiceRequest`s that nobody decoded: `parts`, concatenated, are
 * one request (model/request-bytes.ts says why that holds) holding `spans` spans, and each part
 * was scanned well-formed, verbatim and with valid ids (otlp/protobuf/scan-traces.ts) — or
 * encoded from a validated model, or copied span by span from received bytes, by a processor that
 * builds new batches (tail_sampling). So they
 * say exactly what the decoded model would, and can be counted and forwarded without it.
 */
export interface TraceRequestBytes {
  readonly parts: readonly Buffer[];
  readonly spans: number;
}

/**
 * The seam between pipeline stages. Resolves once the data is accepted (for a store: durably);
 * rejects with `PermanentError` or `RetryableError` when it is refused. The callee may keep and
 * mutate `data`: a caller hands over ownership.
 */
export interface TracesConsumer {
  consumeTraces(data: TracesData, context: ConsumeContext): Promise<void>;
  /**
   * The same for requests that were never decoded, same promise. Offered only by a consumer that
   * never reads spans and hands the bytes on undecoded (the OTLP exporters, nop; batch and
   * memory_limiter when their next consumer offers it), or that reads what it needs from the
   * bytes itself and hands on only bytes (tail_sampling when its next consumer offers it; a worker
   * segment), so one that finds it may encode instead;
   * the pipeline builder lets receivers see it only when every processor and exporter of the
   * pipeline offers it (pipeline/build-service.ts), so a receiver that finds it may skip decoding.
   */
  consumeTraceBytes?(request: TraceRequestBytes, context: ConsumeContext): Promise<void>;
  /**
   * The refusal any batch would meet now (a store whose log is full, memory above the limiter's
   * soft limit), or undefined when a batch might be taken. Receivers ask before they read or
   * decode a request, as the Collector's memory_limiter refuses before any work is done, so a
   * sender that retries at once costs little more than its request's headers. Only a consumer
   * that refuses its caller directly answers or forwards it; one that accepts into a buffer of
   * its own and sends later (tail_sampling) does not. An answer of undefined promises nothing:
   * the batch may still be refused when it comes.
   */
  wouldRefuse?(context: ConsumeContext): RetryableError | undefined;
}

/** Anything with a lifetime: `start()` once, `shutdown()` idempotent and draining what was accepted. */
export interface Component {
  start(): Promise<void>;
  shutdown(): Promise<void>;
}
