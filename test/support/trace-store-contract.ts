import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompactTraceBuilder } from '../../src/api/native/compact-trace/compact-trace-builder.js';
import type { ClickHouseDriver } from '../../src/store/driver/clickhouse-driver.js';
import { QueryBudgetSpentError, runWithReadDeadline } from '../../src/store/driver/read-deadline.js';
import { encodeSpanRows } from '../../src/store/rows/encode-span-rows.js';
import { encodeSpanBlocks } from '../../src/store/rows/span-blocks.js';
import type { SpanRowSink } from '../../src/store/reader/span-row-sink.js';
import type { SpanRow } from '../../src/store/reader/span-row-select.js';
import { SPAN_ROW_COLUMNS } from '../../src/store/rows/span-row-columns.js';
import { InvalidTenantError } from '../../src/store/schema/tenant-database.js';
import {
  TRACE_SPANS_LAYOUT_3_MARKER,
  TRACE_SPANS_VIEW_SELECT,
  TRACE_SPANS_VIEW_SELECT_1,
} from '../../src/store/schema/trace-spans-schema.js';
import { attributeString } from '../../src/model/attribute-string.js';
import type { TracesData } from '../../src/model/span.js';
import type { SpanRowsBatch } from '../../src/store/trace-store.js';
import { TraceStore } from '../../src/store/trace-store.js';
import { TraceTooLargeError } from '../../src/store/trace-too-large-error.js';
import { duplicateKeysBatch } from './duplicate-keys-batch.js';
import { everyKindBatch } from './every-kind-batch.js';
import { oneSpanRequest } from './one-span-request.js';
import { expectedFlatSpan, flattenSpans, makeSdkSpans } from './sdk-spans.js';

export interface OpenedDriver {
  driver: ClickHouseDriver;
  /** Closes the driver and whatever it runs on (engine, test server, temporary folder). */
  close(): Promise<void>;
}

/** Texts that break naive quoting: each must bind as itself and match only itself. */
const HOSTILE = [
  "')) OR 1=1 --",
  "it's",
  'back\\slash\\',
  "\\' OR ''='",
  'tab\tnew\nline\r',
  '{traceId:String}',
  'naïve ☃ 🚀 日本語',
  '\\N',
  '',
];

/**
 * The cases every `ClickHouseDriver` must pass under a `TraceStore` — the embedded engine, the
 * server driver over the test HTTP server, and a real ClickHouse server. One call per test file
 * (so per process: chdb holds one data folder per process).
 */
