import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSchemaVersion } from './apply-migrations.js';
import type { TestEngine } from '../../../test/support/chdb-test-session.js';
import { openTestEngine } from '../../../test/support/chdb-test-session.js';
import { clusterRetentionStatements, clusterSchemaStatements } from './cluster-ddl.js';
import { COLLECTOR_TRACE_COLUMNS } from './collector-traces-schema.js';
import { LATEST_SCHEMA_VERSION } from './migrations.js';
import { createMigrationsTableSql } from './migrations-table.js';
import { TRACEHOUSE_TRACE_COLUMNS } from './tracehouse-trace-columns.js';
import { createDatabaseSql } from './traces-ddl.js';

let engine: TestEngine;
beforeAll(() => {
  engine = openTestEngine();
});
afterAll(() => engine.close());

/** ClickHouse's own parser, through `formatQuery`; the statement travels as a bound parameter. */
async function format(sql: string): Promise<string> {
  const result = await engine.session.queryBindAsync(
    'SELECT formatQuery({sql:String}) AS f',
    { sql },
    {
      format: 'JSONEachRow',
    },
  );
  return (JSON.parse(result.text()) as { f: string }).f;
}

const statements = clusterSchemaStatements({ cluster: 'traces_cluster', database: 'tracehouse_acme' });

