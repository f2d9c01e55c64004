/*
 * What the main thread and a processor worker say to each other (worker_threads messages,
 * structured-cloned; request and result bytes are transferred, not copied).
 */

/** A stateless processor for the worker to build: its factory type and its YAML as written. */
export interface WorkerProcessorSpec {
  /** The id settings carry (`redaction in traces`), for log lines and error messages. */
  readonly id: string;
  readonly type: string;
  readonly value: unknown;
  readonly path: string;
}

/** `workerData`: the chain to build, in pipeline order, and the main logger's level. */
export interface WorkerSetup {
  readonly processors: readonly WorkerProcessorSpec[];
  readonly logLevel: string;
}

/** Main → worker: one ExportTraceServiceRequest, its bytes in `bytes[0, length)`. */
export interface ProcessRequest {
  readonly id: number;
  readonly tenant: string;
  readonly bytes: ArrayBuffer;
  readonly length: number;
}

/** How a processor refused a batch, so the main thread can throw the same error class. */
export type RefusalKind = 'permanent' | 'retryable' | 'internal';

/** Worker → main. */
export type WorkerReply =
  | { readonly type: 'ready' }
  /** The chain's output as an ExportTraceServiceRequest of `spans` spans (0: nothing went on). */
  | {
      readonly type: 'done';
      readonly id: number;
      readonly bytes: ArrayBuffer;
      readonly length: number;
      readonly spans: number;
    }
  | {
      readonly type: 'refused';
      readonly id: number;
      readonly kind: RefusalKind;
      readonly message: string;
      readonly retryAfterMs?: number;
    }
  /** A pino JSON line a processor logged. */
  | { readonly type: 'log'; readonly line: string }
  /** The worker's isolate memory (isolateMemoryBytes), sent when ready and then every few hundred ms. */
  | { readonly type: 'memory'; readonly bytes: number };
