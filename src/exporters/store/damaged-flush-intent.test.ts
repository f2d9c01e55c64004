import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { useFixtureStore } from '../../../test/support/fixture-store.js';
import { oneSpanRequest } from '../../../test/support/one-span-request.js';
import { encodeSpanBlocks } from '../../store/rows/span-blocks.js';
import { WriteAheadLog } from '../../wal/write-ahead-log.js';
import { encodeStoreRecord } from './wal-record.js';

/*
 * The flush intent names the log range a flush was inserting when the process stopped. One that is
 * damaged (a zero-byte file, not JSON, reversed) or that does not match the log (it starts after
 * the checkpoint, or ends past the log's end) must neither stop every start nor skip or repeat
 * records: the log's unflushed records are replayed by comparison, each stored once.
 *
 * Each case: 20 records in the log, 0–9 flushed (checkpoint at 10), some of 10–19 stored already
 * by the flush that was cut short; then a restart with the intent as given, and two more batches.
 */

const fixture = useFixtureStore();

const batch = (i: number) =>
  oneSpanRequest({
    traceId: (i + 1).toString(16).padStart(32, '0'),
    spanId: (i + 1).toString(16).padStart(16, 'a'),
  });
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** A log as a crash during a flush of records 10 onwards leaves it (and ClickHouse). */
async function crashDuringFlush(tenant: string, walDir: string, storedAlready: number[]): Promise<void> {
  const wal = await WriteAheadLog.open({ dir: walDir });
  for (const i of range(0, 20)) await wal.append(encodeStoreRecord(tenant, batch(i)));
  await fixture.store.insertSpans(tenant, encodeSpanBlocks(range(0, 10).flatMap(batch)));
  await wal.commitFlushed(10);
  if (storedAlready.length > 0)
    await fixture.store.insertSpans(tenant, encodeSpanBlocks(storedAlready.flatMap(batch)));
  await wal.close();
}

/** Spans, distinct span ids in `otel_traces`, and spans in the copy. */
async function stored(tenant: string): Promise<string> {
  const db = await fixture.store.database(tenant);
  const [spans, distinct] = (
    await fixture.driver.text('SELECT count(), uniqExact(TraceId, SpanId) FROM {db:Identifier}.otel_traces', {
      db,
    })
  )
    .trim()
    .split('\t');
  const copy = (
    await fixture.driver.text('SELECT count() FROM {db:Identifier}.tracehouse_trace_spans', { db })
  ).trim();
  return `${spans} ${distinct} ${copy}`;
}

describe('a flush intent that cannot be taken as written', () => {
  it.each([
    // A start failed on it with a SyntaxError, every time.
    ['zero bytes', '', range(10, 15), /damaged \(the file is empty\)/],
    ['not JSON', '{"first":10,"en', range(10, 15), /damaged \(not JSON/],
    // Replayed nothing and committed 12: records 10 and 11 were never stored.
    ['reversed', '{"first":15,"end":12}', [], /damaged \(first \(15\) is past end \(12\)\)/],
    // Read as no intent: 10–14 were inserted a second time.
    ['not integers', '{"first":"10","end":15}', range(10, 15), /damaged \(first \("10"\)/],
    // Replayed from 12 and committed 15: records 10 and 11 were never stored. Now replayed from
    // the checkpoint without a warning: a flush starts after it where positions are missing.
    ['after the checkpoint', '{"first":12,"end":15}', range(12, 15), undefined],
    // commitFlushed(25) threw a RangeError, every start.
    [
      "past the log's end",
      '{"first":10,"end":25,"insertId":"tracehouse-flush-cut-short"}',
      range(10, 15),
      /ends at 25, past the log's end \(20\)/,
    ],
  ])(
    '%s: start succeeds and every acknowledged span is stored once',
    async (how, intent, storedAlready, warning) => {
      const tenant = `intent-${how.replace(/[^a-z]+/g, '-')}`;
      const walDir = join(fixture.dir, `wal-${tenant}`);
      await crashDuringFlush(tenant, walDir, storedAlready);
      await writeFile(join(walDir, 'flush-intent.json'), intent);

      const warnings: string[] = [];
      const logger = pino(
        { level: 'warn' },
        { write: (line: string) => warnings.push((JSON.parse(line) as { msg: string }).msg) },
      );
      const { exporter } = await fixture.openExporter(walDir, logger);
      expect(await stored(tenant)).toBe('20 20 20');
      expect(warnings).toEqual(warning === undefined ? [] : [expect.stringMatching(warning)]);
      // The log goes on from where it was: new spans are flushed as usual.
      for (const i of [20, 21]) await exporter.consumeTraces(batch(i), { tenant });
      await exporter.shutdown();
      expect(await stored(tenant)).toBe('22 22 22');
    },
  );
});
