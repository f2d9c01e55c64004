import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EmbeddedDriver } from '../src/store/driver/embedded-driver.js';
import { SPAN_ROW_COLUMNS } from '../src/store/rows/span-row-columns.js';
import { quoteIdentifier } from '../src/store/schema/sql-quote.js';
import {
  COLLECTOR_TRACE_COLUMNS,
  TRACE_ID_TS_TABLE,
  TRACE_ID_TS_VIEW,
  TRACES_TABLE,
} from '../src/store/schema/collector-traces-schema.js';
import {
  TRACE_SPANS_TABLE,
  TRACE_SPANS_VIEW,
  TRACE_SPANS_VIEW_WHERE,
} from '../src/store/schema/trace-spans-schema.js';
import {
  createDatabaseSql,
  createTraceIdTsTableSql,
  createTraceIdTsViewSql,
  createTraceSpansViewSql,
  createTracesTableSql,
} from '../src/store/schema/traces-ddl.js';
import { TraceStore } from '../src/store/trace-store.js';
import type { EngineInsertCase } from './engine-insert-cases.js';
import { FLUSH_ROWS } from './engine-insert-cases.js';
import { machineBusyMs, ownCpuMs } from './machine-load.js';
import { TRACE_SPANS_VIEW_SELECTS } from './trace-spans-view-selects.js';

/*
 * One case of engine-insert-probe.ts, in its own process (chdb allows one data folder per
 * process): a fresh data folder migrated to our schema, the views the case asks for, then the
 * generator's Native chunks inserted `rowsPerInsert` spans at a time with `INSERT … SELECT * FROM
 * file(…)`, timed. Prints one JSON line (EngineInsertResult).
 *
 *   node dist/bench/engine-insert-case.js --case '<EngineInsertCase JSON>' --chunks DIR --count N
 */
export interface EngineInsertResult {
  name: string;
  spans: number;
  inserts: number;
  wallMs: number;
  /** This process's CPU (Node and ClickHouse's threads) during the inserts. */
  cpuMs: number;
  /** CPU of the whole machine during the inserts, minus ours: the other load. */
  otherCores: number;
  /** Active parts of otel_traces right after the last insert. */
  parts: number;
  /**
   * OPTIMIZE FINAL of the three tables after the inserts: wall and CPU to reach one part each, so
   * that insert sizes that leave more parts behind (merges still owed) compare fairly.
   */
  settleMs: number;
  settleCpuMs: number;
  /** The engine's counters and threads during the inserts (before OPTIMIZE FINAL). */
  engine?: EngineAccounting;
  /** After OPTIMIZE FINAL of otel_traces, bytes a span. */
  bytes?: {
    onDisk: number;
    data: number;
    skipIndexes: number;
    marks: number;
    /** Compressed column data of the collector's own columns only (system.columns). */
    collectorColumns: number;
    /** `tracehouse_trace_spans` (the trace-id-ordered copy), bytes a span on disk. */
    traceSpansOnDisk: number;
    /** `otel_traces_trace_id_ts` (the exporter's trace-id lookup), bytes a span on disk. */
    lookupOnDisk: number;
    /** Each skip index of `otel_traces`, compressed bytes a span (system.data_skipping_indices). */
    byIndex: Record<string, number>;
  };
}

/**
 * The engine's own counters (system.events, ProfileEvents summed over the process: chdb keeps no
 * query_log or part_log) and its threads' CPU by name, during the inserts, a span inserted.
 */
export interface EngineAccounting {
  /** ms of CPU a thread name spent (MergeMutate: merges; QueryPipeline…: the inserts' streams). */
  threadCpuMs: Record<string, number>;
  /** Counter deltas (ENGINE_EVENTS). */
  events: Record<string, number>;
}

