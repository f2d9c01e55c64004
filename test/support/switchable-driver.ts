import type { ClickHouseDriver, NativeRows, QueryParams } from '../../src/store/driver/clickhouse-driver.js';

/**
 * Test support: a real driver behind a switch that makes inserts fail, as a ClickHouse server
 * that is down or refusing writes would. Reads and statements still go through.
 */
export class SwitchableDriver implements ClickHouseDriver {
  down = false;
  /** Inserts into a table whose name (as the insert gives it) matches this fail, as while `down`. */
  refuseTable: RegExp | undefined;
  failedInserts = 0;
  /** While set, Native inserts wait for it before they reach the engine, as a slow insert would. */
  hold: Promise<void> | undefined;
  /** The tables of the Native inserts made so far, in order (as the inserts name them). */
  readonly nativeInserts: string[] = [];

  constructor(private readonly inner: ClickHouseDriver) {}

  exec(sql: string, params?: QueryParams, queryId?: string): Promise<void> {
    return this.inner.exec(sql, params, queryId);
  }
  text(sql: string, params?: QueryParams): Promise<string> {
    return this.inner.text(sql, params);
  }
  query<Row>(sql: string, params?: QueryParams): Promise<Row[]> {
    return this.inner.query<Row>(sql, params);
  }
  insertRowBinary(table: string, structure: string, rows: Buffer): Promise<void> {
    return this.refusedWhileDown(table) ?? this.inner.insertRowBinary(table, structure, rows);
  }
  async insertNative(table: string, blocks: NativeRows, insertId?: string): Promise<void> {
    this.nativeInserts.push(table);
    await this.hold;
    return this.refusedWhileDown(table) ?? this.inner.insertNative(table, blocks, insertId);
  }
  stopInsert(insertId: string): Promise<void> {
    return this.inner.stopInsert(insertId);
  }
  close(): Promise<void> {
    return this.inner.close();
  }

  private refusedWhileDown(table: string): Promise<void> | undefined {
    if (!this.down && !this.refuseTable?.test(table)) return undefined;
    this.failedInserts++;
    return Promise.reject(new Error('Connection refused (simulated ClickHouse outage)'));
  }
}
