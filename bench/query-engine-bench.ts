import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { searchTraces } from '../src/query/search/search-traces.js';
import { EmbeddedDriver } from '../src/store/driver/embedded-driver.js';
import { TraceStore } from '../src/store/trace-store.js';
import { parseTraceQL } from '../src/traceql/parser.js';
import { quantile } from './stats.js';
import { SYNTHETIC, syntheticSpansSql } from './synthetic-spans-sql.js';
import { formatFixed, formatInteger, renderTable } from './table.js';

/*
 * The query engine over a large store: N synthetic spans (10 million by default) spread over the
 * last 6 hours in the embedded engine, then each query run repeatedly, p50 and p99 reported
 * against the targets. Runs in its own process (chdb: one data folder per process).
 *
 *   node dist/bench/query-engine-bench.js [--quick] [--spans 10000000] [--runs 20]
 */
const { values: args } = parseArgs({
  options: { quick: { type: 'boolean' }, spans: { type: 'string' }, runs: { type: 'string' } },
});
const quick = args.quick === true;
const spans = Number(args.spans ?? (quick ? 500_000 : 10_000_000));
const runs = Number(args.runs ?? (quick ? 5 : 20));
const TENANT = 'bench';
const HOURS = 6;

const dir = mkdtempSync(join(tmpdir(), 'tracehouse-query-bench-'));
const driver = await EmbeddedDriver.open(dir);
try {
  const store = new TraceStore(driver, { retentionSeconds: 0 });
  const database = await store.database(TENANT);
  const nowSeconds = Math.floor(Date.now() / 1000);
  process.stderr.write(`query-engine-bench: generating ${formatInteger(spans)} spans\n`);
  const loadStart = performance.now();
  await driver.exec(syntheticSpansSql(database, spans, nowSeconds, HOURS));
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const parts = await driver.query<{ n: string }>(
    `SELECT toString(count()) AS n FROM system.parts WHERE database = {db:String} AND table = 'otel_traces' AND active`,
    { db: database },
  );

  const lastHour = {
    startNanos: BigInt(nowSeconds - 3600) * 1_000_000_000n,
    endNanos: BigInt(nowSeconds) * 1_000_000_000n + 999_999_999n,
  };
  const search = (q: string) => () =>
    searchTraces(store, TENANT, {
      query: parseTraceQL(q),
      range: lastHour,
      limit: 20,
      spansPerSpanset: 3,
      timeoutMs: 60_000,
    }).then((r) => r.traces.length);
  const traceIds = (
    await driver.query<{ id: string }>(
      `SELECT DISTINCT TraceId AS id FROM ${database}.otel_traces WHERE Timestamp > now() - INTERVAL 1 HOUR LIMIT 200`,
    )
  ).map((r) => r.id);
  let next = 0;
  const byId = () => store.getTrace(TENANT, traceIds[next++ % traceIds.length]).then((t) => (t ? 1 : 0));

  const cases: { name: string; target: string; run: () => Promise<number> }[] = [
    {
      name: '{ resource.service.name = "service-3" && duration > 300ms }',
      target: 'p50 ≤ 300 ms',
      run: search('{ resource.service.name = "service-3" && duration > 300ms }'),
    },
    {
      name: '{ span.user.id = "4242" } (attribute equality)',
      target: 'p50 ≤ 500 ms',
      run: search('{ span.user.id = "4242" }'),
    },
    {
      name: '{ span.http.status_code >= 500 } | count() > 1',
      target: '',
      run: search('{ span.http.status_code >= 500 } | count() > 1'),
    },
    {
      name: '{ kind = client } > { kind = server && status = error }',
      target: '',
      run: search('{ kind = client } > { kind = server && status = error }'),
    },
    { name: 'trace by id (10 spans)', target: 'p50 ≤ 20 ms', run: byId },
  ];
  const rows: string[][] = [];
  for (const c of cases) {
    process.stderr.write(`query-engine-bench: ${c.name}\n`);
    await c.run();
    await c.run();
    const times: number[] = [];
    let found = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      found = await c.run();
      times.push(performance.now() - t0);
    }
    rows.push([
      c.name,
      formatFixed(quantile(times, 0.5), 1),
      formatFixed(quantile(times, 0.99), 1),
      String(found),
      c.target,
    ]);
  }
  process.stdout.write(
    renderTable(
      `Query engine over ${formatInteger(spans)} stored spans (embedded engine, last hour of ${HOURS})`,
      ['query', 'p50 ms', 'p99 ms', 'traces', 'target'],
      rows,
      [
        `${formatInteger(spans)} spans generated in ClickHouse in ${formatFixed(loadSeconds, 1)} s; ${parts[0]?.n ?? '?'} active parts when measured`,
        `${SYNTHETIC.spansPerTrace} spans per trace, ${SYNTHETIC.services} services, ${runs} runs per query after 2 warm-ups, limit 20`,
      ],
    ),
  );
} finally {
  await driver.close();
  rmSync(dir, { recursive: true, force: true });
}
