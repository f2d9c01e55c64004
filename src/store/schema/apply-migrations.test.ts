import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClusterSchemaBehindError,
  SchemaTooNewError,
  applyMigrations,
  readSchemaVersion,
} from './apply-migrations.js';
import type { TestEngine } from '../../../test/support/chdb-test-session.js';
import { openTestEngine } from '../../../test/support/chdb-test-session.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.js';
import { qualifiedName, quoteString } from './sql-quote.js';

interface ColumnRow {
  name: string;
  type: string;
  codec: string;
  kind: string;
}
const expected = JSON.parse(
  readFileSync(new URL('./testdata/otel-traces-columns.json', import.meta.url), 'utf8'),
) as { collector: ColumnRow[]; tracehouse: ColumnRow[] };

let engine: TestEngine;
beforeAll(() => {
  engine = openTestEngine({ clusters: ['traces_cluster'] });
});
afterAll(() => engine.close());

function columnsOf(database: string, table: string): Promise<ColumnRow[]> {
  return engine.rows<ColumnRow>(
    `SELECT name, type, compression_codec AS codec, default_kind AS kind FROM system.columns
     WHERE database = ${quoteString(database)} AND table = ${quoteString(table)} ORDER BY position`,
  );
}

function items(map: string): string {
  return `arrayMap(kv -> concat(kv.1, '=', kv.2), CAST(${map}, 'Array(Tuple(String, String))'))`;
}

function indexesOf(
  database: string,
  table: string,
): Promise<{ name: string; expr: string; type_full: string }[]> {
  return engine.rows(
    `SELECT name, expr, type_full FROM system.data_skipping_indices
     WHERE database = ${quoteString(database)} AND table = ${quoteString(table)} ORDER BY name`,
  );
}

