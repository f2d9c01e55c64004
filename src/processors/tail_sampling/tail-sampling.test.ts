import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { ConsumeContext, TraceRequestBytes } from '../../consumer/traces-consumer.js';
import { decodeTraceRequestBytes } from '../../otlp/protobuf/decode-trace-request-bytes.js';
import { silentLogger } from '../../logging/logger.js';
import type { Span, TracesData } from '../../model/span.js';
import { StatusCode } from '../../model/span.js';
import { emptyScope } from '../../model/factories.js';
import { attrs, batch, parseProcessorConfig, span, spansOf } from '../processor-test-support.js';
import { tailSamplingProcessorFactory } from './tail-sampling-config.js';
import { TailSamplingProcessor } from './tail-sampling-processor.js';

const MS = 1_000_000n;

function traceSpans(traceId: string, durationMs: number, error = false, extra: Partial<Span> = {}): Span[] {
  const start = 1_700_000_000_000n * MS;
  return [
    span({
      traceId,
      spanId: randomBytes(8).toString('hex'),
      name: 'root',
      startTimeUnixNano: start,
      endTimeUnixNano: start + BigInt(durationMs) * MS,
      ...extra,
    }),
    span({
      traceId,
      spanId: randomBytes(8).toString('hex'),
      name: 'child',
      startTimeUnixNano: start + MS,
      endTimeUnixNano: start + 2n * MS,
      status: { code: error ? StatusCode.ERROR : StatusCode.UNSET, message: '' },
    }),
  ];
}

/** A processor with a hand-driven clock and a capturing next consumer. */
function harness(yaml: string) {
  let now = 0;
  const received: TracesData[] = [];
  const next = {
    consumeTraces: (d: TracesData, _c: ConsumeContext) => (received.push(d), Promise.resolve()),
  };
  const config = parseProcessorConfig(tailSamplingProcessorFactory, yaml);
  const processor = new TailSamplingProcessor(config, next, silentLogger(), () => now);
  return {
    processor,
    advance: (ms: number) => {
      now += ms;
      processor.decideDue();
    },
    received,
    kept: () => new Set(received.flatMap((d) => spansOf(d).map((s) => s.traceId))),
    spans: () => received.flatMap(spansOf),
  };
}

const ctx = { tenant: 'single-tenant' };

