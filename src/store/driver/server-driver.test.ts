import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHouseError } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClickHouseHttpOverChdb } from '../../../test/support/clickhouse-http-over-chdb.js';
import type { ClickHouseHttpOverChdb } from '../../../test/support/clickhouse-http-over-chdb.js';
import { describeTraceStoreContract } from '../../../test/support/trace-store-contract.js';
import { everyKindBatch } from '../../../test/support/every-kind-batch.js';
import { encodeSpanBlocks } from '../rows/span-blocks.js';
import type { SpanRowsBatch } from '../trace-store.js';
import { TraceStore } from '../trace-store.js';
import { runWithReadDeadline } from './read-deadline.js';
import { ServerDriver, ServerUnavailableError, foregroundInsert, readSettings } from './server-driver.js';

// One test server (so one chdb engine) for the whole file: chdb holds one data folder per process.
let dir: string;
let server: ClickHouseHttpOverChdb;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tracehouse-server-driver-'));
  server = await startClickHouseHttpOverChdb({ dataDir: dir });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const driverFor = (overrides: { url?: string; password?: string } = {}): ServerDriver =>
  new ServerDriver({
    url: overrides.url ?? server.url,
    username: server.username,
    password: overrides.password ?? server.password,
    database: 'default',
    requestTimeoutMs: 5_000,
  });

describeTraceStoreContract('server driver over the ClickHouse HTTP interface (test server on chdb)', () => {
  const driver = driverFor();
  return Promise.resolve({ driver, close: () => driver.close() });
});

