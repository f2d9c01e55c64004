import { quoteIdentifier } from './sql-quote.js';

/** One column of a CREATE TABLE, as data, so tests and the cluster DDL use the same list. */
export interface ColumnDef {
  readonly name: string;
  /** ClickHouse type, e.g. `Map(LowCardinality(String), String)` or `Nested(…)`. */
  readonly type: string;
  /** Without the `CODEC(...)` wrapper, e.g. `Delta(8), ZSTD(1)`. */
  readonly codec?: string;
  /** An ALIAS expression: computed on read, never stored. */
  readonly alias?: string;
}

/** A data-skipping index. `granularity` omitted means ClickHouse's default for the index type. */
export interface IndexDef {
  readonly name: string;
  readonly expression: string;
  readonly type: string;
  readonly granularity?: number;
}

export function renderColumn(column: ColumnDef): string {
  let sql = `${quoteIdentifier(column.name)} ${column.type}`;
  if (column.alias !== undefined) sql += ` ALIAS ${column.alias}`;
  if (column.codec !== undefined) sql += ` CODEC(${column.codec})`;
  return sql;
}

export function renderIndex(index: IndexDef): string {
  let sql = `INDEX ${quoteIdentifier(index.name)} ${index.expression} TYPE ${index.type}`;
  if (index.granularity !== undefined) sql += ` GRANULARITY ${index.granularity}`;
  return sql;
}

/** `Nested(a T, b U)` written from its fields, so the field list is data too. */
export function nestedType(fields: readonly (readonly [name: string, type: string])[]): string {
  return `Nested(${fields.map(([name, type]) => `${quoteIdentifier(name)} ${type}`).join(', ')})`;
}
