import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiServer } from '../src/api/api-server.js';
import { emptySpan } from '../src/model/factories.js';
import type { TracesData } from '../src/model/span.js';
import { searchTraces } from '../src/query/search/search-traces.js';
import { EmbeddedDriver } from '../src/store/driver/embedded-driver.js';
import { encodeSpanBlocks } from '../src/store/rows/span-blocks.js';
import { TraceStore } from '../src/store/trace-store.js';
import { parseTraceQL } from '../src/traceql/parser.js';
import { quantile } from './stats.js';
import { syntheticSpansSql } from './synthetic-spans-sql.js';
import { formatFixed, formatInteger, renderTable } from './table.js';

/*
 * The HTTP API's own cost over a large store (issue "Query APIs"): trace by id for a 1,000-span
 * trace through `GET /api/traces/<id>` with concurrent clients (requests/s), and `/api/search`
 * against the engine called directly (p50 of each, interleaved so drift hits both). N synthetic
 * spans (10 million by default) are generated inside ClickHouse; the 1,000-span trace is stored
 * through the normal insert of Native blocks.
 *
 *   node dist/bench/api-bench.js [--quick] [--spans 10000000] [--seconds 10] [--clients 8]
 */
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    spans: { type: 'string' },
    seconds: { type: 'string' },
    clients: { type: 'string' },
  },
});
const quick = args.quick === true;
const spans = Number(args.spans ?? (quick ? 200_000 : 10_000_000));
const seconds = Number(args.seconds ?? (quick ? 3 : 10));
const clients = Number(args.clients ?? 8);
const TENANT = 'single-tenant';
const BIG_TRACE = 'b1'.padEnd(32, '0');

function thousandSpanTrace(startMs: number): TracesData {
  const spanId = (i: number) => (i + 1).toString(16).padStart(16, '0');
  const start = BigInt(startMs) * 1_000_000n;
  return [
    {
      resource: { attributes: [{ key: 'service.name', value: 'big-service' }], droppedAttributesCount: 0 },
      schemaUrl: '',
      scopeSpans: [
        {
          scope: { name: 'bench', version: '1', attributes: [], droppedAttributesCount: 0 },
          schemaUrl: '',
          spans: Array.from({ length: 1000 }, (_, i) => ({
            ...emptySpan(),
            traceId: BIG_TRACE,
            spanId: spanId(i),
            parentSpanId: i === 0 ? '' : spanId(Math.floor((i - 1) / 10)),
            name: `step-${i % 20}`,
            kind: i === 0 ? 2 : 1,
            startTimeUnixNano: start + BigInt(i) * 1_000_000n,
            endTimeUnixNano: start + BigInt(i) * 1_000_000n + 500_000n,
            attributes: [
              { key: 'item.index', value: BigInt(i) },
              { key: 'http.route', value: `/items/${i % 50}` },
            ],
          })),
        },
      ],
    },
  ];
}

const dir = mkdtempSync(join(tmpdir(), 'tracehouse-api-bench-'));
const driver = await EmbeddedDriver.open(dir);
const store = new TraceStore(driver, { retentionSeconds: 0 });
const server = new ApiServer({ endpoint: { host: '127.0.0.1', port: 0 }, store });
// The same store without its trace read cache: every request reads and encodes the trace.
const uncachedStore = new TraceStore(driver, {
  retentionSeconds: 0,
  traceCache: { maxSpans: 0, maxAgeMs: 0 },
});
const uncachedServer = new ApiServer({ endpoint: { host: '127.0.0.1', port: 0 }, store: uncachedStore });
let failures = 0;

/** `clients` loops for `seconds`, each sending the next request when the last answered. */
async function traceById(base: string): Promise<{ perSecond: number; latencies: number[] }> {
  const latencies: number[] = [];
  const fetchTrace = async () => {
    const t0 = performance.now();
    const response = await fetch(`${base}/api/traces/${BIG_TRACE}`);
    const body = await response.arrayBuffer();
    if (!response.ok || body.byteLength === 0) failures++;
    return performance.now() - t0;
  };
  await fetchTrace();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) latencies.push(await fetchTrace());
    }),
  );
  return { perSecond: latencies.length / ((performance.now() - started) / 1000), latencies };
}