describe('ServerDriver on the wire', () => {
  it('streams RowBinary as an INSERT body, with ClickHouse insert deduplication off', async () => {
    const driver = driverFor();
    try {
      await driver.exec(
        'CREATE TABLE IF NOT EXISTS default.wire (a String, b Int64) ENGINE = MergeTree ORDER BY a',
      );
      const row = Buffer.from([3, 0x61, 0x27, 0x62, 7, 0, 0, 0, 0, 0, 0, 0]); // "a'b", 7
      server.requests.length = 0;
      await driver.insertRowBinary('default.wire (a, b)', 'a String, b Int64', row);
      expect(server.requests.filter((r) => r.sql.startsWith('INSERT'))).toEqual([
        expect.objectContaining({
          sql: 'INSERT INTO default.wire (a, b) FORMAT RowBinary',
          bodyBytes: row.length,
          settings: expect.objectContaining({
            insert_deduplicate: '0',
          }) as unknown,
        }),
      ]);
      expect(await driver.query('SELECT a, b FROM default.wire')).toEqual([{ a: "a'b", b: '7' }]);
    } finally {
      await driver.close();
    }
  });

  it('names an insert with its query id, and stops a query by id (none running: a no-op)', async () => {
    const driver = driverFor();
    try {
      await driver.exec('CREATE TABLE IF NOT EXISTS default.named (a String) ENGINE = MergeTree ORDER BY a');
      const block = Buffer.from([1, 1, 1, 0x61, 6, 0x53, 0x74, 0x72, 0x69, 0x6e, 0x67, 1, 0x78]);
      server.requests.length = 0;
      await driver.insertNative('default.named (a)', block, 'tracehouse-flush-test-tenant');
      expect(server.requests.filter((r) => r.sql.startsWith('INSERT'))).toEqual([
        expect.objectContaining({
          sql: 'INSERT INTO default.named (a) FORMAT Native',
          queryId: 'tracehouse-flush-test-tenant',
        }),
      ]);
      // The server is ClickHouse 26.7 (the embedded engine): deduplicate_insert decides there.
      expect(server.requests.find((r) => r.sql.startsWith('INSERT'))?.settings).toMatchObject({
        insert_deduplicate: '0',
        deduplicate_insert: 'disable',
      });
      await driver.stopInsert('tracehouse-flush-test-tenant');
      expect(server.requests.at(-1)?.sql).toMatch(
        /^KILL QUERY WHERE query_id = \{id:String\} OR startsWith\(query_id, \{replays:String\}\) SYNC/,
      );
      expect(await driver.query('SELECT a FROM default.named')).toEqual([{ a: 'x' }]);
    } finally {
      await driver.close();
    }
  });

  it('sends values as param_<name>, never in the SQL text', async () => {
    const driver = driverFor();
    try {
      server.requests.length = 0;
      await driver.query('SELECT {s:String} AS s', { s: "')) OR 1=1 --" });
      // The first request asks the server's version (readSettings).
      const [probe, request] = server.requests;
      expect(probe.sql).toMatch(/SELECT version\(\)/);
      expect(request.sql).not.toContain('OR 1=1');
      expect(request.params).toEqual({ s: "\\')) OR 1=1 --" });
    } finally {
      await driver.close();
    }
  });

  it('surfaces a wrong password as ClickHouse error 516', async () => {
    const driver = driverFor({ password: 'wrong' });
    try {
      const error = await driver.text('SELECT 1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ClickHouseError);
      expect(error).toMatchObject({ code: '516', type: 'AUTHENTICATION_FAILED' });
    } finally {
      await driver.close();
    }
  });

  it('says which server is unreachable when nothing listens there', async () => {
    const port = await freePort();
    const driver = driverFor({ url: `http://127.0.0.1:${port}` });
    try {
      const error = await driver.query('SELECT 1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServerUnavailableError);
      expect((error as Error).message).toContain(
        `ClickHouse server at http://127.0.0.1:${port} is unreachable`,
      );
    } finally {
      await driver.close();
    }
  });

  it("names a replay's inserts after the flush's, so the next replay ends them before it compares", async () => {
    const driver = driverFor();
    try {
      const store = new TraceStore(driver, { retentionSeconds: 0 });
      const traceIds = ['c1', 'c2'].map((p) => `${p}${'0'.repeat(29)}e`);
      const blocks = traceIds.map((id) => encodeSpanBlocks(everyKindBatch(id)));
      const batch: SpanRowsBatch = {
        format: 'Native',
        rows: blocks.map((b) => b.spans),
        traceSpanRows: blocks.map((b) => b.traceSpans),
      };
      await store.database('replay-ids');
      server.requests.length = 0;
      const flush = { insertId: 'tracehouse-flush-7-replay-ids', endEarlierInserts: true };
      // One byte a part: a part a trace, both missing, so each part inserts into every table.
      expect(await store.replaySpanRows('replay-ids', batch, flush, 1)).toMatchObject({ missingSpans: 2 });
      const seen = server.requests.map((r) =>
        r.sql.startsWith('KILL')
          ? `kill ${r.params.id} ${r.params.replays}`
          : /^\s*INSERT INTO `[^`]+`\.`(otel_traces|tracehouse_trace_spans|otel_traces_trace_id_ts)`/.test(
                r.sql,
              )
            ? `insert ${r.queryId?.replace(/[0-9a-f]{32}/, '<id>')}`
            : 'other',
      );
      const kills = seen.filter((s) => s.startsWith('kill'));
      // The flush's inserts and any earlier replay's (named `<insertId>/…`) end before the first
      // comparison; the second part does not end the first's.
      expect(kills).toEqual([
        'kill tracehouse-flush-7-replay-ids tracehouse-flush-7-replay-ids/',
        'kill tracehouse-flush-7-replay-ids-copy tracehouse-flush-7-replay-ids-copy/',
      ]);
      expect(seen.indexOf(kills[1])).toBeLessThan(seen.findIndex((s) => s.startsWith('insert')));
      const part = ['traces', 'copy', 'lookup'].map(
        (t) => `insert tracehouse-flush-7-replay-ids/replay-<id>-${t}`,
      );
      expect(seen.filter((s) => s.startsWith('insert'))).toEqual([...part, ...part]);
    } finally {
      await driver.close();
    }
  });

  it("inserts through a cluster's Distributed tables in the foreground: every insert, a replay's too", async () => {
    const driver = driverFor();
    try {
      const store = new TraceStore(driver, { retentionSeconds: 0 });
      const blocks = ['d1', 'd2'].map((p) => encodeSpanBlocks(everyKindBatch(`${p}${'0'.repeat(29)}e`)));
      await store.database('foreground');
      server.requests.length = 0;
      await store.insertSpans('foreground', blocks[0], 'tracehouse-flush-8-foreground');
      const batch: SpanRowsBatch = {
        format: 'Native',
        rows: blocks.map((b) => b.spans),
        traceSpanRows: blocks.map((b) => b.traceSpans),
      };
      const flush = { insertId: 'tracehouse-flush-9-foreground', endEarlierInserts: true };
      expect(await store.replaySpanRows('foreground', batch, flush)).toMatchObject({ missingSpans: 1 });
      await driver.exec('CREATE TABLE IF NOT EXISTS default.rows (a UInt8) ENGINE = MergeTree ORDER BY a');
      await driver.insertRowBinary('default.rows (a)', 'a UInt8', Buffer.from([1]));

      const sent = server.requests
        .filter((r) => /^\s*INSERT\b/.test(r.sql))
        .map((r) => [
          /^\s*INSERT INTO (\S+)/.exec(r.sql)?.[1].replace(/replay_[0-9a-f]{32}_/, 'replay_<id>_'),
          r.settings.distributed_foreground_insert,
        ]);
      // The server is ClickHouse 26.7 (the embedded engine): the setting's name since 23.10.
      const db = '`tracehouse_foreground`';
      expect(sent).toEqual([
        // The flush: its rows, then the copy's.
        [`${db}.otel_traces`, '1'],
        [`${db}.\`tracehouse_trace_spans\``, '1'],
        // The replay: its batch into a work table, the spans missing, then what it stores.
        [`${db}.\`tracehouse_replay_<id>_batch\``, '1'],
        [`${db}.\`tracehouse_replay_<id>_missing\``, '1'],
        [`${db}.\`otel_traces\``, '1'],
        [`${db}.\`tracehouse_replay_<id>_copy\``, '1'],
        [`${db}.\`tracehouse_trace_spans\``, '1'],
        [`${db}.\`otel_traces_trace_id_ts\``, '1'],
        ['default.rows', '1'],
      ]);
      // Other statements are sent as before, without it.
      expect(
        server.requests.filter((r) => r.sql.startsWith('CREATE')).map((r) => r.settings),
      ).not.toContainEqual(expect.objectContaining({ distributed_foreground_insert: '1' }));
    } finally {
      await driver.close();
    }
  });

  it('reads with text-index direct reads off, on servers that have text indexes', async () => {
    const driver = driverFor();
    try {
      server.requests.length = 0;
      await driver.query('SELECT 1 AS one');
      await driver.text('SELECT 2');
      const reads = server.requests.filter((r) => /SELECT [12]/.test(r.sql));
      expect(reads.map((r) => r.settings.query_plan_direct_read_from_text_index)).toEqual(['0', '0']);
    } finally {
      await driver.close();
    }
    expect(readSettings('26.1.4.1')).toEqual({});
    expect(readSettings('26.2.1.1')).toEqual({ query_plan_direct_read_from_text_index: 0 });
  });

  it("bounds a request's reads by what is left of its budget (max_execution_time), nothing else", async () => {
    const driver = driverFor();
    try {
      server.requests.length = 0;
      await driver.query('SELECT 3 AS three');
      await runWithReadDeadline(Date.now() + 1500, async () => {
        await driver.query('SELECT 4 AS four');
        await driver.text('SELECT 5');
        await driver.exec('CREATE TABLE IF NOT EXISTS bounded_nothing (x UInt8) ENGINE = Memory');
        const scan = 'SELECT count() FROM numbers(30000000000) WHERE cityHash64(number) % 7 = 3';
        await expect(driver.text(scan)).rejects.toThrow(/Timeout exceeded/);
      });
      const limits = server.requests
        .filter((r) => /SELECT [345]|bounded_nothing/.test(r.sql))
        .map((r) => r.settings.max_execution_time);
      expect(limits).toEqual([undefined, '2', '2', undefined]);
    } finally {
      await driver.close();
    }
  });

  it('names foreground inserts as the server knows them: insert_distributed_sync before 23.10', () => {
    expect(foregroundInsert('23.8.16.16')).toEqual({ insert_distributed_sync: 1 });
    expect(foregroundInsert('23.10.1.1')).toEqual({ distributed_foreground_insert: 1 });
    expect(foregroundInsert('26.7.2.1')).toEqual({ distributed_foreground_insert: 1 });
  });

  it('refuses calls after close, and close is idempotent', async () => {
    const driver = driverFor();
    await driver.close();
    await driver.close();
    await expect(driver.text('SELECT 1')).rejects.toThrow(/closed/);
  });
});

/** A port nothing listens on: bound, read, released. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
