import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeStoreRecord } from '../src/exporters/store/wal-record.js';
import { attachRequestBytes } from '../src/model/request-bytes.js';
import { decodeExportTraceServiceRequestVerbatim } from '../src/otlp/protobuf/decode-traces.js';
import { WriteAheadLog } from '../src/wal/write-ahead-log.js';
import { makeEncodedBatches } from './encoded-batches.js';

/*
 * The store exporter's own work per span, without the engine: encoding a batch's log record
 * (encodeStoreRecord, both tables' blocks) and the flusher reading records back from the
 * write-ahead log, from its memory tail or from disk (`--memory-mib 0`). CPU is the process's,
 * every thread (V8's GC helpers, libuv's pool for the reads). Run with `--trace-gc` to count
 * collections.
 *
 *   node dist/bench/store-record-bench.js [--part encode|read] [--model-only] [--memory-mib 128]
 */
const { values: args } = parseArgs({
  options: {
    part: { type: 'string', default: 'encode' },
    'memory-mib': { type: 'string', default: '128' },
    'model-only': { type: 'boolean', default: false },
  },
});
const SPANS_PER_BATCH = 512;

if (args.part === 'encode') {
  const { protobuf } = makeEncodedBatches(16, SPANS_PER_BATCH, BigInt(Date.now()) * 1_000_000n);
  // As a receiver hands them on: decoded verbatim, the request's bytes attached (the copy's rows
  // are then copied from them); `--model-only` encodes every span from the model.
  const models = protobuf.map((bytes) => {
    const { data, verbatim, spanFields } = decodeExportTraceServiceRequestVerbatim(bytes);
    if (verbatim && args['model-only'] !== true) attachRequestBytes(data, [bytes], [spanFields]);
    return data;
  });
  // The last 64 records stay alive, as records wait in the log's group commit and memory tail.
  const kept: Buffer[] = [];
  const encode = (batches: number): void => {
    for (let i = 0; i < batches; i++) {
      kept.push(encodeStoreRecord('default', models[i % models.length]));
      if (kept.length > 64) kept.shift();
    }
  };
  encode(400);
  const cpu = process.cpuUsage();
  const started = performance.now();
  encode(3000);
  const used = process.cpuUsage(cpu);
  const spans = 3000 * SPANS_PER_BATCH;
  report(
    `encodeStoreRecord${args['model-only'] === true ? ' (model only)' : ' (request bytes attached)'}`,
    used,
    performance.now() - started,
    spans,
  );
} else {
  const dir = await mkdtemp(join(tmpdir(), 'tracehouse-record-bench-'));
  try {
    const log = await WriteAheadLog.open({
      dir,
      segmentMaxBytes: 64 * 1024 * 1024,
      memoryTailBytes: Number(args['memory-mib']) * 1024 * 1024,
    });
    // A realistic record of 512 spans is ~870 KB; 72 of them are one flush (32 MiB of otel_traces rows).
    const recordBytes = 870_000;
    let spans = 0;
    let wallMs = 0;
    let used = { user: 0, system: 0 };
    for (let flush = 0; flush < 12; flush++) {
      await Promise.all(Array.from({ length: 72 }, (_, i) => log.append(Buffer.alloc(recordBytes, i))));
      const cpu = process.cpuUsage();
      const started = performance.now();
      let end = 0;
      let records = 0;
      for await (const record of log.readFrom()) {
        end = record.position + 1;
        records++;
      }
      if (flush >= 2) {
        const delta = process.cpuUsage(cpu);
        used = { user: used.user + delta.user, system: used.system + delta.system };
        wallMs += performance.now() - started;
        spans += records * SPANS_PER_BATCH;
      }
      await log.commitFlushed(end);
    }
    await log.close();
    report(`read back, memory tail ${args['memory-mib']} MiB`, used, wallMs, spans);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function report(what: string, cpu: { user: number; system: number }, wallMs: number, spans: number): void {
  const cpuUs = (cpu.user + cpu.system) / spans;
  process.stdout.write(
    `${what}: ${cpuUs.toFixed(2)} µs CPU a span (all threads), ${((wallMs * 1000) / spans).toFixed(2)} µs wall\n`,
  );
}
