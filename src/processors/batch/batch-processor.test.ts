import { describe, expect, it } from 'vitest';
import { RetryableError } from '../../consumer/errors.js';
import type { ConsumeContext } from '../../consumer/traces-consumer.js';
import { countSpans } from '../../model/factories.js';
import type { TracesData } from '../../model/span.js';
import { batch, parseProcessorConfig, span } from '../processor-test-support.js';
import { batchProcessorFactory } from './batch-config.js';
import { BatchProcessor } from './batch-processor.js';
import { splitTraces } from './split-traces.js';

function sink(fail?: Error): {
  sent: { spans: number; tenant: string }[];
  consumeTraces(d: TracesData, c: ConsumeContext): Promise<void>;
} {
  const sent: { spans: number; tenant: string }[] = [];
  return {
    sent,
    consumeTraces(d, c) {
      sent.push({ spans: countSpans(d), tenant: c.tenant });
      return fail ? Promise.reject(fail) : Promise.resolve();
    },
  };
}
const spans = (n: number) => batch(Array.from({ length: n }, () => span()));
const ctx = { tenant: 'single-tenant' };

describe('batch processor', () => {
  it('has the Collector defaults: 8192 spans, no max, 200ms', () => {
    expect(parseProcessorConfig(batchProcessorFactory, '{}')).toEqual({
      sendBatchSize: 8192,
      sendBatchMaxSize: 0,
      timeoutMs: 200,
    });
  });

  it('sends when send_batch_size is reached, without waiting for the timeout', async () => {
    const next = sink();
    const p = new BatchProcessor({ sendBatchSize: 10, sendBatchMaxSize: 0, timeoutMs: 60_000 }, next);
    await Promise.all([p.consumeTraces(spans(4), ctx), p.consumeTraces(spans(6), ctx)]);
    expect(next.sent).toEqual([{ spans: 10, tenant: 'single-tenant' }]);
  });

  it('sends a partial batch when the timeout passes', async () => {
    const next = sink();
    const p = new BatchProcessor({ sendBatchSize: 100, sendBatchMaxSize: 0, timeoutMs: 20 }, next);
    const started = Date.now();
    await Promise.all([p.consumeTraces(spans(3), ctx), p.consumeTraces(spans(2), ctx)]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(next.sent).toEqual([{ spans: 5, tenant: 'single-tenant' }]);
  });

  it('refuses to its callers a batch whose next consumer throws instead of rejecting, also from the timer', async () => {
    const throwing = {
      consumeTraces(): Promise<void> {
        throw new Error('broken consumer');
      },
    };
    const onTimer = new BatchProcessor({ sendBatchSize: 100, sendBatchMaxSize: 0, timeoutMs: 5 }, throwing);
    await expect(onTimer.consumeTraces(spans(3), ctx)).rejects.toThrow('broken consumer');
    const atSize = new BatchProcessor({ sendBatchSize: 2, sendBatchMaxSize: 0, timeoutMs: 60_000 }, throwing);
    await expect(atSize.consumeTraces(spans(3), ctx)).rejects.toThrow('broken consumer');
    await Promise.all([onTimer.shutdown(), atSize.shutdown()]);
  });

  it('splits at send_batch_max_size', async () => {
    const next = sink();
    const p = new BatchProcessor({ sendBatchSize: 5, sendBatchMaxSize: 5, timeoutMs: 1000 }, next);
    await p.consumeTraces(spans(12), ctx);
    expect(next.sent.map((s) => s.spans)).toEqual([5, 5, 2]);
  });

  it('keeps tenants apart, as the Collector does per metadata_keys value', async () => {
    const next = sink();
    const p = new BatchProcessor({ sendBatchSize: 100, sendBatchMaxSize: 0, timeoutMs: 10 }, next);
    await Promise.all([
      p.consumeTraces(spans(1), { tenant: 'a' }),
      p.consumeTraces(spans(2), { tenant: 'b' }),
    ]);
    expect(next.sent.sort((x, y) => x.tenant.localeCompare(y.tenant))).toEqual([
      { spans: 1, tenant: 'a' },
      { spans: 2, tenant: 'b' },
    ]);
  });

  it('hands a downstream refusal back to every caller in the batch', async () => {
    const p = new BatchProcessor(
      { sendBatchSize: 2, sendBatchMaxSize: 0, timeoutMs: 1000 },
      sink(new RetryableError('busy')),
    );
    const results = await Promise.allSettled([
      p.consumeTraces(spans(1), ctx),
      p.consumeTraces(spans(1), ctx),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('flushes what waits on shutdown', async () => {
    const next = sink();
    const p = new BatchProcessor({ sendBatchSize: 100, sendBatchMaxSize: 0, timeoutMs: 60_000 }, next);
    const pending = p.consumeTraces(spans(7), ctx);
    await p.shutdown();
    await pending;
    expect(next.sent).toEqual([{ spans: 7, tenant: 'single-tenant' }]);
  });

  it('splits keeping resources and scopes, each part with its own resource attributes', () => {
    const data = [...spans(3), ...spans(3)];
    const parts = splitTraces(data, 4);
    expect(parts.map((p) => countSpans(p))).toEqual([4, 2]);
    expect(parts[0].length).toBe(2);
    expect(parts[0][1].resource.attributes).not.toBe(parts[1][0].resource.attributes);
    expect(parts[0][1].resource.attributes).toEqual(parts[1][0].resource.attributes);
  });
});
