import { describe, expect, it } from 'vitest';
import { RetryableError } from '../../consumer/errors.js';
import { silentLogger } from '../../logging/logger.js';
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
});