describe('applyMigrations on a new database', () => {
  const db = 'mig_fresh';
  beforeAll(async () => {
    const result = await applyMigrations(engine.run, db);
    expect(result).toEqual({
      database: db,
      fromVersion: 0,
      toVersion: LATEST_SCHEMA_VERSION,
      applied: MIGRATIONS.map((m) => m.version),
    });
  });

  it("creates otel_traces with the collector's columns, in order, then ours", async () => {
    expect(await columnsOf(db, 'otel_traces')).toEqual([...expected.collector, ...expected.tracehouse]);
  });

  it("creates the collector's table clauses and, on ClickHouse ≥ 26.2, its text indexes", async () => {
    const [row] = await engine.rows<{ engine_full: string }>(
      `SELECT engine_full FROM system.tables WHERE database = '${db}' AND name = 'otel_traces'`,
    );
    expect(row.engine_full).toBe(
      'MergeTree PARTITION BY toDate(Timestamp) PRIMARY KEY (ServiceName, SpanName, toDateTime(Timestamp)) ' +
        'ORDER BY (ServiceName, SpanName, toDateTime(Timestamp), Timestamp) ' +
        'TTL toDateTime(Timestamp) + toIntervalDay(7) SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1, non_replicated_deduplication_window = 10000',
    );
    expect(await indexesOf(db, 'otel_traces')).toEqual([
      { name: 'idx_duration', expr: 'Duration', type_full: 'minmax' },
      // ClickHouse stores the ALIAS column's expression in place of its name.
      {
        name: 'idx_res_attr_items',
        expr: items('ResourceAttributes'),
        type_full: "text(tokenizer = 'array')",
      },
      {
        name: 'idx_res_attr_key',
        expr: 'mapKeys(ResourceAttributes)',
        type_full: "text(tokenizer = 'array')",
      },
      { name: 'idx_span_attr_items', expr: items('SpanAttributes'), type_full: "text(tokenizer = 'array')" },
      { name: 'idx_span_attr_key', expr: 'mapKeys(SpanAttributes)', type_full: "text(tokenizer = 'array')" },
      { name: 'idx_trace_id', expr: 'TraceId', type_full: "text(tokenizer = 'array')" },
    ]);
  });

  it('creates the trace id → time range table and its view', async () => {
    expect(await columnsOf(db, 'otel_traces_trace_id_ts')).toEqual([
      { name: 'TraceId', type: 'String', codec: 'CODEC(ZSTD(1))', kind: '' },
      { name: 'Start', type: 'SimpleAggregateFunction(min, DateTime)', codec: 'CODEC(ZSTD(1))', kind: '' },
      { name: 'End', type: 'SimpleAggregateFunction(max, DateTime)', codec: 'CODEC(ZSTD(1))', kind: '' },
    ]);
    const tables = await engine.rows<{ name: string; engine_full: string; as_select: string }>(
      `SELECT name, engine_full, as_select FROM system.tables WHERE database = '${db}' ORDER BY name`,
    );
    expect(tables.map((t) => t.name)).toEqual([
      'otel_traces',
      'otel_traces_trace_id_ts',
      'otel_traces_trace_id_ts_mv',
      'tracehouse_schema_migrations',
      'tracehouse_service_graph_edges',
      'tracehouse_trace_copy_changes',
      'tracehouse_trace_spans',
    ]);
    expect(tables[1].engine_full).toBe(
      'AggregatingMergeTree PARTITION BY toStartOfWeek(Start) ORDER BY (TraceId) ' +
        'TTL toDateTime(Start) + toIntervalDay(7) SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1, non_replicated_deduplication_window = 10000',
    );
    expect(tables[2].as_select).toBe(
      `SELECT TraceId, min(toDateTime(Timestamp)) AS Start, max(toDateTime(Timestamp)) AS End ` +
        `FROM ${db}.otel_traces WHERE TraceId != '' GROUP BY TraceId`,
    );
  });

  it('creates the trace spans table, ordered by trace id, without a view (the store writes it)', async () => {
    const [table] = await engine.rows<{ engine_full: string }>(
      `SELECT engine_full FROM system.tables WHERE database = '${db}' AND name = 'tracehouse_trace_spans'`,
    );
    expect(table.engine_full).toBe(
      'MergeTree PARTITION BY toDate(Timestamp) ORDER BY (TraceId, Timestamp) ' +
        'TTL toDateTime(Timestamp) + toIntervalDay(7) SETTINGS index_granularity = 256, ttl_only_drop_parts = 1, non_replicated_deduplication_window = 10000',
    );
    // Migration 4 created the layout-1 view, migration 6 replaced it with layout 2's, 7 dropped it.
    expect(
      await engine.value(
        `SELECT count() FROM system.tables WHERE database = '${db}' AND name = 'tracehouse_trace_spans_mv'`,
      ),
    ).toBe('0');
  });

  it('creates the service graph edges table, sorted by minute then edge, with its compact columns', async () => {
    expect(await columnsOf(db, 'tracehouse_service_graph_edges')).toEqual([
      { name: 'Timestamp', type: 'DateTime', codec: 'CODEC(DoubleDelta, ZSTD(1))', kind: '' },
      { name: 'ClientStartOffset', type: 'Int32', codec: 'CODEC(ZSTD(1))', kind: '' },
      { name: 'ClientService', type: 'LowCardinality(String)', codec: 'CODEC(ZSTD(1))', kind: '' },
      { name: 'ServerService', type: 'LowCardinality(String)', codec: 'CODEC(ZSTD(1))', kind: '' },
      {
        name: 'ConnectionType',
        type: "Enum8('none' = 0, 'request' = 1, 'messaging_system' = 2, 'other' = 3)",
        codec: 'CODEC(ZSTD(1))',
        kind: '',
      },
      { name: 'ClientDuration', type: 'UInt64', codec: 'CODEC(T64, ZSTD(1))', kind: '' },
      { name: 'ServerDuration', type: 'UInt64', codec: 'CODEC(T64, ZSTD(1))', kind: '' },
      { name: 'ClientFailed', type: 'Bool', codec: 'CODEC(ZSTD(1))', kind: '' },
      { name: 'ServerFailed', type: 'Bool', codec: 'CODEC(ZSTD(1))', kind: '' },
    ]);
    const [table] = await engine.rows<{ engine_full: string }>(
      `SELECT engine_full FROM system.tables WHERE database = '${db}' AND name = 'tracehouse_service_graph_edges'`,
    );
    expect(table.engine_full).toBe(
      'MergeTree PARTITION BY toDate(Timestamp) ' +
        'ORDER BY (toStartOfMinute(Timestamp), ClientService, ServerService, ConnectionType, Timestamp) ' +
        'TTL Timestamp + toIntervalDay(7) SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1',
    );
  });

  it('records every version, and a second run changes nothing', async () => {
    expect(
      await engine.value(`SELECT arraySort(groupArray(version)) FROM ${db}.tracehouse_schema_migrations`),
    ).toBe(JSON.stringify(MIGRATIONS.map((m) => m.version)));
    const before = await engine.value(`SHOW CREATE TABLE ${db}.otel_traces`);
    engine.log.length = 0;
    const again = await applyMigrations(engine.run, db);
    expect(again.applied).toEqual([]);
    expect(engine.log.every((sql) => sql.startsWith('SELECT'))).toBe(true);
    expect(await engine.value(`SHOW CREATE TABLE ${db}.otel_traces`)).toBe(before);
    expect(await engine.value(`SELECT count() FROM ${db}.tracehouse_schema_migrations`)).toBe(
      String(MIGRATIONS.length),
    );
  });
});

