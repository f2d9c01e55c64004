import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from './apply-migrations.js';
import { applyRetention, ttlOf } from './apply-retention.js';
import { distributedTarget } from './distributed-target.js';
import type { TestEngine } from '../../../test/support/chdb-test-session.js';
import { openTestEngine } from '../../../test/support/chdb-test-session.js';
import { createClusterSchema } from '../../../test/support/cluster-schema-on-one-engine.js';
import { clusterRetentionStatements } from './cluster-ddl.js';
import { ttlExpression } from './retention-ttl.js';

let engine: TestEngine;
beforeAll(() => {
  engine = openTestEngine({ clusters: ['traces_cluster'] });
});
afterAll(() => engine.close());

describe('ttlExpression', () => {
  it('uses the largest whole unit, as the exporter does', () => {
    expect(ttlExpression('toDateTime(Timestamp)', 7 * 86400)).toBe(
      'toDateTime(Timestamp) + toIntervalDay(7)',
    );
    expect(ttlExpression('toDateTime(Timestamp)', 36 * 3600)).toBe(
      'toDateTime(Timestamp) + toIntervalHour(36)',
    );
    expect(ttlExpression('toDateTime(Start)', 90 * 60)).toBe('toDateTime(Start) + toIntervalMinute(90)');
    expect(ttlExpression('toDateTime(Start)', 61)).toBe('toDateTime(Start) + toIntervalSecond(61)');
    expect(ttlExpression('toDateTime(Start)', 0)).toBeUndefined();
  });

  it('refuses negative and fractional retention', () => {
    expect(() => ttlExpression('x', -1)).toThrow(/whole number of seconds/);
    expect(() => ttlExpression('x', 1.5)).toThrow(/whole number of seconds/);
  });
});

describe('applyRetention', () => {
  const db = 'retention';
  const showCreate = (table: string) => engine.value(`SHOW CREATE TABLE ${db}.${table}`);
  beforeAll(async () => {
    await applyMigrations(engine.run, db);
  });

  it('starts with the 7-day default', async () => {
    expect(await showCreate('otel_traces')).toContain('TTL toDateTime(Timestamp) + toIntervalDay(7)');
    expect(await showCreate('otel_traces_trace_id_ts')).toContain('TTL toDateTime(Start) + toIntervalDay(7)');
    expect(await applyRetention(engine.run, db, 7 * 86400)).toEqual({ altered: [], pending: [] });
  });

  it('changes the TTL of every table with ALTER … MODIFY TTL, once', async () => {
    engine.log.length = 0;
    expect(await applyRetention(engine.run, db, 36 * 3600)).toEqual({
      altered: [
        'otel_traces',
        'otel_traces_trace_id_ts',
        'tracehouse_trace_spans',
        'tracehouse_service_graph_edges',
      ],
      pending: [],
    });
    expect(engine.log.filter((sql) => sql.startsWith('ALTER'))).toEqual([
      'ALTER TABLE `retention`.`otel_traces` MODIFY TTL toDateTime(Timestamp) + toIntervalHour(36)',
      'ALTER TABLE `retention`.`otel_traces_trace_id_ts` MODIFY TTL toDateTime(Start) + toIntervalHour(36)',
      'ALTER TABLE `retention`.`tracehouse_trace_spans` MODIFY TTL toDateTime(Timestamp) + toIntervalHour(36)',
      'ALTER TABLE `retention`.`tracehouse_service_graph_edges` MODIFY TTL Timestamp + toIntervalHour(36)',
    ]);
    expect(await showCreate('otel_traces')).toContain('TTL toDateTime(Timestamp) + toIntervalHour(36)');
    expect(await showCreate('otel_traces_trace_id_ts')).toContain(
      'TTL toDateTime(Start) + toIntervalHour(36)',
    );
    expect(await applyRetention(engine.run, db, 36 * 3600)).toEqual({ altered: [], pending: [] });
  });

  it('removes the TTL for retention 0 and puts one back later', async () => {
    expect((await applyRetention(engine.run, db, 0)).altered).toEqual([
      'otel_traces',
      'otel_traces_trace_id_ts',
      'tracehouse_trace_spans',
      'tracehouse_service_graph_edges',
    ]);
    expect(await showCreate('otel_traces')).not.toContain('TTL');
    expect(await applyRetention(engine.run, db, 0)).toEqual({ altered: [], pending: [] });
    await applyRetention(engine.run, db, 30 * 86400);
    expect(await showCreate('otel_traces')).toContain('TTL toDateTime(Timestamp) + toIntervalDay(30)');
  });

  it('says so when the tables are missing', async () => {
    await expect(applyRetention(engine.run, 'no_such_db', 60)).rejects.toThrow(
      'cannot set retention: no_such_db.otel_traces does not exist (apply the migrations first)',
    );
  });

  it('refuses a table that is neither a MergeTree nor a Distributed one', async () => {
    await engine.run('CREATE DATABASE retention_memory');
    await engine.run('CREATE TABLE retention_memory.otel_traces (TraceId String) ENGINE = Memory');
    engine.log.length = 0;
    await expect(applyRetention(engine.run, 'retention_memory', 60)).rejects.toThrow(
      'cannot set retention on retention_memory.otel_traces: it is a Memory table, neither a MergeTree nor a Distributed one',
    );
    expect(engine.log.every((sql) => sql.startsWith('SELECT'))).toBe(true);
  });
});

