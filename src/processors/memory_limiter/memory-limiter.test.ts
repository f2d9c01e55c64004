import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { RetryableError } from '../../consumer/errors.js';
import type { TraceRequestBytes } from '../../consumer/traces-consumer.js';
import { encodeExportTraceServiceRequest } from '../../otlp/protobuf/encode-traces.js';
import { silentLogger } from '../../logging/logger.js';
import { isolateMemoryBytes } from '../../observability/isolate-memory.js';
import { batch, parseProcessorConfig, span } from '../processor-test-support.js';
import { memoryLimiterProcessorFactory } from './memory-limiter-config.js';
import { MemoryLimiterProcessor } from './memory-limiter-processor.js';

const MIB = 1024 * 1024;

describe('memory_limiter', () => {
  it('takes limit_mib with a default spike of 20%', () => {
    expect(parseProcessorConfig(memoryLimiterProcessorFactory, 'check_interval: 1s\nlimit_mib: 100')).toEqual(
      {
        checkIntervalMs: 1000,
        limitBytes: 100 * MIB,
        spikeBytes: 20 * MIB,
      },
    );
  });

  it.each([
    ['limit_mib: 100', 'processors.memory_limiter.check_interval: must be greater than zero, e.g. 1s'],
    ['check_interval: 1s', 'processors.memory_limiter: needs limit_mib or limit_percentage'],
    [
      'check_interval: 1s\nlimit_mib: 100\nspike_limit_mib: 100',
      'processors.memory_limiter: the spike limit must be below the limit',
    ],
  ])('refuses %j', (yaml, message) => {
    expect(() => parseProcessorConfig(memoryLimiterProcessorFactory, yaml)).toThrow(message);
  });

  it('treats undecoded requests alike, handing them on as bytes, and offers them only to a next that takes them', async () => {
    let used = 10 * MIB;
    const bytes: number[] = [];
    const limits = { checkIntervalMs: 60_000, limitBytes: 100 * MIB, spikeBytes: 20 * MIB };
    const next = {
      consumeTraces: () => Promise.reject(new Error('bytes must stay bytes')),
      consumeTraceBytes: (r: TraceRequestBytes) => (bytes.push(r.spans), Promise.resolve()),
    };
    const request = { parts: [encodeExportTraceServiceRequest(batch([span(), span()]))], spans: 2 };
    const ctx = { tenant: 'single-tenant' };
    const processor = new MemoryLimiterProcessor(limits, next, silentLogger(), () => used);
    await processor.start();
    await processor.consumeTraceBytes!(request, ctx);
    used = 85 * MIB;
    processor.check();
    await expect(processor.consumeTraceBytes!(request, ctx)).rejects.toBeInstanceOf(RetryableError);
    await processor.shutdown();
    const modelsOnly = new MemoryLimiterProcessor(
      limits,
      { consumeTraces: () => Promise.resolve() },
      silentLogger(),
      () => 0,
    );
    expect(modelsOnly.consumeTraceBytes).toBeUndefined();
    expect(bytes).toEqual([2]);
  });

  it('refuses data with a RetryableError above the soft limit and accepts again below it', async () => {
    let used = 10 * MIB;
    const accepted: number[] = [];
    const processor = new MemoryLimiterProcessor(
      { checkIntervalMs: 60_000, limitBytes: 100 * MIB, spikeBytes: 20 * MIB },
      { consumeTraces: () => (accepted.push(1), Promise.resolve()) },
      silentLogger(),
      () => used,
    );
    await processor.start();
    const ctx = { tenant: 'single-tenant' };
    await processor.consumeTraces(batch([span()]), ctx);
    used = 85 * MIB; // above the soft limit of 80 MiB
    processor.check();
    await expect(processor.consumeTraces(batch([span()]), ctx)).rejects.toBeInstanceOf(RetryableError);
    used = 50 * MIB;
    processor.check();
    await processor.consumeTraces(batch([span()]), ctx);
    expect(accepted.length).toBe(2);
    await processor.shutdown();
  });

  it('above the hard limit under --expose-gc, measures again after collecting: Buffers freed no longer count', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as NodeJS.GCFunction;
    const exposed = globalThis.gc;
    globalThis.gc = gc; // as `node --expose-gc` would
    try {
      gc();
      gc();
      // A hard limit 32 MiB above what this thread holds now, and 64 MiB of Buffers just let go.
      const limits = {
        checkIntervalMs: 60_000,
        limitBytes: isolateMemoryBytes() + 32 * MIB,
        spikeBytes: 8 * MIB,
      };
      let litter: Buffer[] | undefined = Array.from({ length: 64 }, () => Buffer.alloc(MIB, 1));
      expect(litter).toHaveLength(64);
      litter = undefined;
      const limiter = new MemoryLimiterProcessor(
        limits,
        { consumeTraces: () => Promise.resolve() },
        silentLogger(),
      );
      limiter.check();
      await limiter.consumeTraces(batch([span()]), { tenant: 'single-tenant' });
      expect(litter).toBeUndefined();
    } finally {
      globalThis.gc = exposed;
    }
  });
});