/** The counters that split an insert's cost: what was written, sorted, merged, and how often. */
export const ENGINE_EVENTS = [
  'InsertedRows',
  'MergeTreeDataWriterRows',
  'MergeTreeDataWriterUncompressedBytes',
  'MergeTreeDataWriterCompressedBytes',
  'MergeTreeDataWriterSortingBlocksMicroseconds',
  'MergeTreeDataWriterBlocksAlreadySorted',
  'MergeTreeDataWriterBlocks',
  'InsertedWideParts',
  'InsertedCompactParts',
  'Merge',
  'MergeSourceParts',
  'MergedRows',
  'MergedUncompressedBytes',
  'MergeTotalMilliseconds',
  'MergeHorizontalStageTotalMilliseconds',
  'MergeVerticalStageTotalMilliseconds',
  'MergeProjectionStageTotalMilliseconds',
  'MergedIntoWideParts',
  'MergedIntoCompactParts',
  'UserTimeMicroseconds',
  'SystemTimeMicroseconds',
] as const;

async function engineEvents(driver: EmbeddedDriver): Promise<Map<string, number>> {
  const rows = await driver.query<{ name: string; value: string }>(
    'SELECT name, toString(value) AS value FROM system.events',
  );
  return new Map(rows.map((r) => [r.name, Number(r.value)]));
}

/** CPU ms of this process's threads by name, digits dropped (`QueryPipelineEx`, `MergeMutate`). */
function threadCpuByName(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // ended between the listing and the read
    }
    const close = stat.lastIndexOf(')');
    const name = tid === String(process.pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // utime and stime, in 10 ms ticks.
    out.set(name, (out.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) * 10);
  }
  return out;
}

const { values: args } = parseArgs({
  options: {
    case: { type: 'string' },
    chunks: { type: 'string' },
    count: { type: 'string' },
  },
});
const testCase = JSON.parse(args.case ?? '') as EngineInsertCase;
const chunkDir = args.chunks ?? '';
const chunkCount = Number(args.count);

/** The first 22 columns the store writes are the collector exporter's, Nested groups flattened. */
const COLLECTOR_COLUMNS = SPAN_ROW_COLUMNS.slice(0, 22);

const columnList = (columns: typeof SPAN_ROW_COLUMNS): string =>
  columns.map(([name]) => quoteIdentifier(name)).join(', ');
const structure = (columns: typeof SPAN_ROW_COLUMNS): string =>
  columns.map(([name, type]) => `${quoteIdentifier(name)} ${type}`).join(', ');

/** The embedded driver's own INSERT settings; a case's settings override them by name. */
function insertSettings(): string {
  const settings = new Map<string, string>([
    ['insert_deduplicate', '0'],
    ['materialize_skip_indexes_on_insert', '0'],
  ]);
  for (const setting of (testCase.insertSettings ?? '').split(',')) {
    const [name, value] = setting.split('=').map((s) => s.trim());
    if (name) settings.set(name, value);
  }
  return [...settings].map(([name, value]) => `${name} = ${value}`).join(', ');
}

/** The exporter's own tables, nothing of Tracehouse's, in a database named `exporter`. */
async function exporterTables(driver: EmbeddedDriver, textIndexes: boolean): Promise<string> {
  const target = { database: 'exporter', retentionSeconds: 7 * 86_400, textIndexes };
  await driver.exec(createDatabaseSql(target.database));
  await driver.exec(createTracesTableSql(target, TRACES_TABLE, COLLECTOR_TRACE_COLUMNS));
  await driver.exec(createTraceIdTsTableSql(target, TRACE_ID_TS_TABLE));
  await driver.exec(createTraceIdTsViewSql(target, TRACE_ID_TS_VIEW, TRACE_ID_TS_TABLE, TRACES_TABLE));
  return target.database;
}

