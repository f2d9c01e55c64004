import type { Logger } from '../logging/logger.js';
import type { TracesData } from '../model/span.js';
import {
  serviceGraphEarlyExpiries,
  serviceGraphRowsDropped,
  serviceGraphRowsInserted,
} from '../observability/self-metrics.js';
import { SERVICE_GRAPH_EDGES_TABLE } from '../store/schema/service-graph-edges-schema.js';
import { quoteIdentifier } from '../store/schema/sql-quote.js';
import type { TraceStore } from '../store/trace-store.js';
import { EDGE_ROW_COLUMN_LIST, EDGE_ROW_STRUCTURE, EdgeRowsBuffer } from './edge-rows-buffer.js';
import type { ServiceGraphOptions } from './service-graph-options.js';
import type { PairingBatch } from './service-graph-pairer.js';
import { ServiceGraphPairer } from './service-graph-pairer.js';

/** One tenant's pairing and the rows it made, with rows a failed insert left to retry. */
interface TenantGraph {
  readonly pairer: ServiceGraphPairer;
  readonly buffer: EdgeRowsBuffer;
  retry: { rows: number; data: Buffer }[];
  earlyExpiries: number;
}

/** A batch prepared for pairing (ServiceGraphRecorder.prepare), not paired yet. */
export interface PreparedPairing {
  readonly pairer: ServiceGraphPairer;
  readonly batch: PairingBatch;
}

/**
 * The service graph side of the store's write path: spans the store accepted go to their tenant's
 * pairer; every `flushIntervalMs` the rows made are inserted into the tenant's
 * `tracehouse_service_graph_edges` in one insert.
 *
 * Not durable, by design: rows wait in memory until the next insert and spans wait for their
 * other side up to 2 × `waitMs`, so a crash loses the last seconds of edges (the spans themselves
 * are safe in the write-ahead log, and the log's replay does not pair again). `shutdown()` expires
 * every waiting span and inserts everything.
 */
export class ServiceGraphRecorder {
  private readonly tenants = new Map<string, TenantGraph>();
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly store: TraceStore,
    private readonly options: ServiceGraphOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.stopped || this.timer) return;
    this.timer = setInterval(() => {
      this.flush().catch(() => undefined);
    }, this.options.flushIntervalMs);
    // Pairing must not keep a process alive that has nothing else to do.
    this.timer.unref();
  }

  /** Pairs an accepted batch (synchronous, no I/O: the insert comes with the next flush). */
  record(tenant: string, data: TracesData, nowMs = Date.now()): void {
    this.pair(this.prepare(tenant, data, nowMs), nowMs);
  }

  /**
   * What pairing needs of a batch not yet accepted, without pairing it (ServiceGraphPairer.prepare):
   * pair() it once the batch is accepted, drop it when the batch is refused.
   */
  prepare(tenant: string, data: TracesData, nowMs = Date.now()): PreparedPairing {
    const { pairer } = this.graphOf(tenant, nowMs);
    return { pairer, batch: pairer.prepare(data) };
  }

  /** Pairs a prepared batch that was accepted. */
  pair(prepared: PreparedPairing, nowMs = Date.now()): void {
    if (this.stopped) return;
    prepared.pairer.addPrepared(prepared.batch, nowMs);
  }

  private graphOf(tenant: string, nowMs: number): TenantGraph {
    let graph = this.tenants.get(tenant);
    if (!graph) {
      const buffer = new EdgeRowsBuffer();
      graph = {
        pairer: new ServiceGraphPairer(buffer, this.options, nowMs),
        buffer,
        retry: [],
        earlyExpiries: 0,
      };
      this.tenants.set(tenant, graph);
    }
    return graph;
  }

  /** Expires what has waited long enough and inserts the rows made; flushes never overlap. */
  flush(nowMs = Date.now()): Promise<void> {
    const run = this.chain.then(() => this.insertAll((pairer) => pairer.expire(nowMs)));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Idempotent: expires every waiting span (entry spans become node rows) and inserts all rows. */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    const run = this.chain.then(() => this.insertAll((pairer) => pairer.flush()));
    this.chain = run.catch(() => undefined);
    await run;
  }

  private async insertAll(expire: (pairer: ServiceGraphPairer) => void): Promise<void> {
    let failure: Error | undefined;
    for (const [tenant, graph] of this.tenants) {
      expire(graph.pairer);
      this.countEarlyExpiries(tenant, graph);
      if (graph.buffer.rows > 0) graph.retry.push(graph.buffer.take());
      if (graph.retry.length === 0) continue;
      const batches = graph.retry;
      const rows = batches.reduce((n, b) => n + b.rows, 0);
      try {
        // One batch (every insert but a retry) goes as it is: a copy would be one more buffer of
        // the interval's rows (~60 bytes a span) waiting with it in the old generation.
        const data = batches.length === 1 ? batches[0].data : Buffer.concat(batches.map((b) => b.data));
        await this.insert(tenant, data);
        graph.retry = [];
        serviceGraphRowsInserted.inc({ tenant }, rows);
      } catch (error) {
        failure ??= error instanceof Error ? error : new Error('inserting service graph edges failed');
        this.dropOverflow(tenant, graph);
        this.logger.warn({ err: error, tenant, rows }, 'inserting service graph edges failed; will retry');
      }
    }
    if (failure !== undefined) throw failure;
  }

  private async insert(tenant: string, rows: Buffer): Promise<void> {
    const database = await this.store.database(tenant);
    await this.store.driver.insertRowBinary(
      `${quoteIdentifier(database)}.${quoteIdentifier(SERVICE_GRAPH_EDGES_TABLE)} (${EDGE_ROW_COLUMN_LIST})`,
      EDGE_ROW_STRUCTURE,
      rows,
    );
  }

  /** Keeps the newest rows within `maxBufferedBytes` while ClickHouse refuses them. */
  private dropOverflow(tenant: string, graph: TenantGraph): void {
    let bytes = graph.retry.reduce((n, b) => n + b.data.length, 0);
    while (bytes > this.options.maxBufferedBytes && graph.retry.length > 0) {
      const dropped = graph.retry.shift()!;
      bytes -= dropped.data.length;
      serviceGraphRowsDropped.inc({ tenant }, dropped.rows);
    }
  }

  private countEarlyExpiries(tenant: string, graph: TenantGraph): void {
    const { earlyExpiries } = graph.pairer.stats();
    if (earlyExpiries === graph.earlyExpiries) return;
    serviceGraphEarlyExpiries.inc({ tenant }, earlyExpiries - graph.earlyExpiries);
    this.logger.warn(
      { tenant, items: this.options.maxItems },
      'service graph pairing is full: spans expired before their wait (raise the max items)',
    );
    graph.earlyExpiries = earlyExpiries;
  }
}