describe('applyRetention on a cluster (tracehouse schema --cluster)', () => {
  const cluster = 'traces_cluster';
  const localTtl = (db: string, table: string) =>
    engine
      .value(`SELECT engine_full FROM system.tables WHERE database = '${db}' AND name = '${table}'`)
      .then(ttlOf);

  it('finds the TTLs of the …_local tables as asked: nothing to do', async () => {
    const db = 'retention_cluster_same';
    await createClusterSchema(engine.run, { cluster, database: db, retention: 7 * 86400 });
    expect(
      await engine.value(
        `SELECT engine FROM system.tables WHERE database = '${db}' AND name = 'otel_traces'`,
      ),
    ).toBe('Distributed');
    engine.log.length = 0;
    expect(await applyRetention(engine.run, db, 7 * 86400)).toEqual({ altered: [], pending: [] });
    expect(engine.log.every((sql) => sql.startsWith('SELECT'))).toBe(true);
  });

  it('returns the ON CLUSTER statements for a different retention, and runs none', async () => {
    const db = 'retention_cluster_other';
    await createClusterSchema(engine.run, { cluster, database: db, retention: 7 * 86400 });
    engine.log.length = 0;
    const result = await applyRetention(engine.run, db, 36 * 3600);
    expect(result.altered).toEqual([]);
    expect(result.pending).toEqual(
      clusterRetentionStatements({ cluster, database: db, retention: 36 * 3600 }),
    );
    expect(result.pending[0]).toBe(
      'ALTER TABLE `retention_cluster_other`.`otel_traces_local` ON CLUSTER `traces_cluster` ' +
        'MODIFY TTL toDateTime(Timestamp) + toIntervalHour(36)',
    );
    expect(engine.log.every((sql) => sql.startsWith('SELECT'))).toBe(true);
    expect(await localTtl(db, 'otel_traces_local')).toBe('toDateTime(Timestamp) + toIntervalDay(7)');

    // Once the operator has run them (here without ON CLUSTER, on the one node), nothing is pending.
    for (const sql of result.pending) await engine.run(sql.replace(' ON CLUSTER `traces_cluster`', ''));
    expect(await applyRetention(engine.run, db, 36 * 3600)).toEqual({ altered: [], pending: [] });
    expect((await applyRetention(engine.run, db, 0)).pending).toEqual(
      clusterRetentionStatements({ cluster, database: db, retention: 0 }),
    );
  });

  it('reads the local table of a database whose name needs escaping', async () => {
    const db = "ret`'\\x";
    await createClusterSchema(engine.run, { cluster, database: db, retention: 0 });
    expect((await applyRetention(engine.run, db, 60)).pending).toEqual(
      clusterRetentionStatements({ cluster, database: db, retention: 60 }),
    );
  });
});

describe('distributedTarget', () => {
  it('reads the cluster, database and table out of engine_full, and nothing out of expressions', () => {
    expect(distributedTarget("Distributed('c', 'd\\'x', 't_local', cityHash64(TraceId))")).toEqual({
      cluster: 'c',
      database: "d'x",
      table: 't_local',
    });
    expect(distributedTarget("Distributed('c', currentDatabase(), 't')")).toBeUndefined();
  });
});

describe('ttlOf', () => {
  it('reads the TTL clause out of engine_full', () => {
    expect(ttlOf('MergeTree ORDER BY x TTL a + toIntervalDay(1) SETTINGS index_granularity = 8192')).toBe(
      'a + toIntervalDay(1)',
    );
    expect(ttlOf('MergeTree ORDER BY x TTL a + toIntervalDay(1)')).toBe('a + toIntervalDay(1)');
    expect(ttlOf('MergeTree ORDER BY x SETTINGS index_granularity = 8192')).toBeUndefined();
  });
});
