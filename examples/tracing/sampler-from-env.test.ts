import type { Context, Link, SpanContext } from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace-node';
import { describe, expect, it } from 'vitest';
import { ratioFromEnv, samplerFromEnv } from './sampler-from-env.js';

/*
 * The sampler chosen from OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG, judged by what it decides
 * (not by its class name): for root spans across many trace ids, and under a sampled and an
 * unsampled remote parent.
 */
const links: Link[] = [];

function traceId(i: number): string {
  // Spread over the whole id space: the ratio sampler reads the id's low bytes.
  return (BigInt(i) * 0x9e3779b97f4a7c15n).toString(16).padStart(32, '0').slice(-32);
}

function sampledShare(env: NodeJS.ProcessEnv, context: Context = ROOT_CONTEXT, n = 2000): number {
  const sampler = samplerFromEnv(env);
  let sampled = 0;
  for (let i = 1; i <= n; i++) {
    const { decision } = sampler.shouldSample(context, traceId(i), 'span', SpanKind.SERVER, {}, links);
    if (decision === SamplingDecision.RECORD_AND_SAMPLED) sampled++;
  }
  return sampled / n;
}

function remoteParent(sampled: boolean): Context {
  const parent: SpanContext = {
    traceId: traceId(7),
    spanId: '00f067aa0ba902b7',
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  };
  return trace.setSpanContext(ROOT_CONTEXT, parent);
}

describe('samplerFromEnv', () => {
  it('defaults to parentbased_always_on: roots sampled, a parent decision followed', () => {
    expect(sampledShare({})).toBe(1);
    expect(sampledShare({}, remoteParent(false))).toBe(0);
    expect(sampledShare({}, remoteParent(true))).toBe(1);
  });

  it('always_on and always_off ignore the parent', () => {
    expect(sampledShare({ OTEL_TRACES_SAMPLER: 'always_on' }, remoteParent(false))).toBe(1);
    expect(sampledShare({ OTEL_TRACES_SAMPLER: 'always_off' }, remoteParent(true))).toBe(0);
  });

  it('traceidratio samples about the given share of trace ids, whatever the parent', () => {
    const share = sampledShare({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' });
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.3);
    const underUnsampled = sampledShare(
      { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' },
      remoteParent(false),
    );
    expect(underUnsampled).toBeGreaterThan(0);
  });

  it('parentbased_traceidratio uses the ratio for roots only', () => {
    const env = { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.5' };
    const share = sampledShare(env);
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.55);
    expect(sampledShare(env, remoteParent(true))).toBe(1);
    expect(sampledShare(env, remoteParent(false))).toBe(0);
  });

  it('parentbased_always_off drops roots and follows parents', () => {
    const env = { OTEL_TRACES_SAMPLER: 'parentbased_always_off' };
    expect(sampledShare(env)).toBe(0);
    expect(sampledShare(env, remoteParent(true))).toBe(1);
  });

  it('reads names case-insensitively and falls back to the default on an unknown one', () => {
    expect(sampledShare({ OTEL_TRACES_SAMPLER: ' ALWAYS_OFF ' })).toBe(0);
    expect(sampledShare({ OTEL_TRACES_SAMPLER: 'sometimes' })).toBe(1);
    expect(sampledShare({ OTEL_TRACES_SAMPLER: 'sometimes' }, remoteParent(false))).toBe(0);
  });

  it('takes the ratio from OTEL_TRACES_SAMPLER_ARG, 1.0 when missing or out of range', () => {
    expect(ratioFromEnv({ OTEL_TRACES_SAMPLER_ARG: '0.1' })).toBe(0.1);
    expect(ratioFromEnv({ OTEL_TRACES_SAMPLER_ARG: '0' })).toBe(0);
    for (const bad of [undefined, '', 'half', '-0.5', '1.5'])
      expect(ratioFromEnv({ OTEL_TRACES_SAMPLER_ARG: bad })).toBe(1);
    expect(sampledShare({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' })).toBe(0);
  });
});