describe('clusterSchemaStatements', () => {
  it('produces statements that ClickHouse parses', async () => {
    expect(statements).toHaveLength(14);
    for (const sql of statements) await expect(format(sql)).resolves.toMatch(/^(CREATE|INSERT|DROP)/);
  });

  it('is checked by a parser that does reject bad SQL', async () => {
    await expect(format(statements[1].replace('ENGINE =', 'ENGINE ='.repeat(2)))).rejects.toThrow(
      /SYNTAX_ERROR/,
    );
  });

  it('creates the database on the cluster', async () => {
    expect(await format(statements[0])).toBe(
      'CREATE DATABASE IF NOT EXISTS tracehouse_acme ON CLUSTER traces_cluster',
    );
  });

  it('creates a replicated local span table with every column, the keys and the TTL', async () => {
    const sql = await format(statements[1]);
    expect(sql).toMatch(
      /^CREATE TABLE IF NOT EXISTS tracehouse_acme\.otel_traces_local ON CLUSTER traces_cluster\n/,
    );
    const names = [...sql.matchAll(/^ {4}`(\w+)` /gm)].map((m) => m[1]);
    expect(names).toEqual([...COLLECTOR_TRACE_COLUMNS, ...TRACEHOUSE_TRACE_COLUMNS].map((c) => c.name));
    expect(sql).toContain(
      "ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')\n" +
        'PARTITION BY toDate(Timestamp)\n' +
        'PRIMARY KEY (ServiceName, SpanName, toDateTime(Timestamp))\n' +
        'ORDER BY (ServiceName, SpanName, toDateTime(Timestamp), Timestamp)\n' +
        'TTL toDateTime(Timestamp) + toIntervalDay(7)\n' +
        'SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1',
    );
    // Bloom filters by default: they work on every ClickHouse version a cluster may run.
    expect(sql).toContain('INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1');
  });

  it('puts Distributed tables sharded by trace id under the standalone names', async () => {
    expect(await format(statements[2])).toBe(
      'CREATE TABLE IF NOT EXISTS tracehouse_acme.otel_traces ON CLUSTER traces_cluster AS tracehouse_acme.otel_traces_local\n' +
        "ENGINE = Distributed('traces_cluster', 'tracehouse_acme', 'otel_traces_local', cityHash64(TraceId))",
    );
    expect(await format(statements[4])).toBe(
      'CREATE TABLE IF NOT EXISTS tracehouse_acme.otel_traces_trace_id_ts ON CLUSTER traces_cluster AS tracehouse_acme.otel_traces_trace_id_ts_local\n' +
        "ENGINE = Distributed('traces_cluster', 'tracehouse_acme', 'otel_traces_trace_id_ts_local', cityHash64(TraceId))",
    );
  });

  it('keeps the trace id lookup and its view shard-local', async () => {
    const table = await format(statements[3]);
    expect(table).toContain('tracehouse_acme.otel_traces_trace_id_ts_local ON CLUSTER traces_cluster');
    expect(table).toContain(
      "ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')",
    );
    expect(table).toContain('TTL toDateTime(Start) + toIntervalDay(7)');
    const view = await format(statements[5]);
    expect(view).toContain(
      'CREATE MATERIALIZED VIEW IF NOT EXISTS tracehouse_acme.otel_traces_trace_id_ts_mv ON CLUSTER traces_cluster ' +
        'TO tracehouse_acme.otel_traces_trace_id_ts_local',
    );
    expect(view).toContain('FROM tracehouse_acme.otel_traces_local');
  });

  it('keeps the trace spans table shard-local, behind a Distributed table, with no view', async () => {
    const table = await format(statements[6]);
    expect(table).toContain('tracehouse_acme.tracehouse_trace_spans_local ON CLUSTER traces_cluster');
    expect(table).toContain(
      "ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')\n" +
        'PARTITION BY toDate(Timestamp)\nORDER BY (TraceId, Timestamp)\n' +
        'TTL toDateTime(Timestamp) + toIntervalDay(7)\nSETTINGS index_granularity = 256, ttl_only_drop_parts = 1',
    );
    expect(await format(statements[7])).toContain(
      "ENGINE = Distributed('traces_cluster', 'tracehouse_acme', 'tracehouse_trace_spans_local', cityHash64(TraceId))",
    );
    // The store inserts the copy's rows; an older cluster's view goes on every node.
    expect(await format(statements[8])).toBe(
      'DROP VIEW IF EXISTS tracehouse_acme.tracehouse_trace_spans_mv ON CLUSTER traces_cluster',
    );
    expect(statements.filter((sql) => sql.includes('MATERIALIZED VIEW'))).toHaveLength(1);
  });

  it('spreads the service graph edges table at random, behind a Distributed table', async () => {
    const table = await format(statements[9]);
    expect(table).toContain('tracehouse_acme.tracehouse_service_graph_edges_local ON CLUSTER traces_cluster');
    expect(table).toContain(
      "ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')\n" +
        'PARTITION BY toDate(Timestamp)\n' +
        'ORDER BY (toStartOfMinute(Timestamp), ClientService, ServerService, ConnectionType, Timestamp)\n' +
        'TTL Timestamp + toIntervalDay(7)\nSETTINGS index_granularity = 8192, ttl_only_drop_parts = 1',
    );
    expect(await format(statements[10])).toContain(
      "ENGINE = Distributed('traces_cluster', 'tracehouse_acme', 'tracehouse_service_graph_edges_local', rand())",
    );
  });

  it('keeps the changes of the copy on every node, one replicated table', async () => {
    expect(await format(statements[11])).toBe(
      'CREATE TABLE IF NOT EXISTS tracehouse_acme.tracehouse_trace_copy_changes ON CLUSTER traces_cluster\n' +
        "(\n    `At` DateTime64(3, 'UTC'),\n    `Enabled` Bool\n)\n" +
        "ENGINE = ReplicatedMergeTree('/clickhouse/tables/{database}/{table}', '{replica}')\nORDER BY At",
    );
  });

  it('records the schema version on every node', async () => {
    expect(await format(statements[12])).toContain(
      "ENGINE = ReplicatedMergeTree('/clickhouse/tables/{database}/{table}', '{replica}')",
    );
    // formatQuery stops at the VALUES data, so run the INSERT against a standalone copy of the table.
    expect(await format(statements[13])).toBe(
      'INSERT INTO tracehouse_acme.tracehouse_schema_migrations (version, description) FORMAT Values',
    );
    await engine.run(createDatabaseSql('tracehouse_acme'));
    await engine.run(createMigrationsTableSql('tracehouse_acme'));
    await engine.run(statements[13]);
    expect(await readSchemaVersion(engine.run, 'tracehouse_acme')).toBe(LATEST_SCHEMA_VERSION);
  });

  it('quotes hostile cluster and database names', async () => {
    const hostile = clusterSchemaStatements({
      cluster: "c`'; DROP",
      database: "d`'x",
      retention: 3600,
      textIndexes: true,
    });
    for (const sql of hostile) await expect(format(sql)).resolves.toMatch(/^(CREATE|INSERT|DROP)/);
    expect(await format(hostile[0])).toBe("CREATE DATABASE IF NOT EXISTS `d\\`'x` ON CLUSTER `c\\`'; DROP`");
    expect(await format(hostile[1])).toContain("text(tokenizer = 'array')");
    expect(await format(hostile[1])).toContain('TTL toDateTime(Timestamp) + toIntervalHour(1)');
  });
});

describe('clusterRetentionStatements', () => {
  it('alters the TTL of the local tables on every node', async () => {
    const sql = clusterRetentionStatements({
      cluster: 'traces_cluster',
      database: 'tracehouse_acme',
      retention: 2 * 86400,
    });
    expect(await Promise.all(sql.map(format))).toEqual([
      'ALTER TABLE tracehouse_acme.otel_traces_local ON CLUSTER traces_cluster\n' +
        '    (MODIFY TTL toDateTime(Timestamp) + toIntervalDay(2))',
      'ALTER TABLE tracehouse_acme.otel_traces_trace_id_ts_local ON CLUSTER traces_cluster\n' +
        '    (MODIFY TTL toDateTime(Start) + toIntervalDay(2))',
      'ALTER TABLE tracehouse_acme.tracehouse_trace_spans_local ON CLUSTER traces_cluster\n' +
        '    (MODIFY TTL toDateTime(Timestamp) + toIntervalDay(2))',
      'ALTER TABLE tracehouse_acme.tracehouse_service_graph_edges_local ON CLUSTER traces_cluster\n' +
        '    (MODIFY TTL Timestamp + toIntervalDay(2))',
    ]);
  });
});