const dataDir = await mkdtemp(join(tmpdir(), 'tracehouse-engine-insert-'));
try {
  const driver = await EmbeddedDriver.open(dataDir);
  const store = new TraceStore(driver, { retentionSeconds: 7 * 86_400 });
  const exporterOnly = testCase.exporterTablesOnly;
  const db = quoteIdentifier(
    exporterOnly ? await exporterTables(driver, exporterOnly.textIndexes) : await store.database('probe'),
  );
  const tables = exporterOnly
    ? [TRACES_TABLE, TRACE_ID_TS_TABLE]
    : ['otel_traces', 'otel_traces_trace_id_ts', 'tracehouse_trace_spans'];
  if (testCase.views === 'none' || testCase.views === 'spans')
    await driver.exec(`DROP VIEW ${db}.otel_traces_trace_id_ts_mv`);
  const protoCopy = testCase.views === 'lookup+proto-copy';
  // Since migration 7 the schema has no copy view: the JSON cases get layout 2's view back.
  if (testCase.views === 'spans' || testCase.views === 'all')
    await driver.exec(
      createTraceSpansViewSql(
        { database: await store.database('probe'), retentionSeconds: 7 * 86_400, textIndexes: false },
        TRACE_SPANS_VIEW,
        TRACE_SPANS_TABLE,
        TRACES_TABLE,
      ),
    );
  if (testCase.views === 'lookup+plain-copy')
    await driver.exec(
      `CREATE MATERIALIZED VIEW ${db}.plain_copy_mv TO ${db}.tracehouse_trace_spans AS SELECT TraceId, ` +
        `Timestamp, concat(SpanId, ParentSpanId) AS Span FROM ${db}.otel_traces WHERE ${TRACE_SPANS_VIEW_WHERE}`,
    );
  if (testCase.spansSelect && (testCase.views === 'spans' || testCase.views === 'all'))
    await driver.exec(
      `ALTER TABLE ${db}.tracehouse_trace_spans_mv MODIFY QUERY SELECT ` +
        `${TRACE_SPANS_VIEW_SELECTS[testCase.spansSelect]} FROM ${db}.otel_traces WHERE ${TRACE_SPANS_VIEW_WHERE}`,
    );
  if (testCase.tableSettings)
    for (const table of tables)
      await driver.exec(`ALTER TABLE ${db}.${table} MODIFY SETTING ${testCase.tableSettings}`);

  for (const statement of testCase.setup ?? []) await driver.exec(statement.replaceAll('{db}', db));

  // The insert files, written before the clock starts: chunks concatenated as the flusher does.
  const spool = join(dataDir, 'probe-spool');
  await mkdir(spool);
  const chunksPerInsert = Math.max(1, Math.round(testCase.rowsPerInsert / FLUSH_ROWS));
  const files: string[] = [];
  const copyFiles: string[] = [];
  for (let first = 0; first < chunkCount; first += chunksPerInsert) {
    if (protoCopy) {
      const copies: Buffer[] = [];
      for (let c = first; c < Math.min(chunkCount, first + chunksPerInsert); c++)
        copies.push(await readFile(join(chunkDir, `chunk-${c}.proto-copy`)));
      const copyFile = join(spool, `copy-${copyFiles.length}.native`);
      await writeFile(copyFile, Buffer.concat(copies));
      copyFiles.push(copyFile);
    }
    const parts: Buffer[] = [];
    for (let c = first; c < Math.min(chunkCount, first + chunksPerInsert); c++)
      parts.push(await readFile(join(chunkDir, `chunk-${c}.native`)));
    const split = testCase.filesPerInsert ?? 1;
    if (split > 1 && testCase.format === 'native') {
      // Chunk i goes to file i mod split: each file a whole number of Native blocks.
      for (let f = 0; f < split; f++)
        await writeFile(
          join(spool, `insert-${files.length}-${f}.native`),
          Buffer.concat(parts.filter((_, i) => i % split === f)),
        );
      files.push(join(spool, `insert-${files.length}-*.native`));
      continue;
    }
    const native = join(spool, `insert-${files.length}.native`);
    await writeFile(native, Buffer.concat(parts));
    if (testCase.format === 'native') {
      files.push(native);
      continue;
    }
    const columns = testCase.format === 'rowbinary' ? SPAN_ROW_COLUMNS : COLLECTOR_COLUMNS;
    const rowBinary = join(spool, `insert-${files.length}.rowbinary`);
    await driver.exec(
      `INSERT INTO FUNCTION file({out:String}, 'RowBinary', {structure:String}) ` +
        `SELECT ${columnList(columns)} FROM file({in:String}, 'Native')`,
      { out: rowBinary, in: native, structure: structure(columns) },
    );
    await rm(native);
    files.push(rowBinary);
  }

  const columns = testCase.format === 'rowbinary-collector' ? COLLECTOR_COLUMNS : SPAN_ROW_COLUMNS;
  const source =
    testCase.format === 'native'
      ? `file({file:String}, 'Native')`
      : `file({file:String}, 'RowBinary', {structure:String})`;
  const events0 = await engineEvents(driver);
  const threads0 = threadCpuByName();
  const busy0 = machineBusyMs();
  const cpu0 = ownCpuMs();
  const t0 = performance.now();
  for (const [i, file] of files.entries()) {
    await driver.exec(
      `INSERT INTO ${db}.otel_traces (${columnList(columns)}) SETTINGS ${insertSettings()} ` +
        `SELECT * FROM ${source}`,
      { file, structure: structure(columns) },
    );
    if (protoCopy)
      await driver.exec(
        `INSERT INTO ${db}.tracehouse_trace_spans (TraceId, Timestamp, Span) SETTINGS ${insertSettings()} ` +
          `SELECT * FROM file({file:String}, 'Native')`,
        { file: copyFiles[i] },
      );
  }
  const wallMs = performance.now() - t0;
  const cpuMs = ownCpuMs() - cpu0;
  const otherCores = (machineBusyMs() - busy0 - cpuMs) / wallMs;

  const count = async (sql: string): Promise<number> => Number((await driver.text(sql)).trim());
  const spans = await count(`SELECT count() FROM ${db}.otel_traces`);
  const parts = await count(
    `SELECT count() FROM system.parts WHERE database = ${db.replace(/`/g, "'")} AND table = 'otel_traces' AND active`,
  );
  const threads1 = threadCpuByName();
  const events1 = await engineEvents(driver);
  const engine: EngineAccounting = { threadCpuMs: {}, events: {} };
  for (const [name, ms] of threads1) engine.threadCpuMs[name] = ms - (threads0.get(name) ?? 0);
  for (const name of ENGINE_EVENTS) engine.events[name] = (events1.get(name) ?? 0) - (events0.get(name) ?? 0);
  const t1 = performance.now();
  const settleCpu0 = ownCpuMs();
  for (const table of tables) await driver.exec(`OPTIMIZE TABLE ${db}.${table} FINAL`);
  const result: EngineInsertResult = {
    name: testCase.name,
    spans,
    inserts: files.length,
    wallMs,
    cpuMs,
    otherCores,
    parts,
    settleMs: performance.now() - t1,
    settleCpuMs: ownCpuMs() - settleCpu0,
    engine,
  };
  if (testCase.bytes) {
    const database = db.replace(/`/g, "'");
    const bytesOnDisk = (table: string): Promise<number> =>
      count(
        `SELECT sum(bytes_on_disk) FROM system.parts WHERE database = ${database} ` +
          `AND table = '${table}' AND active`,
      );
    const [p] = await driver.query<Record<string, string>>(
      `SELECT toString(sum(bytes_on_disk)) AS disk, toString(sum(data_compressed_bytes)) AS data, ` +
        `toString(sum(secondary_indices_compressed_bytes)) AS idx, toString(sum(marks_bytes)) AS marks ` +
        `FROM system.parts WHERE database = ${database} AND table = 'otel_traces' AND active`,
    );
    const collectorNames = COLLECTOR_COLUMNS.map(([name]) => `'${name}'`).join(', ');
    const collector = await count(
      `SELECT sum(data_compressed_bytes) FROM system.columns WHERE database = ${database} ` +
        `AND table = 'otel_traces' AND name IN (${collectorNames})`,
    );
    result.bytes = {
      onDisk: Number(p.disk) / spans,
      data: Number(p.data) / spans,
      skipIndexes: Number(p.idx) / spans,
      marks: Number(p.marks) / spans,
      collectorColumns: collector / spans,
      traceSpansOnDisk: (await bytesOnDisk('tracehouse_trace_spans')) / spans,
      lookupOnDisk: (await bytesOnDisk(TRACE_ID_TS_TABLE)) / spans,
      byIndex: Object.fromEntries(
        (
          await driver.query<{ name: string; bytes: string }>(
            `SELECT name, toString(data_compressed_bytes) AS bytes FROM system.data_skipping_indices ` +
              `WHERE database = ${database} AND table = 'otel_traces'`,
          )
        ).map((r) => [r.name, Number(r.bytes) / spans]),
      ),
    };
  }
  await driver.close();
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