export function describeTraceStoreContract(name: string, openDriver: () => Promise<OpenedDriver>): void {
  describe(`TraceStore contract: ${name}`, () => {
    let opened: OpenedDriver;
    let store: TraceStore;
    // Unique per run, so a real server shared between runs starts each run empty.
    const tenant = `contract-${Date.now().toString(36)}`;
    beforeAll(async () => {
      opened = await openDriver();
      // Retention 0 (no TTL): the SDK spans are dated 2023, and a TTL merge could drop them mid-test.
      store = new TraceStore(opened.driver, { retentionSeconds: 0 });
    });
    afterAll(async () => {
      if (opened === undefined) return;
      for (const t of [tenant, `${tenant}-a`, `${tenant}-b`, `${tenant}-c`])
        await opened.driver.exec(`DROP DATABASE IF EXISTS ${await dbName(t)}`).catch(() => undefined);
      await opened.close();
    });
    const tracesTableCount = async (t: string, traceId: string): Promise<string> =>
      (
        await opened.driver.text(
          `SELECT count() FROM ${await dbName(t)}.otel_traces WHERE TraceId = {traceId:String}`,
          { traceId },
        )
      ).trim();
    const spansTableCount = async (t: string, traceId: string): Promise<string> =>
      (
        await opened.driver.text(
          `SELECT count() FROM ${await dbName(t)}.tracehouse_trace_spans WHERE TraceId = {traceId:String}`,
          { traceId },
        )
      ).trim();
    const dbName = async (t: string): Promise<string> => `\`${await store.database(t)}\``;
    /**
     * What a flush cut short can leave: the first trace stored, the second in otel_traces only (a
     * crash between the two inserts), the others not at all. Returns the batch of all the records.
     */
    const storedInPart = async (t: string, traceIds: readonly string[]): Promise<SpanRowsBatch> => {
      const blocks = traceIds.map((id) => encodeSpanBlocks(everyKindBatch(id)));
      await store.insertSpans(t, blocks[0]);
      await store.insertSpanRows(t, blocks[1].spans);
      return {
        format: 'Native',
        rows: blocks.map((b) => b.spans),
        traceSpanRows: blocks.map((b) => b.traceSpans),
      };
    };
    /** Each trace (one everyKindBatch span) once in both tables, and read back exactly. */
    const expectEachStoredOnce = async (t: string, traceIds: readonly string[]): Promise<void> => {
      for (const traceId of traceIds) {
        expect(await spansTableCount(t, traceId), traceId).toBe('1');
        expect(await tracesTableCount(t, traceId), traceId).toBe('1');
        expect(await store.getTrace(t, traceId)).toEqual(everyKindBatch(traceId));
      }
    };
    /** everyKindBatch's span under another span id: a second span of the trace, not a resent one. */
    const sibling = (traceId: string): ReturnType<typeof everyKindBatch> => {
      const batch = everyKindBatch(traceId);
      batch[0].scopeSpans[0].spans[0].spanId = 'feedfacefeedface';
      return batch;
    };

    const bySpanId = <T extends { span: { spanId: string } }>(xs: T[]): T[] =>
      [...xs].sort((a, b) => a.span.spanId.localeCompare(b.span.spanId));

    it('applies the migrations: the table has exactly the columns the writer writes, in order', async () => {
      const database = await store.database(tenant);
      const columns = await opened.driver.query<{ name: string; type: string }>(
        `SELECT name, type FROM system.columns WHERE database = {db:String} AND table = 'otel_traces' AND default_kind != 'ALIAS' ORDER BY position`,
        { db: database },
      );
      const flattened = columns.flatMap(({ name, type }) => {
        const nested = /^Nested\((.*)\)$/.exec(type);
        if (!nested) return [[name, type]];
        return nested[1].split(/, (?=[A-Z]\w* )/).map((field) => {
          const [fieldName, ...rest] = field.split(' ');
          return [`${name}.${fieldName}`, `Array(${rest.join(' ')})`];
        });
      });
      expect(flattened).toEqual(SPAN_ROW_COLUMNS.map(([n, t]) => [n, t]));
      // A second store on the same driver finds the schema current and changes nothing.
      await new TraceStore(opened.driver, { retentionSeconds: 0 }).database(tenant);
    });

    it('reads back a span with every attribute type, counts, flags and schema URLs exactly', async () => {
      const traceId = '0123456789abcdef0123456789abcdef';
      const batch = everyKindBatch(traceId);
      await store.insertSpans(tenant, encodeSpanBlocks(batch));
      expect(await store.getTrace(tenant, traceId)).toEqual(batch);
    });

    it('inserts Native rows from files the caller wrote (a flush spool), both tables, exactly', async () => {
      const traceId = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
      const batch = everyKindBatch(traceId);
      const blocks = encodeSpanBlocks(batch);
      const dir = await mkdtemp(join(tmpdir(), 'tracehouse-contract-spool-'));
      try {
        await writeFile(join(dir, 'spans'), blocks.spans);
        await writeFile(join(dir, 'copy'), blocks.traceSpans);
        await store.insertSpanRows(tenant, { file: join(dir, 'spans') });
        await store.insertTraceSpanRows(tenant, { file: join(dir, 'copy') });
        expect(await tracesTableCount(tenant, traceId)).toBe('1');
        expect(await spansTableCount(tenant, traceId)).toBe('1');
        expect(await store.getTrace(tenant, traceId)).toEqual(batch);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('reads back what the real OpenTelemetry SDK produced, field by field', async () => {
      const spans = await makeSdkSpans();
      const expected = spans.map(expectedFlatSpan);
      await store.insertSpans(
        tenant,
        encodeSpanBlocks(
          expected.map((f) => ({
            resource: f.resource,
            schemaUrl: '',
            scopeSpans: [{ scope: f.scope, schemaUrl: '', spans: [f.span] }],
          })),
        ),
      );
      const back = await store.getTrace(tenant, spans[0].spanContext().traceId, {
        start: 1_699_999_999,
        end: 1_700_000_010,
      });
      expect(bySpanId(flattenSpans(back!))).toEqual(bySpanId(expected));
    });

    it('reads back attribute lists that repeat keys exactly, from the copy and from otel_traces', async () => {
      const t = `${tenant}-b`;
      const traceId = 'd0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0';
      const batch = duplicateKeysBatch(traceId);
      await store.insertSpans(t, encodeSpanBlocks(batch));
      const uncached = (): TraceStore =>
        new TraceStore(opened.driver, { retentionSeconds: 0, traceCache: { maxSpans: 0, maxAgeMs: 0 } });
      /** The rows' attribute lists: keys and strings, type and exact-value maps, entries. */
      const attributeColumns = async (): Promise<Partial<SpanRow>[]> => {
        const read: Partial<SpanRow>[] = [];
        const listed = /(Keys|Values|AttributeTypes|AttributeAnyValues|Entries)$/;
        await uncached().getTraceBuilt(t, traceId, undefined, 'test-rows', () => ({
          add: (row) => read.push(Object.fromEntries(Object.entries(row).filter(([k]) => listed.test(k)))),
          finish: () => '',
        }));
        return read;
      };
      const compact = (): Promise<string | undefined> =>
        uncached().getTraceBuilt(t, traceId, undefined, 'test-compact', () => {
          const builder = new CompactTraceBuilder(traceId);
          return { add: (row) => builder.add(row), finish: () => JSON.stringify(builder.finish()) };
        });
      // The copy (layout 3), by each read.
      expect(await uncached().getTrace(t, traceId)).toEqual(batch);
      expect(await uncached().getTraces(t, [traceId])).toEqual([batch]);
      expect(await compact()).toContain('"two"');
      const fromCopy = await attributeColumns();
      // otel_traces, with the copy's rows gone: the same lists, so every reader of rows reads alike.
      await opened.driver.exec(
        `ALTER TABLE ${await dbName(t)}.tracehouse_trace_spans DELETE WHERE TraceId = {traceId:String} SETTINGS mutations_sync = 2`,
        { traceId },
      );
      expect(await spansTableCount(t, traceId)).toBe('0');
      expect(await uncached().getTrace(t, traceId)).toEqual(batch);
      expect(await uncached().getTraces(t, [traceId])).toEqual([batch]);
      expect(await attributeColumns()).toEqual(fromCopy);
      expect(fromCopy[0].spanEntries).toHaveLength(4);
      expect(await compact()).toContain('"two"');
      // Written and read with the copy off.
      const off = new TraceStore(opened.driver, { retentionSeconds: 0, traceCopy: false });
      const offTraceId = 'd1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1';
      await off.insertSpans(`${tenant}-c`, encodeSpanBlocks(duplicateKeysBatch(offTraceId)));
      expect(await spansTableCount(`${tenant}-c`, offTraceId)).toBe('0');
      expect(await off.getTrace(`${tenant}-c`, offTraceId)).toEqual(duplicateKeysBatch(offTraceId));
    });

    it('reads attribute lists that repeat keys from a layout-2 row: no failure, every string as sent', async () => {
      // Layout 2's JSON holds the type maps as objects, one type a key: a value of a repeated key
      // may read as another of the key's types, but never as another value.
      const t = `${tenant}-b`;
      const traceId = 'd2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2';
      const batch = duplicateKeysBatch(traceId);
      await store.insertSpanRows(t, encodeSpanRows(batch));
      const db = await dbName(t);
      await opened.driver.exec(
        `INSERT INTO ${db}.tracehouse_trace_spans SELECT ${TRACE_SPANS_VIEW_SELECT} FROM ${db}.otel_traces WHERE TraceId = {traceId:String}`,
        { traceId },
      );
      const texts = (data: TracesData): [string, string][][] =>
        flattenSpans(data).flatMap(({ resource, scope, span }) =>
          [
            resource.attributes,
            scope.attributes,
            span.attributes,
            ...span.events.map((e) => e.attributes),
            ...span.links.map((l) => l.attributes),
          ].map((list) => list.map((kv): [string, string] => [kv.key, attributeString(kv.value)])),
        );
      expect(texts((await store.getTrace(t, traceId))!)).toEqual(texts(batch));
    });

    it('stores the copy as layout 3 and reads it, not otel_traces', async () => {
      const t = `${tenant}-b`;
      const traceId = '3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a';
      await store.insertSpans(t, encodeSpanBlocks(everyKindBatch(traceId)));
      const [{ first }] = await opened.driver.query<{ first: string }>(
        `SELECT toString(reinterpretAsUInt8(substring(Span, 1, 1))) AS first
         FROM ${await dbName(t)}.tracehouse_trace_spans WHERE TraceId = {traceId:String}`,
        { traceId },
      );
      expect(first).toBe(String(TRACE_SPANS_LAYOUT_3_MARKER));
      // With otel_traces emptied, only the copy can answer.
      await opened.driver.exec(
        `ALTER TABLE ${await dbName(t)}.otel_traces DELETE WHERE TraceId = {traceId:String} SETTINGS mutations_sync = 2`,
        { traceId },
      );
      expect(await store.getTrace(t, traceId)).toEqual(everyKindBatch(traceId));
    });

    it('reads a trace whole whose spans are stored in layouts 2 and 3', async () => {
      const t = `${tenant}-b`;
      const traceId = '23232323232323232323232323232323';
      const batch = everyKindBatch(traceId);
      const later = everyKindBatch(traceId);
      const laterSpan = later[0].scopeSpans[0].spans[0];
      laterSpan.spanId = 'abababababababab';
      laterSpan.startTimeUnixNano += 1000n;
      laterSpan.endTimeUnixNano += 1000n;
      // Before the upgrade: otel_traces rows whose copy the layout-2 view made (its SELECT).
      await store.insertSpanRows(t, encodeSpanRows(batch));
      const db = await dbName(t);
      await opened.driver.exec(
        `INSERT INTO ${db}.tracehouse_trace_spans SELECT ${TRACE_SPANS_VIEW_SELECT} FROM ${db}.otel_traces WHERE TraceId = {traceId:String}`,
        { traceId },
      );
      await store.insertSpans(t, encodeSpanBlocks(later));
      const both = [
        {
          ...batch[0],
          scopeSpans: [{ ...batch[0].scopeSpans[0], spans: [...batch[0].scopeSpans[0].spans, laterSpan] }],
        },
      ];
      expect(await store.getTrace(t, traceId)).toEqual(both);
      const [fromTexts] = await store.getTraces(t, [traceId]);
      expect(fromTexts).toEqual(both);
      const limited = new TraceStore(opened.driver, { retentionSeconds: 0, maxTraceSpans: 1 });
      await expect(limited.getTrace(t, traceId)).rejects.toBeInstanceOf(TraceTooLargeError);
      expect((await limited.getTraces(t, [traceId]))[0]).toBeInstanceOf(TraceTooLargeError);
    });

    it('stores the same rows again when asked to (never deduplicated by ClickHouse), and reads a resent span once', async () => {
      const traceId = 'fedcba9876543210fedcba9876543210';
      const blocks = encodeSpanBlocks(everyKindBatch(traceId));
      await store.insertSpans(tenant, blocks);
      await store.insertSpans(tenant, blocks);
      expect([await tracesTableCount(tenant, traceId), await spansTableCount(tenant, traceId)]).toEqual([
        '2',
        '2',
      ]);
      // A sender that sent its request again (its answer lost) sees each span once, by every read.
      const uncached = new TraceStore(opened.driver, {
        retentionSeconds: 0,
        traceCache: { maxSpans: 0, maxAgeMs: 0 },
      });
      expect(flattenSpans((await uncached.getTrace(tenant, traceId))!)).toHaveLength(1);
      expect(flattenSpans((await uncached.getTraces(tenant, [traceId]))[0] as never)).toHaveLength(1);
      const outline = await uncached.getTraceOutline(tenant, traceId, undefined, 'test', (o) =>
        o.spanId.join(),
      );
      expect(outline).toBe(everyKindBatch(traceId)[0].scopeSpans[0].spans[0].spanId);
      let rows = 0;
      await uncached.getTraceBuilt(tenant, traceId, undefined, 'test', () => ({
        add: () => rows++,
        finish: () => '',
      }));
      expect(rows).toBe(1);
      // A trace only otel_traces holds (stored before the copy existed) too.
      await opened.driver.exec(
        `ALTER TABLE ${await dbName(tenant)}.tracehouse_trace_spans DELETE WHERE TraceId = {traceId:String} SETTINGS mutations_sync = 1`,
        { traceId },
      );
      expect(flattenSpans((await uncached.getTrace(tenant, traceId))!)).toHaveLength(1);
    });

    it('inserts a list of blocks, each once', async () => {
      const first = '0123456789abcdef0123456789abcd01';
      const second = '0123456789abcdef0123456789abcd02';
      await store.insertSpans(tenant, [
        encodeSpanBlocks(everyKindBatch(first)),
        encodeSpanBlocks(everyKindBatch(second)),
      ]);
      for (const traceId of [first, second]) {
        expect(flattenSpans((await store.getTrace(tenant, traceId))!)).toHaveLength(1);
        expect(await spansTableCount(tenant, traceId)).toBe('1');
      }
    });

    it('stores and replays a batch whose spans span 150 days (more partitions than ClickHouse allows an insert by default)', async () => {
      const t = `${tenant}-days`;
      const day = 86_400n * 1_000_000_000n;
      const now = BigInt(Date.now()) * 1_000_000n;
      const traceId = (i: number): string => `da${i.toString(16).padStart(30, '0')}`;
      const spans = (from: number, to: number): TracesData =>
        Array.from({ length: to - from }, (_, k) => {
          const start = now - BigInt(from + k) * day;
          return oneSpanRequest({
            traceId: traceId(from + k),
            startTimeUnixNano: start,
            endTimeUnixNano: start,
          });
        }).flat();
      // The flush's insert, then a replay that finds half of another range stored.
      await store.insertSpans(t, encodeSpanBlocks(spans(0, 150)));
      const replayed = encodeSpanBlocks(spans(150, 300));
      await store.insertSpans(t, encodeSpanBlocks(spans(150, 225)));
      expect(
        await store.replaySpanRows(t, {
          format: 'Native',
          rows: replayed.spans,
          traceSpanRows: replayed.traceSpans,
        }),
      ).toEqual({ spans: 150, missingSpans: 75, missingTraceSpans: 75 });
      const stored = await opened.driver.text(
        `SELECT count(), uniqExact(toDate(Timestamp)) FROM {db:Identifier}.otel_traces`,
        { db: await store.database(t) },
      );
      expect(stored).toBe('300\t300\n');
    });

    it('replays a batch stored in part: each span once in otel_traces and in the trace spans table', async () => {
      const t = `${tenant}-a`;
      const traceIds = ['a1', 'a2', 'a3'].map((p) => `${p}${'0'.repeat(29)}e`);
      const batch = await storedInPart(t, traceIds);
      expect(await store.replaySpanRows(t, batch)).toEqual({
        spans: 3,
        missingSpans: 1,
        missingTraceSpans: 2,
      });
      // A second replay (a crash during the first, say) finds nothing missing.
      expect(await store.replaySpanRows(t, batch)).toEqual({
        spans: 3,
        missingSpans: 0,
        missingTraceSpans: 0,
      });
      await expectEachStoredOnce(t, traceIds);
      // The work tables are gone.
      const left = await opened.driver.text(
        `SELECT count() FROM system.tables WHERE database = {db:String} AND name LIKE 'tracehouse_replay%'`,
        { db: await store.database(t) },
      );
      expect(left.trim()).toBe('0');
    });

    it('replays a batch in parts: each span once, and a span sent twice stored once', async () => {
      const t = `${tenant}-a`;
      const traceIds = ['b1', 'b2', 'b3'].map((p) => `${p}${'0'.repeat(29)}e`);
      // The third trace's record twice (a resend), in two parts of its own.
      const batch = await storedInPart(t, [...traceIds, traceIds[2]]);
      // One byte a part: one record a part.
      expect(await store.replaySpanRows(t, batch, undefined, 1)).toEqual({
        spans: 4,
        missingSpans: 1,
        missingTraceSpans: 2,
      });
      await expectEachStoredOnce(t, traceIds);
    });

    it('replays a batch of an older record (no copy rows) into layout 2, each span once', async () => {
      const t = `${tenant}-a`;
      const [stored, absent] = ['d1', 'd2'].map((p) => `${p}${'0'.repeat(29)}e`);
      const rows = [stored, absent].map((id) => encodeSpanRows(everyKindBatch(id)));
      await store.insertSpanRows(t, rows[0]);
      expect(await store.replaySpanRows(t, { format: 'Native', rows })).toEqual({
        spans: 2,
        missingSpans: 1,
        missingTraceSpans: 2,
      });
      expect(await store.replaySpanRows(t, { format: 'Native', rows })).toEqual({
        spans: 2,
        missingSpans: 0,
        missingTraceSpans: 0,
      });
      for (const traceId of [stored, absent]) {
        expect(await spansTableCount(t, traceId), traceId).toBe('1');
        expect(await tracesTableCount(t, traceId), traceId).toBe('1');
        const [{ first }] = await opened.driver.query<{ first: string }>(
          `SELECT substring(Span, 1, 3) AS first FROM ${await dbName(t)}.tracehouse_trace_spans WHERE TraceId = {traceId:String}`,
          { traceId },
        );
        expect(first).toBe('[2,');
        expect(await store.getTrace(t, traceId)).toEqual(everyKindBatch(traceId));
      }
    });

    it('counts a span stored in an older trace-spans layout as present when replaying an older record', async () => {
      const t = `${tenant}-a`;
      const traceId = `e1${'0'.repeat(29)}e`;
      const rows = encodeSpanRows(everyKindBatch(traceId));
      await store.insertSpanRows(t, rows);
      const db = await dbName(t);
      // As a version before migration 6 stored it: layout 1's JSON.
      await opened.driver.exec(
        `INSERT INTO ${db}.tracehouse_trace_spans SELECT ${TRACE_SPANS_VIEW_SELECT_1} FROM ${db}.otel_traces WHERE TraceId = {traceId:String}`,
        { traceId },
      );
      expect(await store.replaySpanRows(t, { format: 'Native', rows: [rows] })).toMatchObject({
        missingSpans: 0,
        missingTraceSpans: 0,
      });
      expect(await spansTableCount(t, traceId)).toBe('1');
      expect(await store.getTrace(t, traceId)).toEqual(everyKindBatch(traceId));
    });

    it('keeps replays apart that run at once in one tenant (several processes after an outage)', async () => {
      const t = `${tenant}-b`;
      const ids = ['c1', 'c2', 'c3', 'c4'].map((p) => `${p}${'0'.repeat(29)}e`);
      const results = await Promise.all(
        ids.map((id) => {
          const { spans, traceSpans } = encodeSpanBlocks(everyKindBatch(id));
          return store.replaySpanRows(t, { format: 'Native', rows: [spans], traceSpanRows: [traceSpans] });
        }),
      );
      expect(results.map((r) => [r.missingSpans, r.missingTraceSpans])).toEqual([
        [1, 1],
        [1, 1],
        [1, 1],
        [1, 1],
      ]);
      for (const traceId of ids) expect(flattenSpans((await store.getTrace(t, traceId))!)).toHaveLength(1);
    });

    it('replays the two halves of a shared span (one id, two kinds) as two spans', async () => {
      const t = `${tenant}-b`;
      const traceId = 'b1'.padEnd(32, '0');
      const [client, server] = (['client', 'server'] as const).map((side) => {
        const batch = everyKindBatch(traceId);
        batch[0].scopeSpans[0].spans[0].kind = side === 'client' ? 3 : 2;
        return encodeSpanBlocks(batch);
      });
      await store.insertSpans(t, client);
      const batch = {
        format: 'Native' as const,
        rows: [client.spans, server.spans],
        traceSpanRows: [client.traceSpans, server.traceSpans],
      };
      expect(await store.replaySpanRows(t, batch)).toMatchObject({ missingSpans: 1, missingTraceSpans: 1 });
      expect(flattenSpans((await store.getTrace(t, traceId))!)).toHaveLength(2);
    });

    it('keeps tenants apart and refuses bad tenant names', async () => {
      const traceId = '99999999999999999999999999999999';
      await store.insertSpans(`${tenant}-a`, encodeSpanBlocks(everyKindBatch(traceId)));
      expect(await store.getTrace(`${tenant}-a`, traceId)).toBeDefined();
      expect(await store.getTrace(`${tenant}-b`, traceId)).toBeUndefined();
      await expect(store.getTrace('x`; DROP DATABASE system; --', traceId)).rejects.toBeInstanceOf(
        InvalidTenantError,
      );
    });

    it('reads a span stored in layout 2 without events, links or resource and scope extras (compact) back', async () => {
      const batch = oneSpanRequest({ traceId: '0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c', events: [], links: [] });
      const traceId = batch[0].scopeSpans[0].spans[0].traceId;
      // As the layout-2 view (migrations 6 to 7) stored it.
      await store.insertSpanRows(tenant, encodeSpanRows(batch));
      const db = await dbName(tenant);
      await opened.driver.exec(
        `INSERT INTO ${db}.tracehouse_trace_spans SELECT ${TRACE_SPANS_VIEW_SELECT} FROM ${db}.otel_traces WHERE TraceId = {traceId:String}`,
        { traceId },
      );
      const stored = await opened.driver.text(
        `SELECT Span FROM ${await dbName(tenant)}.tracehouse_trace_spans WHERE TraceId = {traceId:String} FORMAT TabSeparatedRaw`,
        { traceId },
      );
      expect(stored.trim()).toMatch(/^\[2,.*,0,0,0\]$/);
      expect(await store.getTrace(tenant, traceId)).toEqual(batch);
    });

    it('reads a trace stored only in otel_traces (before migration 4, or by the collector) from there', async () => {
      const traceId = '0badc0de0badc0de0badc0de0badc0de';
      const batch = everyKindBatch(traceId);
      const t = `${tenant}-a`;
      await store.insertSpans(t, encodeSpanBlocks(batch));
      expect(await spansTableCount(t, traceId)).toBe('1');
      await opened.driver.exec(`TRUNCATE TABLE ${await dbName(t)}.tracehouse_trace_spans`);
      expect(await spansTableCount(t, traceId)).toBe('0');
      expect(await store.getTrace(t, traceId)).toEqual(batch);
    });

    it("reads a trace's outline: the first frame's values of every span, extracted by ClickHouse", async () => {
      const traceId = '0d11e0d11e0d11e0d11e0d11e0d11e00';
      const batch = everyKindBatch(traceId);
      await store.insertSpans(tenant, encodeSpanBlocks(batch));
      const span = batch[0].scopeSpans[0].spans[0];
      const read = (s: TraceStore, range?: { start: number; end: number }) =>
        s.getTraceOutline(tenant, traceId, range, 'test', (outline) => JSON.stringify(outline));
      expect(JSON.parse((await read(store))!)).toEqual({
        start: [span.startTimeUnixNano.toString()],
        duration: [(span.endTimeUnixNano - span.startTimeUnixNano).toString()],
        spanId: [span.spanId],
        parentSpanId: [span.parentSpanId],
        name: [span.name],
        kind: ['Client'],
        service: ['typed-service'],
        statusCode: ['Error'],
      });
      const startSeconds = Number(span.startTimeUnixNano / 1_000_000_000n);
      expect(await read(store, { start: startSeconds + 10, end: startSeconds + 20 })).toBeUndefined();
      expect(await read(store, { start: startSeconds - 1, end: startSeconds + 1 })).toBeDefined();
      await store.insertSpans(tenant, encodeSpanBlocks(sibling(traceId)));
      const limited = new TraceStore(opened.driver, { retentionSeconds: 0, maxTraceSpans: 1 });
      await expect(read(limited)).rejects.toBeInstanceOf(TraceTooLargeError);
      // No outline where the spans table has none of the trace: the caller reads the whole trace.
      expect(
        await store.getTraceOutline(tenant, '00000000000000000000000000000002', undefined, 'test', String),
      ).toBeUndefined();
    });

    it('narrows to a time range and refuses a trace past the span limit after reading one more', async () => {
      const traceId = '5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e';
      const batch = everyKindBatch(traceId);
      await store.insertSpans(tenant, encodeSpanBlocks(batch));
      await store.insertSpans(tenant, encodeSpanBlocks(sibling(traceId)));
      const startSeconds = Number(batch[0].scopeSpans[0].spans[0].startTimeUnixNano / 1_000_000_000n);
      const around = { start: startSeconds - 1, end: startSeconds + 1 };
      expect(flattenSpans((await store.getTrace(tenant, traceId, around))!)).toHaveLength(2);
      expect(
        await store.getTrace(tenant, traceId, { start: startSeconds + 10, end: startSeconds + 20 }),
      ).toBeUndefined();
      const limited = new TraceStore(opened.driver, { retentionSeconds: 0, maxTraceSpans: 1 });
      await expect(limited.getTrace(tenant, traceId)).rejects.toBeInstanceOf(TraceTooLargeError);
      expect(
        flattenSpans(
          (await new TraceStore(opened.driver, { retentionSeconds: 0, maxTraceSpans: 2 }).getTrace(
            tenant,
            traceId,
          ))!,
        ),
      ).toHaveLength(2);
    });

    it('reads many traces in one call: in order, absent ones undefined, past the limit an error value, older ones from otel_traces', async () => {
      const t = `${tenant}-b`;
      const ids = ['1a', '2b', '3c', '4d', '5e'].map((p) => p.repeat(16));
      const [small, double, older, absent, hostile] = ids;
      const batches = [small, double, older].map((id) => everyKindBatch(id));
      for (const batch of batches) await store.insertSpans(t, encodeSpanBlocks(batch));
      await store.insertSpans(t, encodeSpanBlocks(sibling(double)));
      // A trace the spans table lacks (stored before it existed): read alone, from otel_traces.
      await opened.driver.exec(
        `ALTER TABLE ${await dbName(t)}.tracehouse_trace_spans DELETE WHERE TraceId = {older:String} SETTINGS mutations_sync = 1`,
        { older },
      );
      expect(await spansTableCount(t, older)).toBe('0');
      const asked = [double, absent, small, `${hostile}')`, older, small];
      const uncached = new TraceStore(opened.driver, {
        retentionSeconds: 0,
        traceCache: { maxSpans: 0, maxAgeMs: 0 },
      });
      const expected = await Promise.all(
        asked.map((id) => uncached.getTrace(t, id).catch((e: unknown) => e)),
      );
      expect(flattenSpans(expected[0] as never)).toHaveLength(2);
      expect(await uncached.getTraces(t, asked)).toEqual(expected);
      expect(expected[4]).toEqual(batches[2]);
      // The cache: a second call answers from what the first read, and still sees new spans.
      expect(await store.getTraces(t, asked)).toEqual(expected);
      expect(await store.getTraces(t, asked)).toEqual(expected);
      await store.insertSpans(t, encodeSpanBlocks(sibling(small)));
      expect(flattenSpans((await store.getTraces(t, [small]))[0] as never)).toHaveLength(2);

      const limited = new TraceStore(opened.driver, { retentionSeconds: 0, maxTraceSpans: 1 });
      const [tooLarge, fine] = await limited.getTraces(t, [double, older]);
      expect(tooLarge).toBeInstanceOf(TraceTooLargeError);
      expect(fine).toEqual(batches[2]);
      expect(await store.getTraces(t, [])).toEqual([]);
    });

    it('answers a repeated read from its cache, but never misses spans written since', async () => {
      const traceId = 'cac4ecac4ecac4ecac4ecac4ecac4eca';
      const rows = encodeSpanBlocks(everyKindBatch(traceId));
      expect(await store.getTrace(tenant, traceId)).toBeUndefined();
      await store.insertSpans(tenant, rows);
      const first = await store.getTrace(tenant, traceId);
      expect(flattenSpans(first!)).toHaveLength(1);
      expect(await store.getTrace(tenant, traceId)).toBe(first);
      const uncached = new TraceStore(opened.driver, {
        retentionSeconds: 0,
        traceCache: { maxSpans: 0, maxAgeMs: 0 },
      });
      const [a, b] = await Promise.all([
        uncached.getTrace(tenant, traceId),
        uncached.getTrace(tenant, traceId),
      ]);
      // With the cache off nothing is kept, but concurrent reads of one trace share one query.
      expect(a).toEqual(first);
      expect(a).toBe(b);
      expect(await uncached.getTrace(tenant, traceId)).not.toBe(a);
      let encodings = 0;
      const encode = (): string => `encoding ${++encodings}`;
      expect(await store.getTraceEncoded(tenant, traceId, undefined, 'test', encode)).toBe('encoding 1');
      expect(await store.getTraceEncoded(tenant, traceId, undefined, 'test', encode)).toBe('encoding 1');
      await store.insertSpans(tenant, encodeSpanBlocks(sibling(traceId)));
      expect(flattenSpans((await store.getTrace(tenant, traceId))!)).toHaveLength(2);
      expect(await store.getTraceEncoded(tenant, traceId, undefined, 'test', encode)).toBe('encoding 2');
    });

    it('hands a prefetched read to the request that follows, cache off, unless spans came since', async () => {
      const traceId = '9ef3e7c49ef3e7c49ef3e7c49ef3e7c4';
      const uncached = new TraceStore(opened.driver, {
        retentionSeconds: 0,
        traceCache: { maxSpans: 0, maxAgeMs: 0 },
      });
      await store.insertSpans(tenant, encodeSpanBlocks(everyKindBatch(traceId)));
      let builds = 0;
      const build = (): SpanRowSink<string> => {
        const build = ++builds;
        let rows = 0;
        return { add: () => rows++, finish: () => `build ${build}: ${rows} rows` };
      };
      uncached.prefetchTraceBuilt(tenant, traceId, 'test', build);
      await new Promise((resolve) => setTimeout(resolve, 300)); // the read has finished by now
      expect(await uncached.getTraceBuilt(tenant, traceId, undefined, 'test', build)).toBe('build 1: 1 rows');
      // Taken once: the next request reads again.
      expect(await uncached.getTraceBuilt(tenant, traceId, undefined, 'test', build)).toBe('build 2: 1 rows');
      // A prefetch that began before an insert into the tenant is not used.
      uncached.prefetchTraceBuilt(tenant, traceId, 'test', build);
      await uncached.insertSpans(tenant, encodeSpanBlocks(sibling(traceId)));
      expect(await uncached.getTraceBuilt(tenant, traceId, undefined, 'test', build)).toBe('build 4: 2 rows');
    });

    it('sees spans another writer stored once the cache entry is older than its maximum age', async () => {
      const traceId = '07e2a17e07e2a17e07e2a17e07e2a17e';
      const reader = new TraceStore(opened.driver, {
        retentionSeconds: 0,
        traceCache: { maxSpans: 1000, maxAgeMs: 300 },
      });
      expect(await reader.getTrace(tenant, traceId)).toBeUndefined();
      await store.insertSpans(tenant, encodeSpanBlocks(everyKindBatch(traceId)));
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(flattenSpans((await reader.getTrace(tenant, traceId))!)).toHaveLength(1);
    });

    it("runs a trace read that requests share outside any one request's time budget", async () => {
      const traceId = '5eed5eed5eed5eed5eed5eed5eed0002';
      await store.insertSpans(tenant, encodeSpanBlocks(everyKindBatch(traceId)));
      await store.database(tenant);
      // A request whose budget is spent by the time the read starts: bounded by it, the read would
      // not run, and any request that joined it would get that timeout however much time it had.
      const read = runWithReadDeadline(Date.now() - 1, () => store.getTrace(tenant, traceId));
      expect(await read).toEqual(everyKindBatch(traceId));
      await expect(
        runWithReadDeadline(Date.now() - 1, () => opened.driver.query('SELECT 1')),
      ).rejects.toThrow(QueryBudgetSpentError);
    });

    it('answers undefined for an unknown trace', async () => {
      expect(await store.getTrace(tenant, '00000000000000000000000000000001')).toBeUndefined();
    });

    it('binds hostile text as itself: it matches only itself and never changes the SQL', async () => {
      for (const text of HOSTILE) {
        const [row] = await opened.driver.query<{ s: string; n: string; list: string[] }>(
          `SELECT {s:String} AS s,
                  toString(countIf(x = {s:String})) AS n,
                  {list:Array(String)} AS list
           FROM (SELECT arrayJoin(['a', 'b', {s:String}, 'it''s', '\\\\']) AS x)`,
          { s: text, list: [text, 'plain', text] },
        );
        expect(row).toEqual({
          s: text,
          n: text === "it's" || text === '\\' ? '2' : '1',
          list: [text, 'plain', text],
        });
        expect(await store.getTrace(tenant, text)).toBeUndefined();
      }
      const [big] = await opened.driver.query<{ i: string; t: string }>(
        'SELECT {i:Int64} AS i, toTypeName({i:Int64}) AS t',
        { i: -9_223_372_036_854_775_808n },
      );
      expect(big).toEqual({ i: '-9223372036854775808', t: 'Int64' });
    });

    it("rejects with ClickHouse's own message when the SQL is wrong", async () => {
      await expect(opened.driver.query('SELECT * FROM tracehouse_no_such_db.no_such_table')).rejects.toThrow(
        /UNKNOWN_DATABASE|UNKNOWN_TABLE|does not exist/,
      );
      await expect(opened.driver.text('SELEC 1')).rejects.toThrow(/Syntax error/);
      await expect(opened.driver.exec('CREATE TABLE x (')).rejects.toThrow(/Syntax error/);
      await expect(
        opened.driver.insertRowBinary('tracehouse_no_such_db.t (a)', 'a String', Buffer.from([1, 0x61])),
      ).rejects.toThrow(/UNKNOWN_DATABASE|UNKNOWN_TABLE|does not exist/);
    });
  });
}
