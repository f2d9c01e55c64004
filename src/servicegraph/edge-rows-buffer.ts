import { RowBinaryWriter } from '../store/rowbinary/rowbinary-writer.js';
import { SERVICE_GRAPH_EDGES_COLUMNS } from '../store/schema/service-graph-edges-schema.js';
import type { ConnectionType } from './connection-type.js';
import type { EdgeSink } from './edge-sink.js';

/** Every column, in the schema's order: the order `edge()` writes them. */
export const EDGE_ROW_COLUMN_LIST = SERVICE_GRAPH_EDGES_COLUMNS.map((c) => c.name).join(', ');
export const EDGE_ROW_STRUCTURE = SERVICE_GRAPH_EDGES_COLUMNS.map((c) => `${c.name} ${c.type}`).join(', ');

/**
 * Edge rows encoded as RowBinary as they are made (~40 bytes plus the service names each), so
 * rows waiting for the next insert are one growing buffer, not an object each.
 */
export class EdgeRowsBuffer implements EdgeSink {
  private writer = new RowBinaryWriter(64 * 1024);
  private count = 0;

  get rows(): number {
    return this.count;
  }

  get bytes(): number {
    return this.writer.length;
  }

  edge(
    timestamp: number,
    clientStartOffset: number,
    clientService: string,
    serverService: string,
    connectionType: ConnectionType,
    clientDuration: number,
    serverDuration: number,
    clientFailed: boolean,
    serverFailed: boolean,
  ): void {
    const w = this.writer;
    w.uint32(timestamp);
    // Int32 as its two's-complement bytes.
    w.uint32(clientStartOffset >>> 0);
    w.string(clientService);
    w.string(serverService);
    w.int8(connectionType);
    w.uint64Number(clientDuration);
    w.uint64Number(serverDuration);
    w.uint8(clientFailed ? 1 : 0);
    w.uint8(serverFailed ? 1 : 0);
    this.count++;
  }

  /** The rows so far, and an empty buffer for the next ones. */
  take(): { rows: number; data: Buffer } {
    const taken = { rows: this.count, data: this.writer.finish() };
    this.writer = new RowBinaryWriter(Math.max(64 * 1024, taken.data.length));
    this.count = 0;
    return taken;
  }
}