try {
  const database = await store.database(TENANT);
  const nowSeconds = Math.floor(Date.now() / 1000);
  process.stderr.write(`api-bench: generating ${formatInteger(spans)} spans\n`);
  await driver.exec(syntheticSpansSql(database, spans, nowSeconds, 6));
  await store.insertSpans(TENANT, encodeSpanBlocks(thousandSpanTrace(Date.now() - 120_000)));
  await server.start();
  server.markReady();
  await uncachedServer.start();
  uncachedServer.markReady();
  const base = `http://${server.address()}`;

  process.stderr.write('api-bench: trace by id, uncached\n');
  const uncached = await traceById(`http://${uncachedServer.address()}`);
  process.stderr.write('api-bench: trace by id, cached\n');
  const cached = await traceById(base);

  // Search: the engine directly vs the same search over HTTP, interleaved.
  process.stderr.write('api-bench: search\n');
  const q = '{ resource.service.name = "service-3" && duration > 300ms }';
  const start = nowSeconds - 3600;
  const engine: number[] = [];
  const http: number[] = [];
  const rounds = quick ? 5 : 15;
  for (let i = 0; i < rounds + 2; i++) {
    let t0 = performance.now();
    await searchTraces(store, TENANT, {
      query: parseTraceQL(q),
      range: {
        startNanos: BigInt(start) * 1_000_000_000n,
        endNanos: BigInt(nowSeconds) * 1_000_000_000n + 999_999_999n,
      },
      limit: 20,
      spansPerSpanset: 3,
      timeoutMs: 60_000,
    });
    if (i >= 2) engine.push(performance.now() - t0);
    t0 = performance.now();
    const response = await fetch(
      `${base}/api/search?${new URLSearchParams({ q, start: String(start), end: String(nowSeconds) }).toString()}`,
    );
    await response.arrayBuffer();
    if (!response.ok) failures++;
    if (i >= 2) http.push(performance.now() - t0);
  }
  // Jaeger search answers with whole traces: the search, then every found trace read (no cache).
  process.stderr.write('api-bench: Jaeger search\n');
  const jaeger = new Map<number, number[]>([
    [20, []],
    [200, []],
  ]);
  for (let i = 0; i < rounds + 2; i++)
    for (const [limit, latencies] of jaeger) {
      const t0 = performance.now();
      const response = await fetch(
        `http://${uncachedServer.address()}/jaeger/api/traces?${new URLSearchParams({ service: 'service-3', lookback: '1h', limit: String(limit) }).toString()}`,
      );
      const found = ((await response.json()) as { data?: unknown[] }).data?.length ?? 0;
      if (!response.ok || found !== limit) failures++;
      if (i >= 2) latencies.push(performance.now() - t0);
    }
  const engineP50 = quantile(engine, 0.5);
  const httpP50 = quantile(http, 0.5);
  process.stdout.write(
    renderTable(
      `HTTP API over ${formatInteger(spans)} stored spans (embedded engine)`,
      ['measure', 'value', 'target'],
      [
        ['trace by id, 1,000 spans: requests/s', formatInteger(cached.perSecond), '≥ 500'],
        ['trace by id: p50 ms', formatFixed(quantile(cached.latencies, 0.5), 1), ''],
        ['trace by id: p99 ms', formatFixed(quantile(cached.latencies, 0.99), 1), ''],
        ['trace by id, no cache: requests/s', formatInteger(uncached.perSecond), ''],
        ['trace by id, no cache: p50 ms', formatFixed(quantile(uncached.latencies, 0.5), 1), ''],
        ['trace by id, no cache: p99 ms', formatFixed(quantile(uncached.latencies, 0.99), 1), ''],
        ['search: engine p50 ms', formatFixed(engineP50, 1), ''],
        ['search: /api/search p50 ms', formatFixed(httpP50, 1), ''],
        ['search: HTTP overhead', `${formatFixed((httpP50 / engineP50 - 1) * 100, 1)}%`, '≤ 20%'],
        ...[...jaeger].map(([limit, latencies]) => [
          `Jaeger search, ${limit} whole traces, no cache: p50 ms`,
          formatFixed(quantile(latencies, 0.5), 1),
          '',
        ]),
      ],
      [
        `${clients} concurrent clients for ${seconds} s each, first without the trace read cache (every request reads and encodes the trace), then with it; ${failures} failed requests; search ${rounds} interleaved rounds after 2 warm-ups (Jaeger search: service=service-3, lookback=1h, the uncached server)`,
      ],
    ),
  );
} finally {
  await server.shutdown();
  await uncachedServer.shutdown();
  await driver.close();
  rmSync(dir, { recursive: true, force: true });
}