describe('tail_sampling', () => {
  it('has the Collector defaults: decision_wait 30s, num_traces 50000', () => {
    expect(
      parseProcessorConfig(tailSamplingProcessorFactory, 'policies: [{ name: all, type: always_sample }]'),
    ).toMatchObject({
      decisionWaitMs: 30_000,
      numTraces: 50_000,
      expectedNewTracesPerSec: 0,
    });
  });

  it('keeps every slow or failed trace and samples the rest at the configured rate, over 10,000 traces', async () => {
    const h = harness(`
decision_wait: 10s
num_traces: 20000
policies:
  - { name: slow, type: latency, latency: { threshold_ms: 500 } }
  - { name: errors, type: status_code, status_code: { status_codes: [ERROR] } }
  - { name: some, type: probabilistic, probabilistic: { sampling_percentage: 10 } }
`);
    const slow = new Set<string>();
    const failed = new Set<string>();
    const normal: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const id = randomBytes(16).toString('hex');
      const kind = i % 10;
      if (kind === 0) slow.add(id);
      else if (kind === 1) failed.add(id);
      else normal.push(id);
      await h.processor.consumeTraces(batch(traceSpans(id, kind === 0 ? 750 : 20, kind === 1)), ctx);
    }
    h.advance(5000);
    expect(h.kept().size).toBe(0);
    h.advance(5001);
    const kept = h.kept();
    for (const id of slow) expect(kept.has(id)).toBe(true);
    for (const id of failed) expect(kept.has(id)).toBe(true);
    const keptNormal = normal.filter((id) => kept.has(id)).length / normal.length;
    expect(keptNormal).toBeGreaterThan(0.085);
    expect(keptNormal).toBeLessThan(0.115);
    // Whole traces: both spans of every kept trace.
    expect(h.spans().length).toBe(kept.size * 2);
    expect(h.processor.pendingTraces).toBe(0);
  });

  it('bounds memory at num_traces, dropping the oldest waiting traces', async () => {
    const h = harness('num_traces: 100\npolicies: [{ name: all, type: always_sample }]');
    const ids = Array.from({ length: 1000 }, () => randomBytes(16).toString('hex'));
    for (const id of ids) await h.processor.consumeTraces(batch(traceSpans(id, 1)), ctx);
    expect(h.processor.pendingTraces).toBe(100);
    expect(h.processor.stats.droppedTooEarly).toBe(900);
    h.advance(30_001);
    expect([...h.kept()].sort()).toEqual(ids.slice(900).sort());
  });

  it('sends late spans of a sampled trace on at once and drops those of a dropped trace', async () => {
    const h = harness(
      `policies: [{ name: errors, type: status_code, status_code: { status_codes: [ERROR] } }]`,
    );
    await h.processor.consumeTraces(batch(traceSpans('a'.repeat(32), 1, true)), ctx);
    await h.processor.consumeTraces(batch(traceSpans('b'.repeat(32), 1, false)), ctx);
    h.advance(30_001);
    await h.processor.consumeTraces(
      batch([
        span({ traceId: 'a'.repeat(32), name: 'late' }),
        span({ traceId: 'b'.repeat(32), name: 'late' }),
      ]),
      ctx,
    );
    expect(
      h
        .spans()
        .filter((s) => s.name === 'late')
        .map((s) => s.traceId),
    ).toEqual(['a'.repeat(32)]);
    expect(h.processor.pendingTraces).toBe(0);
  });

  it('hands late spans on under the resource and scope they came with, leaving out those of dropped traces', async () => {
    const h = harness(
      `policies: [{ name: errors, type: status_code, status_code: { status_codes: [ERROR] } }]`,
    );
    const [a, b] = ['a'.repeat(32), 'b'.repeat(32)];
    await h.processor.consumeTraces(batch(traceSpans(a, 1, true)), ctx);
    await h.processor.consumeTraces(batch(traceSpans(b, 1, false)), ctx);
    h.advance(30_001);
    const first = batch([span({ traceId: a, name: 'a1' }), span({ traceId: b, name: 'b1' })]);
    first[0].scopeSpans.push(
      { scope: { ...emptyScope(), name: 'only-dropped' }, spans: [span({ traceId: b })], schemaUrl: '' },
      { scope: { ...emptyScope(), name: 's2' }, spans: [span({ traceId: a, name: 'a2' })], schemaUrl: '' },
    );
    const onlyDropped = batch([span({ traceId: b, name: 'b2' })], { 'service.name': 'other' });
    const second = batch([span({ traceId: a, name: 'a3' })], { 'service.name': 'second' });
    const before = h.spans().length;
    await h.processor.consumeTraces([...first, ...onlyDropped, ...second], ctx);
    const late = h.received.at(-1)!;
    expect(h.spans().length - before).toBe(3);
    expect(
      late.map((rs) => ({
        resource: rs.resource,
        scopes: rs.scopeSpans.map((ss) => [ss.scope, ss.spans.map((x) => x.name)]),
      })),
    ).toEqual([
      {
        resource: first[0].resource,
        scopes: [
          [first[0].scopeSpans[0].scope, ['a1']],
          [first[0].scopeSpans[2].scope, ['a2']],
        ],
      },
      { resource: second[0].resource, scopes: [[second[0].scopeSpans[0].scope, ['a3']]] },
    ]);
    expect(late[0].resource).toBe(first[0].resource);
    expect(h.processor.stats.lateSpans).toBe(6);
  });

  it('waits each span with its own trace in a request of several traces, in runs and interleaved', async () => {
    const h = harness(
      `policies: [{ name: errors, type: status_code, status_code: { status_codes: [ERROR] } }]`,
    );
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((x) => x.repeat(32));
    const error = { status: { code: StatusCode.ERROR, message: '' } };
    // d waits from an earlier request; this one continues it after spans of other traces.
    await h.processor.consumeTraces(batch([span({ traceId: d, name: 'd1' })]), ctx);
    await h.processor.consumeTraces(
      batch([
        span({ traceId: a, name: 'a1' }),
        span({ traceId: a, name: 'a2' }),
        span({ traceId: b, name: 'b1', ...error }),
        span({ traceId: b, name: 'b2' }),
        span({ traceId: c, name: 'c1' }),
        span({ traceId: d, name: 'd2', ...error }),
        span({ traceId: c, name: 'c2' }),
        span({ traceId: a, name: 'a3' }),
        span({ traceId: d, name: 'd3' }),
      ]),
      ctx,
    );
    expect(h.processor.pendingTraces).toBe(4);
    h.advance(30_001);
    expect(
      h
        .spans()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['b1', 'b2', 'd1', 'd2', 'd3']);
  });

  it('hands sampled traces and late spans on encoded to a next consumer that takes bytes', async () => {
    let now = 0;
    const requests: TraceRequestBytes[] = [];
    const next = {
      consumeTraces: () => Promise.reject(new Error('a next consumer taking bytes gets bytes')),
      consumeTraceBytes: (request: TraceRequestBytes) => (requests.push(request), Promise.resolve()),
    };
    const config = parseProcessorConfig(
      tailSamplingProcessorFactory,
      `policies: [{ name: errors, type: status_code, status_code: { status_codes: [ERROR] } }]`,
    );
    const processor = new TailSamplingProcessor(config, next, silentLogger(), () => now);
    const kept = batch(traceSpans('a'.repeat(32), 1, true), { 'service.name': 'kept' });
    await processor.consumeTraces(structuredClone(kept), ctx);
    await processor.consumeTraces(batch(traceSpans('b'.repeat(32), 1, false)), ctx);
    now += 30_001;
    processor.decideDue();
    const late = batch([span({ traceId: 'a'.repeat(32), name: 'late' }), span({ traceId: 'b'.repeat(32) })]);
    await processor.consumeTraces(structuredClone(late), ctx);
    await processor.shutdown();
    expect(requests.map((r) => r.spans)).toEqual([2, 1]);
    expect(requests.map((r) => decodeTraceRequestBytes(r.parts))).toEqual([
      kept,
      [{ ...late[0], scopeSpans: [{ ...late[0].scopeSpans[0], spans: [late[0].scopeSpans[0].spans[0]] }] }],
    ]);
  });

  it('hands the traces kept in one decision on together, one request per tenant', async () => {
    let now = 0;
    const requests: { tenant: string; traceIds: string[] }[] = [];
    const next = {
      consumeTraces: () => Promise.reject(new Error('a next consumer taking bytes gets bytes')),
      consumeTraceBytes: (request: TraceRequestBytes, context: ConsumeContext) => {
        const spans = spansOf(decodeTraceRequestBytes(request.parts));
        requests.push({ tenant: context.tenant, traceIds: [...new Set(spans.map((s) => s.traceId))] });
        return Promise.resolve();
      },
    };
    const config = parseProcessorConfig(
      tailSamplingProcessorFactory,
      `policies: [{ name: all, type: always_sample }]`,
    );
    const processor = new TailSamplingProcessor(config, next, silentLogger(), () => now);
    for (const [id, tenant] of [
      ['1', 'a'],
      ['2', 'b'],
      ['3', 'a'],
    ])
      await processor.consumeTraces(batch(traceSpans(id.repeat(32), 1)), { tenant });
    now += 30_001;
    processor.decideDue();
    await processor.shutdown();
    expect(requests).toEqual([
      { tenant: 'a', traceIds: ['1'.repeat(32), '3'.repeat(32)] },
      { tenant: 'b', traceIds: ['2'.repeat(32)] },
    ]);
  });

  it('acknowledges late spans without waiting for the next consumer, logs a failure and drains them on shutdown', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
    let now = 0;
    const sends: { data: TracesData; settle: (error?: Error) => void }[] = [];
    const next = {
      consumeTraces: (data: TracesData, _c: ConsumeContext) =>
        new Promise<void>((resolve, reject) =>
          sends.push({ data, settle: (error) => (error ? reject(error) : resolve()) }),
        ),
    };
    const config = parseProcessorConfig(
      tailSamplingProcessorFactory,
      `policies: [{ name: all, type: always_sample }]`,
    );
    const processor = new TailSamplingProcessor(config, next, logger, () => now);
    await processor.consumeTraces(batch(traceSpans('a'.repeat(32), 1)), ctx);
    now += 30_001;
    processor.decideDue();
    expect(sends).toHaveLength(1);
    sends[0].settle();
    // Neither late batch waits on its send: the first is never settled until shutdown, the second fails.
    await processor.consumeTraces(batch([span({ traceId: 'a'.repeat(32), name: 'late' })]), ctx);
    await processor.consumeTraces(batch([span({ traceId: 'a'.repeat(32), name: 'later' })]), ctx);
    expect(sends.map((s) => spansOf(s.data).map((x) => x.name))).toEqual([
      ['root', 'child'],
      ['late'],
      ['later'],
    ]);
    sends[2].settle(new Error('sink down'));
    let drained = false;
    const shutdown = processor.shutdown().then(() => (drained = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    sends[1].settle();
    await shutdown;
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([
      'sending late spans of sampled traces failed; they are dropped',
    ]);
  });

  it('logs a next consumer that throws instead of rejecting, from the decision timer too, and drains', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
    let now = 0;
    const next = {
      consumeTraces(): Promise<void> {
        throw new Error('broken consumer');
      },
    };
    const config = parseProcessorConfig(
      tailSamplingProcessorFactory,
      `policies: [{ name: all, type: always_sample }]`,
    );
    const processor = new TailSamplingProcessor(config, next, logger, () => now);
    await processor.consumeTraces(batch(traceSpans('b'.repeat(32), 1)), ctx);
    now += 30_001;
    processor.decideDue();
    await processor.consumeTraces(batch([span({ traceId: 'b'.repeat(32), name: 'late' })]), ctx);
    await processor.shutdown();
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([
      'sending sampled traces failed; they are dropped',
      'sending late spans of sampled traces failed; they are dropped',
    ]);
  });

  it('makes requests wait once more spans than its cap are handed on and unsettled, so memory stays bounded', async () => {
    let now = 0;
    const settles: (() => void)[] = [];
    const next = {
      consumeTraces: () => new Promise<void>((resolve) => settles.push(resolve)),
    };
    const config = parseProcessorConfig(
      tailSamplingProcessorFactory,
      `policies: [{ name: all, type: always_sample }]`,
    );
    const processor = new TailSamplingProcessor(config, next, silentLogger(), () => now, 3);
    await processor.consumeTraces(batch(traceSpans('a'.repeat(32), 1)), ctx);
    now += 30_001;
    processor.decideDue();
    // 2 spans unsettled: under the cap of 3, so the next late span is acknowledged at once.
    await processor.consumeTraces(batch([span({ traceId: 'a'.repeat(32), name: 'late' })]), ctx);
    let acknowledged = false;
    const over = processor
      .consumeTraces(batch([span({ traceId: 'a'.repeat(32), name: 'later' })]), ctx)
      .then(() => (acknowledged = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(acknowledged).toBe(false);
    settles[0]();
    await over;
    expect(acknowledged).toBe(true);
    settles.slice(1).forEach((settle) => settle());
    await processor.shutdown();
  });

  /** [policies YAML, trace, kept?] */
  const POLICY_CASES: [string, string, Span[], boolean][] = [
    [
      'string_attribute exact',
      '{ name: p, type: string_attribute, string_attribute: { key: http.route, values: [/checkout] } }',
      traceSpans('1'.repeat(32), 1, false, { attributes: attrs({ 'http.route': '/checkout' }) }),
      true,
    ],
    [
      'string_attribute regex',
      '{ name: p, type: string_attribute, string_attribute: { key: http.route, values: ["^/check"], enabled_regex_matching: true } }',
      traceSpans('1'.repeat(32), 1, false, { attributes: attrs({ 'http.route': '/checkout' }) }),
      true,
    ],
    [
      'string_attribute miss',
      '{ name: p, type: string_attribute, string_attribute: { key: http.route, values: [/cart] } }',
      traceSpans('1'.repeat(32), 1, false, { attributes: attrs({ 'http.route': '/checkout' }) }),
      false,
    ],
    [
      'numeric_attribute in range',
      '{ name: p, type: numeric_attribute, numeric_attribute: { key: http.status_code, min_value: 500, max_value: 599 } }',
      traceSpans('1'.repeat(32), 1, false, { attributes: attrs({ 'http.status_code': 503 }) }),
      true,
    ],
    [
      'numeric_attribute out of range',
      '{ name: p, type: numeric_attribute, numeric_attribute: { key: http.status_code, min_value: 500, max_value: 599 } }',
      traceSpans('1'.repeat(32), 1, false, { attributes: attrs({ 'http.status_code': 200 }) }),
      false,
    ],
    [
      'latency with an upper bound',
      '{ name: p, type: latency, latency: { threshold_ms: 100, upper_threshold_ms: 200 } }',
      traceSpans('1'.repeat(32), 300),
      false,
    ],
    [
      'and: all sub-policies',
      '{ name: p, type: and, and: { and_sub_policy: [{ name: a, type: latency, latency: { threshold_ms: 100 } }, { name: b, type: status_code, status_code: { status_codes: [ERROR] } }] } }',
      traceSpans('1'.repeat(32), 300, true),
      true,
    ],
    [
      'and: one fails',
      '{ name: p, type: and, and: { and_sub_policy: [{ name: a, type: latency, latency: { threshold_ms: 100 } }, { name: b, type: status_code, status_code: { status_codes: [ERROR] } }] } }',
      traceSpans('1'.repeat(32), 300, false),
      false,
    ],
  ];
  for (const [what, policy, spans, kept] of POLICY_CASES) {
    it(`policy ${what}`, async () => {
      const h = harness(`policies: [${policy}]`);
      await h.processor.consumeTraces(batch(spans), ctx);
      h.advance(30_001);
      expect(h.kept().size).toBe(kept ? 1 : 0);
    });

    // Spans wait encoded, with only the attributes policies read, when the next consumer takes bytes.
    it(`policy ${what}, spans waiting encoded`, async () => {
      const requests: TraceRequestBytes[] = [];
      const next = {
        consumeTraces: () => Promise.reject(new Error('a next consumer taking bytes gets bytes')),
        consumeTraceBytes: (request: TraceRequestBytes) => (requests.push(request), Promise.resolve()),
      };
      const config = parseProcessorConfig(tailSamplingProcessorFactory, `policies: [${policy}]`);
      let now = 0;
      const processor = new TailSamplingProcessor(config, next, silentLogger(), () => now);
      const sent = batch(
        spans.map((s) => ({ ...s, attributes: [...s.attributes, ...attrs({ other: 'kept too' })] })),
      );
      await processor.consumeTraces(structuredClone(sent), ctx);
      now += 30_001;
      processor.decideDue();
      await processor.shutdown();
      expect(requests.map((r) => decodeTraceRequestBytes(r.parts))).toEqual(kept ? [sent] : []);
    });
  }

  it('invert_match vetoes other policies', async () => {
    const h = harness(`policies:
  - { name: all, type: always_sample }
  - { name: no-health, type: string_attribute, string_attribute: { key: http.route, values: [/health], invert_match: true } }`);
    await h.processor.consumeTraces(
      batch(traceSpans('1'.repeat(32), 1, false, { attributes: attrs({ 'http.route': '/health' }) })),
      ctx,
    );
    await h.processor.consumeTraces(
      batch(traceSpans('2'.repeat(32), 1, false, { attributes: attrs({ 'http.route': '/cart' }) })),
      ctx,
    );
    h.advance(30_001);
    expect([...h.kept()]).toEqual(['2'.repeat(32)]);
  });

  it('rate_limiting keeps at most spans_per_second spans per second', async () => {
    const h = harness(
      'policies: [{ name: r, type: rate_limiting, rate_limiting: { spans_per_second: 10 } }]',
    );
    for (let i = 0; i < 20; i++)
      await h.processor.consumeTraces(batch(traceSpans(randomBytes(16).toString('hex'), 1)), ctx);
    h.advance(30_001);
    expect(h.spans().length).toBe(10);
  });

  it('composite spends each sub-policy’s share of the total', async () => {
    const h = harness(`policies:
  - name: c
    type: composite
    composite:
      max_total_spans_per_second: 10
      policy_order: [errors, rest]
      composite_sub_policy:
        - { name: errors, type: status_code, status_code: { status_codes: [ERROR] } }
        - { name: rest, type: always_sample }
      rate_allocation:
        - { policy: errors, percent: 60 }
        - { policy: rest, percent: 40 }`);
    for (let i = 0; i < 10; i++)
      await h.processor.consumeTraces(batch(traceSpans(randomBytes(16).toString('hex'), 1, true)), ctx);
    for (let i = 0; i < 10; i++)
      await h.processor.consumeTraces(batch(traceSpans(randomBytes(16).toString('hex'), 1, false)), ctx);
    h.advance(30_001);
    const spans = h.spans();
    expect(spans.filter((s) => s.status.code === StatusCode.ERROR).length).toBe(3); // 6 spans = 3 traces of 2
    expect(spans.length).toBe(10);
  });
});
