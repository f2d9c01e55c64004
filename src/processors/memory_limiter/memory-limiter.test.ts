import { describe, expect, it } from 'vitest';
import { RetryableError } from '../../consumer/errors.js';
import type { TraceRequestBytes } from '../../consumer/traces-consumer.js';
import { encodeExportTraceServiceRequest } from '../../otlp/protobuf/encode-traces.js';
import { silentLogger } from '../../logging/logger.js';
import { collectIsolateGarbage, isolateMemoryBytes } from '../../observability/isolate-memory.js';
import { batch, parseProcessorConfig, span } from '../processor-test-support.js';
import { memoryLimiterProcessorFactory } from './memory-limiter-config.js';
import { MemoryLimiterProcessor } from './memory-limiter-processor.js';

const MIB = 1024 * 1024;
const GC_INTERVALS = { minGcIntervalSoftMs: 10_000, minGcIntervalHardMs: 0 };

describe('memory_limiter', () => {
  it('takes limit_mib with a default spike of 20%', () => {
    expect(parseProcessorConfig(memoryLimiterProcessorFactory, 'check_interval: 1s\nlimit_mib: 100')).toEqual(
      {
        checkIntervalMs: 1000,
        limitBytes: 100 * MIB,
        spikeBytes: 20 * MIB,
        minGcIntervalSoftMs: 10_000,
        minGcIntervalHardMs: 0,
      },
    );
    expect(
      parseProcessorConfig(
        memoryLimiterProcessorFactory,
        'check_interval: 1s\nlimit_mib: 100\nmin_gc_interval_when_soft_limited: 30s\nmin_gc_interval_when_hard_limited: 5s',
      ),
    ).toMatchObject({ minGcIntervalSoftMs: 30_000, minGcIntervalHardMs: 5_000 });
  });

  it.each([
    ['limit_mib: 100', 'processors.memory_limiter.check_interval: must be greater than zero, e.g. 1s'],
    ['check_interval: 1s', 'processors.memory_limiter: needs limit_mib or limit_percentage'],
    [
      'check_interval: 1s\nlimit_mib: 100\nspike_limit_mib: 100',
      'processors.memory_limiter: the spike limit must be below the limit',
    ],
    [
      'check_interval: 1s\nlimit_mib: 100\nmin_gc_interval_when_soft_limited: 1s\nmin_gc_interval_when_hard_limited: 2s',
      'processors.memory_limiter.min_gc_interval_when_soft_limited: must not be shorter than min_gc_interval_when_hard_limited',
    ],
  ])('refuses %j', (yaml, message) => {
    expect(() => parseProcessorConfig(memoryLimiterProcessorFactory, yaml)).toThrow(message);
  });

  it('treats undecoded requests alike, handing them on as bytes, and offers them only to a next that takes them', async () => {
    let used = 10 * MIB;
    const bytes: number[] = [];
    const limits = { ...GC_INTERVALS, checkIntervalMs: 60_000, limitBytes: 100 * MIB, spikeBytes: 20 * MIB };
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
      { ...GC_INTERVALS, checkIntervalMs: 60_000, limitBytes: 100 * MIB, spikeBytes: 20 * MIB },
      { consumeTraces: () => (accepted.push(1), Promise.resolve()) },
      silentLogger(),
      () => used,
    );
    await processor.start();
    const ctx = { tenant: 'single-tenant' };
    await processor.consumeTraces(batch([span()]), ctx);
    expect(processor.wouldRefuse(ctx)).toBeUndefined();
    used = 85 * MIB; // above the soft limit of 80 MiB
    processor.check();
    await expect(processor.consumeTraces(batch([span()]), ctx)).rejects.toBeInstanceOf(RetryableError);
    // Receivers ask before reading a request, and are told the same.
    expect(processor.wouldRefuse(ctx)?.message).toMatch(/soft limit/);
    used = 50 * MIB;
    processor.check();
    expect(processor.wouldRefuse(ctx)).toBeUndefined();
    await processor.consumeTraces(batch([span()]), ctx);
    expect(accepted.length).toBe(2);
    await processor.shutdown();
  });

  it('above the soft limit, collects the garbage and measures again: Buffers let go no longer count', async () => {
    collectIsolateGarbage();
    // Soft limit 24 MiB above what this thread holds now, hard limit far above: 48 MiB of Buffers
    // just let go put it between the two, where a limiter that collected only above the hard limit
    // (or only under --expose-gc) would refuse.
    const held = isolateMemoryBytes();
    const limits = {
      ...GC_INTERVALS,
      checkIntervalMs: 60_000,
      limitBytes: held + 256 * MIB,
      spikeBytes: 232 * MIB,
    };
    let litter: Buffer[] | undefined = Array.from({ length: 48 }, () => Buffer.alloc(MIB, 1));
    expect(litter).toHaveLength(48);
    litter = undefined;
    expect(isolateMemoryBytes()).toBeGreaterThan(held + 24 * MIB);
    const limiter = new MemoryLimiterProcessor(
      limits,
      { consumeTraces: () => Promise.resolve() },
      silentLogger(),
    );
    limiter.check();
    await limiter.consumeTraces(batch([span()]), { tenant: 'single-tenant' });
    expect(litter).toBeUndefined();
  });

  it('collects at most every min_gc_interval_when_soft_limited above the soft limit, at every check above the hard one', async () => {
    let used = 85 * MIB;
    let collections = 0;
    const limiter = new MemoryLimiterProcessor(
      { ...GC_INTERVALS, checkIntervalMs: 60_000, limitBytes: 100 * MIB, spikeBytes: 20 * MIB },
      { consumeTraces: () => Promise.resolve() },
      silentLogger(),
      () => used,
      () => collections++,
    );
    await limiter.start(); // checks once: above the soft limit, the first collection
    limiter.check();
    limiter.check();
    expect(collections).toBe(1);
    used = 105 * MIB;
    limiter.check();
    limiter.check();
    expect(collections).toBe(3);
    used = 50 * MIB;
    limiter.check();
    expect(collections).toBe(3);
    await limiter.shutdown();
  });
});
