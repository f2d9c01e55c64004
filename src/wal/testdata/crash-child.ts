/**
 * The process the crash test kills with SIGKILL: it appends records as fast as it can, prints
 * `ack <position> <id>` once each append resolved, and flushes like the store would (read from
 * the checkpoint, then commitFlushed), printing `flushed <position>` after each commit.
 * Run as: node crash-child.js <dir> <run-id>
 */
import { WriteAheadLog } from '../write-ahead-log.js';
import { crashPayload } from './crash-payload.js';

const [dir, run] = process.argv.slice(2);
const log = await WriteAheadLog.open({ dir, segmentMaxBytes: 64 * 1024 });
let counter = 0;

async function appendForever(): Promise<never> {
  for (;;) {
    const id = `${run}:${counter++}`;
    const position = await log.append(crashPayload(id));
    // process.stdout is synchronous for pipes on Linux: a printed ack reached the parent.
    process.stdout.write(`ack ${position} ${id}\n`);
  }
}

async function flushForever(): Promise<never> {
  for (;;) {
    let next = log.stats().flushedPosition;
    let read = 0;
    for await (const record of log.readFrom(next)) {
      next = record.position + 1;
      if (++read === 100) break;
    }
    if (read > 0) {
      await log.commitFlushed(next);
      process.stdout.write(`flushed ${next}\n`);
    }
    // Lag behind, as a real flusher batching for ClickHouse does, so replay has work to do.
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

await Promise.all([...Array.from({ length: 8 }, appendForever), flushForever()]);