/** Migration 1 is the exporter's DDL: run bare, as the collector would (bloom filter variant). */
async function createAsTheExporterDoes(db: string): Promise<void> {
  await engine.run(`CREATE DATABASE ${db}`);
  for (const sql of MIGRATIONS[0].statements(db, { retention: 0, textIndexes: false })) await engine.run(sql);
}

describe('applyMigrations on other starting points', () => {
  it("upgrades a database the collector's exporter created, keeping its rows", async () => {
    const db = 'mig_collector';
    await createAsTheExporterDoes(db);
    await engine.run(
      `INSERT INTO ${db}.otel_traces (Timestamp, TraceId, SpanId, SpanName, ServiceName, SpanAttributes)
       VALUES ('2030-01-01 00:00:00.123456789', '0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331', 'GET', 'api', map('n', '3'))`,
    );
    expect(await readSchemaVersion(engine.run, db)).toBe(0);

    const result = await applyMigrations(engine.run, db);
    expect(result.applied).toEqual(MIGRATIONS.map((m) => m.version));
    const names = (await columnsOf(db, 'otel_traces')).map((c) => c.name);
    expect(names).toEqual([...expected.collector, ...expected.tracehouse].map((c) => c.name));
    expect(await indexesOf(db, 'otel_traces')).toContainEqual({
      name: 'idx_trace_id',
      expr: 'TraceId',
      type_full: 'bloom_filter(0.001)',
    });
    // The collector's row reads back with our columns at their "nothing special" defaults.
    expect(
      await engine.value(
        `SELECT SpanAttributes, SpanAttributeTypes['n'], Flags, EventsAttributeTypes FROM ${qualifiedName(db, 'otel_traces')}`,
      ),
    ).toBe("{'n':'3'}\tstring\t0\t[]");
  });

  it("adds the key=value item columns to a table an older exporter made without them, which TraceQL's string equality reads", async () => {
    const db = 'mig_older_collector';
    await createAsTheExporterDoes(db);
    // The exporter's template before its text indexes had no item columns.
    await engine.run(
      `ALTER TABLE ${db}.otel_traces DROP COLUMN SpanAttributeItems, DROP COLUMN ResourceAttributeItems`,
    );
    await engine.run(
      `INSERT INTO ${db}.otel_traces (Timestamp, TraceId, SpanId, SpanName, ServiceName, ResourceAttributes, SpanAttributes)
       VALUES ('2030-01-01 00:00:00', '0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331', 'GET', 'api', map('r', '1'), map('n', '3'))`,
    );
    await applyMigrations(engine.run, db);
    const items = (await columnsOf(db, 'otel_traces')).filter((c) => c.name.endsWith('AttributeItems'));
    expect(items.map(({ name, kind }) => ({ name, kind }))).toEqual([
      { name: 'ResourceAttributeItems', kind: 'ALIAS' },
      { name: 'SpanAttributeItems', kind: 'ALIAS' },
    ]);
    expect(
      await engine.value(
        `SELECT count() FROM ${db}.otel_traces WHERE has(SpanAttributeItems, 'n=3') AND has(ResourceAttributeItems, 'r=1')`,
      ),
    ).toBe('1');
  });

  it('upgrades 6 to 7: the layout-2 view goes, the rows it wrote stay', async () => {
    const db = 'mig_six';
    const insertSpan = (spanId: string): Promise<string> =>
      engine.run(
        `INSERT INTO ${db}.otel_traces (Timestamp, TraceId, SpanId, SpanName, ServiceName)
         VALUES ('2030-01-01 00:00:00.123456789', '0af7651916cd43dd8448eb211c80319c', '${spanId}', 'GET', 'api')`,
      );
    expect((await applyMigrations(engine.run, db, {}, MIGRATIONS.slice(0, 6))).toVersion).toBe(6);
    await insertSpan('b7ad6b7169203331');
    const copy = `SELECT count(), min(substring(Span, 1, 3)) FROM ${db}.tracehouse_trace_spans`;
    expect(await engine.value(copy)).toBe('1\t[2,');

    expect((await applyMigrations(engine.run, db, {}, MIGRATIONS.slice(0, 7))).applied).toEqual([7]);
    expect(await engine.value(copy)).toBe('1\t[2,');
    // Nothing formats JSON on insert any more: the store inserts the copy's rows itself.
    await insertSpan('c8be7c827a314442');
    expect(await engine.value(copy)).toBe('1\t[2,');
    expect(await engine.value(`SELECT count() FROM ${db}.otel_traces`)).toBe('2');
    // Idempotent: the statement runs again without error.
    for (const sql of MIGRATIONS[6].statements(db, { retention: 0, textIndexes: false }))
      await engine.run(sql);
  });

  it('upgrades 7 to 8: an empty table of changes to the copy, none of the rows touched', async () => {
    const db = 'mig_seven';
    expect((await applyMigrations(engine.run, db, {}, MIGRATIONS.slice(0, 7))).toVersion).toBe(7);
    expect((await applyMigrations(engine.run, db, {}, MIGRATIONS.slice(0, 8))).applied).toEqual([8]);
    expect(await engine.value(`SELECT count() FROM ${db}.tracehouse_trace_copy_changes`)).toBe('0');
    for (const sql of MIGRATIONS[7].statements(db, { retention: 0, textIndexes: false }))
      await engine.run(sql);
  });

  it('finishes a migration that was interrupted halfway', async () => {
    const db = 'mig_interrupted';
    await engine.run(`CREATE DATABASE ${db}`);
    const [first] = MIGRATIONS[0].statements(db, { retention: 604800, textIndexes: true });
    await engine.run(first);
    const result = await applyMigrations(engine.run, db);
    expect(result.applied).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await columnsOf(db, 'otel_traces')).toEqual([...expected.collector, ...expected.tracehouse]);
  });

  it('refuses a database with a newer schema, naming both versions, and sends no change', async () => {
    const db = 'mig_newer';
    await applyMigrations(engine.run, db);
    await engine.run(
      `INSERT INTO ${db}.tracehouse_schema_migrations (version, description) VALUES (99, 'future')`,
    );
    engine.log.length = 0;
    const error = await applyMigrations(engine.run, db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaTooNewError);
    expect(error).toMatchObject({ databaseVersion: 99, supportedVersion: LATEST_SCHEMA_VERSION });
    expect((error as Error).message).toBe(
      `database ${db} has schema version 99, but this Tracehouse knows versions up to ${LATEST_SCHEMA_VERSION}: ` +
        'upgrade Tracehouse (nothing was changed)',
    );
    expect(engine.log.every((sql) => sql.startsWith('SELECT'))).toBe(true);
  });

  it("refuses a cluster's database that is behind, naming the cluster, and sends no change", async () => {
    const db = 'mig_cluster';
    const behind = MIGRATIONS.slice(0, -1);
    await applyMigrations(engine.run, db, {}, behind);
    // What `tracehouse schema --cluster` makes: the data in `…_local`, otel_traces routing to it.
    await engine.run(`RENAME TABLE ${db}.otel_traces TO ${db}.otel_traces_local`);
    await engine.run(
      `CREATE TABLE ${db}.otel_traces AS ${db}.otel_traces_local ` +
        `ENGINE = Distributed('traces_cluster', '${db}', 'otel_traces_local', cityHash64(TraceId))`,
    );
    engine.log.length = 0;
    const error = await applyMigrations(engine.run, db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterSchemaBehindError);
    expect(error).toMatchObject({
      cluster: 'traces_cluster',
      databaseVersion: behind.at(-1)?.version,
      latestVersion: LATEST_SCHEMA_VERSION,
    });
    expect((error as Error).message).toContain(
      `database ${db} is on ClickHouse cluster traces_cluster (otel_traces is a Distributed table) at schema version ${behind.at(-1)?.version}`,
    );
    expect((error as Error).message).toContain(`'tracehouse schema --cluster traces_cluster'`);
    expect(engine.log.every((sql) => sql.startsWith('SELECT'))).toBe(true);
    expect(await readSchemaVersion(engine.run, db)).toBe(behind.at(-1)?.version);
    // Once the cluster's statements have recorded the latest version, nothing is asked of it.
    await engine.run(
      `INSERT INTO ${db}.tracehouse_schema_migrations (version, description) VALUES (${LATEST_SCHEMA_VERSION}, 'by the cluster DDL')`,
    );
    expect((await applyMigrations(engine.run, db)).applied).toEqual([]);
  });

  it('uses bloom filters when told to, and no TTL for retention 0', async () => {
    const db = 'mig_options';
    await applyMigrations(engine.run, db, { textIndexes: false, retention: 0 });
    const indexes = await indexesOf(db, 'otel_traces');
    expect(indexes.map((i) => `${i.name} ${i.type_full}`)).toEqual([
      'idx_duration minmax',
      'idx_res_attr_key bloom_filter(0.01)',
      'idx_res_attr_value bloom_filter(0.01)',
      'idx_span_attr_key bloom_filter(0.01)',
      'idx_span_attr_value bloom_filter(0.01)',
      'idx_trace_id bloom_filter(0.001)',
    ]);
    expect(await engine.value(`SHOW CREATE TABLE ${db}.otel_traces`)).not.toContain('TTL');
  });
});

describe('the migration list', () => {
  it('is strictly increasing from 1', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
});
