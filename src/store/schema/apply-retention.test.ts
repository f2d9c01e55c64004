import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from './apply-migrations.js';
import { applyRetention, ttlOf } from './apply-retention.js';
import type { TestEngine } from '../../../test/support/chdb-test-session.js';
import { openTestEngine } from '../../../test/support/chdb-test-session.js';
import { ttlExpression } from './retention-ttl.js';

let engine: TestEngine;
beforeAll(() => {
  engine = openTestEngine();
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
    expect(await applyRetention(engine.run, db, 7 * 86400)).toEqual([]);
  });

  it('changes the TTL of every table with ALTER … MODIFY TTL, once', async () => {
    engine.log.length = 0;
    expect(await applyRetention(engine.run, db, 36 * 3600)).toEqual([
      'otel_traces',
      'otel_traces_trace_id_ts',
      'tracehouse_trace_spans',
      'tracehouse_service_graph_edges',
    ]);
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
    expect(await applyRetention(engine.run, db, 36 * 3600)).toEqual([]);
  });

  it('removes the TTL for retention 0 and puts one back later', async () => {
    expect(await applyRetention(engine.run, db, 0)).toEqual([
      'otel_traces',
      'otel_traces_trace_id_ts',
      'tracehouse_trace_spans',
      'tracehouse_service_graph_edges',
    ]);
    expect(await showCreate('otel_traces')).not.toContain('TTL');
    expect(await applyRetention(engine.run, db, 0)).toEqual([]);
    await applyRetention(engine.run, db, 30 * 86400);
    expect(await showCreate('otel_traces')).toContain('TTL toDateTime(Timestamp) + toIntervalDay(30)');
  });

  it('says so when the tables are missing', async () => {
    await expect(applyRetention(engine.run, 'no_such_db', 60)).rejects.toThrow(
      'cannot set retention: no_such_db.otel_traces does not exist (apply the migrations first)',
    );
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
