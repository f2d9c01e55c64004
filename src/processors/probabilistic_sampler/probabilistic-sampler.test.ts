import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  attrs,
  batch,
  parseProcessorConfig,
  runProcessor,
  span,
  spansOf,
} from '../processor-test-support.js';
import { probabilisticSamplerFactory, shouldSampleTrace } from './probabilistic-sampler-config.js';
import { traceIdHash } from './trace-id-hash.js';

describe('probabilistic_sampler', () => {
  it('hashes with FNV-1a 32 (published test vectors)', () => {
    expect(traceIdHash('', 0)).toBe(0x811c9dc5);
    expect(traceIdHash('61', 0)).toBe(0xe40c292c); // "a"
    expect(traceIdHash('666f6f626172', 0)).toBe(0xbf9cf968); // "foobar"
  });

  it('has the Collector defaults: 0%, seed 0', () => {
    expect(parseProcessorConfig(probabilisticSamplerFactory, '{}')).toEqual({
      samplingPercentage: 0,
      hashSeed: 0,
    });
  });

  it.each([0, 1, 15.3, 50, 100])('keeps %s%% of 10,000 random traces (±1.5 points)', (percentage) => {
    let kept = 0;
    for (let i = 0; i < 10_000; i++)
      if (
        shouldSampleTrace(randomBytes(16).toString('hex'), { samplingPercentage: percentage, hashSeed: 22 })
      )
        kept++;
    expect(Math.abs(kept / 100 - percentage)).toBeLessThanOrEqual(1.5);
  });

  it('decides by trace id alone, so every collector with the same seed keeps the same traces', () => {
    const ids = Array.from({ length: 1000 }, () => randomBytes(16).toString('hex'));
    const a = ids.filter((id) => shouldSampleTrace(id, { samplingPercentage: 30, hashSeed: 7 }));
    const b = ids.filter((id) => shouldSampleTrace(id, { samplingPercentage: 30, hashSeed: 7 }));
    const other = ids.filter((id) => shouldSampleTrace(id, { samplingPercentage: 30, hashSeed: 8 }));
    expect(a).toEqual(b);
    expect(other).not.toEqual(a);
  });

  it('keeps or drops whole traces, and honours sampling.priority', async () => {
    const spans = [];
    for (let t = 0; t < 200; t++) {
      const traceId = randomBytes(16).toString('hex');
      for (let s = 0; s < 3; s++) spans.push(span({ traceId, spanId: randomBytes(8).toString('hex') }));
    }
    spans.push(span({ name: 'forced', attributes: attrs({ 'sampling.priority': 1 }) }));
    const out = spansOf(
      await runProcessor(probabilisticSamplerFactory, 'sampling_percentage: 50', batch(spans)),
    );
    const perTrace = new Map<string, number>();
    for (const s of out) perTrace.set(s.traceId, (perTrace.get(s.traceId) ?? 0) + 1);
    for (const [traceId, n] of perTrace) if (traceId !== 'ab'.repeat(16)) expect(n).toBe(3);
    expect(out.some((s) => s.name === 'forced')).toBe(true);
  });

  it('refuses modes it does not implement', () => {
    expect(() => parseProcessorConfig(probabilisticSamplerFactory, 'mode: proportional')).toThrow(
      'processors.probabilistic_sampler.mode: "proportional" is not one of hash_seed',
    );
  });
});
