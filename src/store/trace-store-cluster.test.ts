import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClusterSchema,
  openLocalClusterEngine,
} from '../../test/support/cluster-schema-on-one-engine.js';
import { everyKindBatch } from '../../test/support/every-kind-batch.js';
import { EmbeddedDriver } from './driver/embedded-driver.js';
import { encodeSpanBlocks } from './rows/span-blocks.js';
import { tenantDatabaseName } from './schema/tenant-database.js';
import type { SpanRowsBatch } from './trace-store.js';
import { TraceStore } from './trace-store.js';

const cluster = 'traces_cluster';
const DAY = 86_400;

let dir: string;
let anchor: Session;
let driver: EmbeddedDriver;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tracehouse-store-cluster-'));
  anchor = openLocalClusterEngine(dir, cluster);
  driver = await EmbeddedDriver.open(dir);
});
afterAll(async () => {
  await driver?.close();
  anchor?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('TraceStore over a database made by tracehouse schema --cluster', () => {
  const tenant = 'acme';
  const database = tenantDatabaseName(tenant);
  const run = (sql: string): Promise<string> => driver.text(sql);
  beforeAll(async () => {
    await createClusterSchema(run, { cluster, database, retention: 7 * DAY });
  });

  it('opens the tenant, whose tables are Distributed ones, whatever the retention', async () => {
    expect(
      await driver.text(
        `SELECT engine FROM system.tables WHERE database = '${database}' AND name = 'otel_traces'`,
      ),
    ).toBe('Distributed\n');
    await expect(new TraceStore(driver, { retentionSeconds: 7 * DAY }).database(tenant)).resolves.toBe(
      database,
    );
    // Another retention is left to the cluster's operator: no error, no TTL changed here, and the
    // statements to run on the cluster are logged.
    const warnings: { fields: object; message: string }[] = [];
    const logger = { warn: (fields: object, message: string) => void warnings.push({ fields, message }) };
    await expect(new TraceStore(driver, { retentionSeconds: DAY, logger }).database(tenant)).resolves.toBe(
      database,
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/run these statements on the cluster/);
    expect(JSON.stringify(warnings[0].fields)).toMatch(/ON CLUSTER `?traces_cluster`?.*toIntervalDay\(1\)/);
    expect(await driver.text(`SHOW CREATE TABLE \`${database}\`.otel_traces_local`)).toContain(
      'toIntervalDay(7)',
    );
  });

  it('stores spans through the Distributed tables and reads them back', async () => {
    const store = new TraceStore(driver, { retentionSeconds: 7 * DAY });
    const traceId = `c1${'0'.repeat(29)}f`;
    await store.insertSpans(tenant, encodeSpanBlocks(everyKindBatch(traceId)));
    expect(await store.getTrace(tenant, traceId)).toEqual(everyKindBatch(traceId));
    expect(
      await driver.text(`SELECT count() FROM \`${database}\`.otel_traces_local WHERE TraceId = '${traceId}'`),
    ).toBe('1\n');
  });

  it('replays a batch stored in part through them: each span once', async () => {
    const store = new TraceStore(driver, { retentionSeconds: 7 * DAY });
    const traceIds = ['d1', 'd2', 'd3'].map((p) => `${p}${'0'.repeat(29)}f`);
    const blocks = traceIds.map((id) => encodeSpanBlocks(everyKindBatch(id)));
    // A flush cut short: the first trace stored, the second in otel_traces only, the third not at all.
    await store.insertSpans(tenant, blocks[0]);
    await store.insertSpanRows(tenant, blocks[1].spans);
    const batch: SpanRowsBatch = {
      format: 'Native',
      rows: blocks.map((b) => b.spans),
      traceSpanRows: blocks.map((b) => b.traceSpans),
    };
    expect(await store.replaySpanRows(tenant, batch)).toEqual({
      spans: 3,
      missingSpans: 1,
      missingTraceSpans: 2,
    });
    for (const traceId of traceIds) {
      expect(await store.getTrace(tenant, traceId)).toEqual(everyKindBatch(traceId));
      for (const table of ['otel_traces_local', 'tracehouse_trace_spans_local'])
        expect(
          await driver.text(`SELECT count() FROM \`${database}\`.${table} WHERE TraceId = '${traceId}'`),
          `${table} ${traceId}`,
        ).toBe('1\n');
    }
  });
});
