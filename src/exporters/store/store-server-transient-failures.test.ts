import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HttpFault, RecordedRequest } from '../../../test/support/clickhouse-http-over-chdb.js';
import { startClickHouseHttpOverChdb } from '../../../test/support/clickhouse-http-over-chdb.js';
import { serverStoreExporter, useServerStoreFolder } from '../../../test/support/server-store-exporter.js';
import { oneSpanRequest } from '../../../test/support/one-span-request.js';
import { tenantDatabaseName } from '../../store/schema/tenant-database.js';
import { TRACE_SPANS_TABLE } from '../../store/schema/trace-spans-schema.js';

/*
 * The server driver's retries, through the whole flush: a server (or the proxy in front of it)
 * that refuses an insert with a 503 of its own, and one whose answer to an insert that it ran is
 * lost with the connection. The flusher retries both; the second is the case a plain retry gets
 * wrong (the rows are in ClickHouse, the client saw an error), and the replay by comparison must
 * leave every span stored once.
 */

const { dir, keep } = useServerStoreFolder('tracehouse-transient-');

const BATCHES = 30;
const TENANT = 'single-tenant';

/** The faults, in the order the flush's row inserts meet them. */
const FAULTS: { table: string; fault: HttpFault }[] = [
  { table: 'otel_traces', fault: { kind: 'refuse', status: 503, body: 'no healthy upstream' } },
  { table: 'otel_traces', fault: { kind: 'lose-answer' } },
  { table: TRACE_SPANS_TABLE, fault: { kind: 'lose-answer' } },
];

describe('the server driver under transient failures', () => {
  it('retries a refused insert and an insert whose answer was lost: every span stored once', async () => {
    const acted: string[] = [];
    const nextFault = (request: RecordedRequest): HttpFault | undefined => {
      const planned = FAULTS[acted.length];
      // Only a flush's inserts of rows, not a replay's INSERT … SELECT, migrations or reads.
      const target = new RegExp(`^INSERT INTO \\S+\\.\`?${planned?.table}\`?[ (][^]*FORMAT Native$`);
      if (!planned || !target.test(request.sql.trim())) return undefined;
      acted.push(`${planned.fault.kind} ${planned.table}`);
      return planned.fault;
    };
    const server = await startClickHouseHttpOverChdb({ dataDir: join(dir, 'server'), fault: nextFault });
    keep({ server });
    const opened = await serverStoreExporter(
      server.url,
      dir,
      // Small flushes, so that the batches spread over several and each fault meets one.
      { flushIntervalMs: 20, flushMaxBytes: 2048 },
    );
    keep(opened);
    const { driver, exporter, store, wal, lines } = opened;
    await exporter.start();

    const traceIds: string[] = [];
    for (let i = 0; i < BATCHES; i++) {
      const traceId = `${i.toString(16).padStart(4, '0')}${'e'.repeat(28)}`;
      traceIds.push(traceId);
      await exporter.consumeTraces(oneSpanRequest({ traceId, name: `span-${i}` }), { tenant: TENANT });
    }

    const database = tenantDatabaseName(TENANT);
    const counts = async (): Promise<string> =>
      driver.text(
        `SELECT (SELECT count() FROM \`${database}\`.otel_traces),
                (SELECT uniqExact(TraceId) FROM \`${database}\`.otel_traces),
                (SELECT count() FROM \`${database}\`.${TRACE_SPANS_TABLE})`,
      );
    await expect.poll(() => wal.stats().unflushedBytes, { timeout: 30_000, interval: 50 }).toBe(0);
    expect(acted).toEqual(FAULTS.map(({ table, fault }) => `${fault.kind} ${table}`));
    // Neither none nor twice, in the exporter's table and in the copy.
    expect(await counts()).toBe(`${BATCHES}\t${BATCHES}\t${BATCHES}\n`);
    for (const traceId of [traceIds[0], traceIds[BATCHES - 1]])
      expect((await store.getTrace(TENANT, traceId))?.length).toBe(1);
    // Each failure was logged with what the server or the socket said.
    const log = lines.join('');
    expect(log).toContain('no healthy upstream');
    expect(log).toMatch(/unreachable: socket hang up|ECONNRESET/);
  }, 60_000);
});
