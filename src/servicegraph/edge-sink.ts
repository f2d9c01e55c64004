import type { ConnectionType } from './connection-type.js';

/**
 * Where the pairer puts edge rows: one call per row with the row's columns as arguments (the
 * columns of service-graph-edges-schema.ts), so that pairing creates no row object per span.
 */
export interface EdgeSink {
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
  ): void;
}
