import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useFixtureStore } from '../../../test/support/fixture-store.js';
import { oneSpanRequest } from '../../../test/support/one-span-request.js';
import { encodeSpanBlocks } from '../../store/rows/span-blocks.js';
import { CHECKPOINT_FILE } from '../../wal/checkpoint.js';

/*
 * The log's checkpoint says how far it was flushed. Without it (deleted, or damaged), the log
 * opens at position 0 with records that are stored already: they are replayed by comparison, so
 * each span is stored once, not inserted a second time.
 */

const fixture = useFixtureStore();

async function stored(tenant: string): Promise<string> {
  const db = await fixture.store.database(tenant);
  const count = async (table: string): Promise<string> =>
    (await fixture.driver.text(`SELECT count() FROM {db:Identifier}.${table}`, { db })).trim();
  return `${await count('otel_traces')} ${await count('tracehouse_trace_spans')}`;
}

describe('a write-ahead log opened without its checkpoint', () => {
  it.each([
    ['deleted', (file: string) => rm(file)],
    ['damaged', (file: string) => writeFile(file, 'not a checkpoint')],
  ])('%s: the records it still holds are stored once', async (how, lose) => {
    const tenant = `lost-${how}`;
    const walDir = join(fixture.dir, `wal-${how}`);
    const first = await fixture.openExporter(walDir);
    const batch = (i: number) => oneSpanRequest({ traceId: `${i + 1}`.repeat(32) });
    for (let i = 0; i < 5; i++) await first.exporter.consumeTraces(batch(i), { tenant });
    // A flush of the first three records (as one of flushMaxBytes would take), then a crash
    // before the next: the segment holds three stored records and two that are not.
    await fixture.store.insertSpans(tenant, encodeSpanBlocks([0, 1, 2].flatMap(batch)));
    await first.wal.commitFlushed(3);
    await first.wal.close();
    expect(await stored(tenant)).toBe('3 3');
    await lose(join(walDir, CHECKPOINT_FILE));

    const second = await fixture.openExporter(walDir);
    await second.exporter.shutdown();
    expect(await stored(tenant)).toBe('5 5');
  });
});
