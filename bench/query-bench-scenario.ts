import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { DEFAULT_TENANT } from '../src/model/tenant.js';
import { attributeKeys } from '../src/query/attribute-keys.js';
import { operationSeries } from '../src/query/operation-series.js';
import { operationStats } from '../src/query/operation-stats.js';
import { serviceGraph } from '../src/query/service-graph.js';
import { backfillServiceGraphEdgesSql } from '../src/query/service-graph-backfill-sql.js';
import { serviceGraphFromJoin } from '../src/query/service-graph-join.js';
import { SERVICE_GRAPH_EDGES_TABLE } from '../src/store/schema/service-graph-edges-schema.js';
import { listOperations, listServices } from '../src/query/services.js';
import { tagValues } from '../src/query/tag-values.js';
import { traceStats } from '../src/query/trace-stats.js';
import { EmbeddedDriver } from '../src/store/driver/embedded-driver.js';
import type { TimeRange } from '../src/store/trace-store.js';
import { TraceStore } from '../src/store/trace-store.js';
import { quantile } from './stats.js';
import { loadSpans } from './store-workloads.js';

/*
 * The query layer's reads timed on N example-system spans (reservations-service → user-service,
 * 8 spans a trace) spread over the last `--window-seconds`, in its own process (chdb: one data
 * folder per process). Each query runs once to warm up, then `--rounds` times; the range is the
 * whole window. Sends a QueryBenchResult to the parent over IPC, or prints it when run by hand:
 *
 *   node dist/bench/query-bench-scenario.js --spans 1000000 [--data-dir DIR (kept, loaded once)]
 */
const { values: args } = parseArgs({
  options: {
    spans: { type: 'string', default: '1000000' },
    'window-seconds': { type: 'string', default: '3600' },
    rounds: { type: 'string', default: '5' },
    'data-dir': { type: 'string' },
  },
});

export interface QueryTiming {
  name: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /**
   * Median CPU time of the whole process (all of ClickHouse's threads) per run: on a shared
   * machine wall time depends on the neighbours, CPU time much less; on an idle machine with c
   * cores the wall time is at least cpuMs / c.
   */
  cpuMs: number;
  /** What the last round answered, in a few words (rows, sample rate). */
  answer: string;
}

export interface QueryBenchResult {
  spans: number;
  parts: number;
  loadSeconds: number;
  /** Rows and compressed bytes of the service graph edges table. */
  edgeRows: number;
  edgeBytes: number;
  timings: QueryTiming[];
}

const tenant = DEFAULT_TENANT;
const wanted = Number(args.spans);
const windowSeconds = Number(args['window-seconds']);
const rounds = Number(args.rounds);
const log = (line: string): void => void process.stderr.write(`query-bench: ${line}\n`);

