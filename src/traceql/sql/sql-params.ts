import type { QueryParams } from '../../store/driver/clickhouse-driver.js';

/** ClickHouse types a TraceQL literal can be bound as. */
export type BoundType = 'String' | 'Int64' | 'UInt64' | 'Float64' | 'Array(String)';

/**
 * The one place TraceQL values enter SQL: each value becomes a named server-side parameter
 * (`{q3:String}`), so no user text is ever spliced into the statement.
 */
export class SqlParams {
  private readonly values: QueryParams = {};
  private next = 0;

  constructor(private readonly prefix = 'q') {}

  /** A placeholder bound to `value`. */
  bind(value: string | number | bigint | readonly string[], type: BoundType): string {
    const name = `${this.prefix}${this.next++}`;
    // Floats travel as text: drivers refuse a JS number that is an integer beyond 2^53 (1e21).
    this.values[name] = type === 'Float64' && typeof value === 'number' ? String(value) : value;
    return `{${name}:${type}}`;
  }

  string(value: string): string {
    return this.bind(value, 'String');
  }

  all(): QueryParams {
    return { ...this.values };
  }
}