const dataDir = args['data-dir'] ?? (await mkdtemp(join(tmpdir(), 'tracehouse-query-layer-bench-')));
const driver = await EmbeddedDriver.open(dataDir);
try {
  const store = new TraceStore(driver, { retentionSeconds: 0 });
  const table = `\`${await store.database(tenant)}\`.otel_traces`;
  const stored = async (): Promise<{ n: number; first: number; last: number; parts: number }> => {
    const [row] = await driver.query<{ n: string; first: string; last: string }>(
      `SELECT toString(count()) AS n, toString(toUnixTimestamp(min(Timestamp))) AS first,
              toString(toUnixTimestamp(max(Timestamp))) AS last FROM ${table}`,
    );
    const [parts] = await driver.query<{ p: string }>(
      `SELECT toString(count()) AS p FROM system.parts WHERE active AND database = {db:String} AND table = 'otel_traces'`,
      { db: await store.database(tenant) },
    );
    return { n: Number(row.n), first: Number(row.first), last: Number(row.last), parts: Number(parts.p) };
  };
  let loadSeconds = 0;
  if ((await stored()).n < wanted) {
    log(`loading ${wanted} example-system spans over ${windowSeconds} s`);
    const loaded = await loadSpans(store, tenant, 'example', wanted, windowSeconds, {
      progress: (n) => log(`${n} spans`),
    });
    loadSeconds = loaded.elapsedMs / 1000;
  }
  // The spans were inserted straight into otel_traces, past the store exporter's pairing: make the
  // edge rows it would have made with one join over the whole table (untimed set-up).
  const edgesTable = `\`${await store.database(tenant)}\`.${SERVICE_GRAPH_EDGES_TABLE}`;
  const [edgeCount] = await driver.query<{ n: string }>(`SELECT toString(count()) AS n FROM ${edgesTable}`);
  let backfillSeconds = 0;
  if (edgeCount.n === '0') {
    log('filling the service graph edges table from the spans (one join)');
    const t0 = performance.now();
    for (const sql of backfillServiceGraphEdgesSql(await store.database(tenant))) await driver.exec(sql);
    backfillSeconds = (performance.now() - t0) / 1000;
  }
  const [edgeStats] = await driver.query<{ rows: string; bytes: string }>(
    `SELECT toString(sum(rows)) AS rows, toString(sum(data_compressed_bytes)) AS bytes FROM system.parts
     WHERE active AND database = {db:String} AND table = {table:String}`,
    { db: await store.database(tenant), table: SERVICE_GRAPH_EDGES_TABLE },
  );
  log(
    `edges: ${edgeStats.rows} rows, ${(Number(edgeStats.bytes) / Number(edgeStats.rows)).toFixed(1)} bytes a row on disk` +
      (backfillSeconds > 0 ? `, filled in ${backfillSeconds.toFixed(1)} s` : ''),
  );
  const data = await stored();
  const range: TimeRange = { start: data.first, end: data.last };
  const [someTrace] = await driver.query<{ id: string }>(`SELECT TraceId AS id FROM ${table} LIMIT 1`);
  log(`${data.n} spans in ${data.parts} parts, range ${range.end - range.start + 1} s; querying`);

  const timings: QueryTiming[] = [];
  const time = async <T>(name: string, run: () => Promise<T>, describe: (answer: T) => string) => {
    let answer = await run();
    const ms: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      answer = await run();
      ms.push(performance.now() - t0);
      const used = process.cpuUsage(c0);
      cpu.push((used.user + used.system) / 1000);
    }
    timings.push({
      name,
      medianMs: quantile(ms, 0.5),
      minMs: Math.min(...ms),
      maxMs: Math.max(...ms),
      cpuMs: quantile(cpu, 0.5),
      answer: describe(answer),
    });
    log(`${name}: ${quantile(ms, 0.5).toFixed(1)} ms, CPU ${quantile(cpu, 0.5).toFixed(0)} ms`);
  };
  await time(
    'services',
    () => listServices(store, tenant, range),
    (s) => `${s.length} services`,
  );
  await time(
    'operations of a service',
    () => listOperations(store, tenant, range, { service: 'reservations-service' }),
    (o) => `${o.length} operations`,
  );
  await time(
    'attribute keys, all scopes',
    () => attributeKeys(store, tenant, { range }),
    (k) => `${k.scopes.reduce((n, s) => n + s.keys.length, 0)} keys, 1/${k.sampledEvery} granules`,
  );
  for (const [scope, key] of [
    ['span', 'http.response.status_code'],
    ['span', 'user.name'],
    ['resource', 'service.name'],
    ['intrinsic', 'name'],
    ['intrinsic', 'status'],
  ] as const)
    await time(
      `tag values ${scope} ${key}`,
      () => tagValues(store, tenant, { scope, key, range }),
      (v) => `${v.values.length} values, 1/${v.sampledEvery} granules`,
    );
  for (const edges of ['entry-spans', 'all-spans'] as const) {
    await time(
      `service graph, ${edges} (ingest-time edges)`,
      () => serviceGraph(store, tenant, { range, edges }),
      (g) => g.edges.map((e) => `${e.client}→${e.server} ${e.requestCount}`).join(', '),
    );
    await time(
      `service graph, ${edges} (join fallback)`,
      () => serviceGraphFromJoin(store, tenant, { range, edges }),
      (g) => g.edges.map((e) => `${e.client}→${e.server} ${e.requestCount}`).join(', '),
    );
  }
  await time(
    'RED per operation',
    () => operationStats(store, tenant, range),
    (s) => `${s.length} operations`,
  );
  await time(
    'RED series, 60-s step',
    () => operationSeries(store, tenant, { range, stepSeconds: 60 }),
    (s) => `${s.length} series × ${s[0]?.points.length ?? 0} points`,
  );
  await time(
    'trace statistics',
    () => traceStats(store, tenant, someTrace.id),
    (t) => `${t?.spanCount ?? 0} spans, depth ${t?.depth ?? 0}`,
  );
  const result: QueryBenchResult = {
    spans: data.n,
    parts: data.parts,
    loadSeconds,
    edgeRows: Number(edgeStats.rows),
    edgeBytes: Number(edgeStats.bytes),
    timings,
  };
  if (process.send) process.send(result);
  else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await driver.close();
  if (args['data-dir'] === undefined) await rm(dataDir, { recursive: true, force: true });
}
