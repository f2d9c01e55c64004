import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeRealisticBatch } from '../../../bench/realistic-batch.js';
import { everyKindBatch } from '../../../test/support/every-kind-batch.js';
import { compileProcessorWorker } from '../../../test/support/processor-worker-build.js';
import { pino } from 'pino';
import type { Logger } from '../../logging/logger.js';
import { silentLogger } from '../../logging/logger.js';
import type { TracesData } from '../../model/span.js';
import { processorWorkerRequests, processorWorkerRestarts } from '../../observability/self-metrics.js';
import { encodeExportTraceServiceRequest } from '../../otlp/protobuf/encode-traces.js';
import { TailSamplingProcessor } from '../../processors/tail_sampling/tail-sampling-processor.js';
import { InflightLimiter } from '../../receivers/shared/inflight-limiter.js';
import { buildService } from '../build-service.js';
import { builtinComponents } from '../builtin-components.js';
import { parseConfigText } from '../load-config.js';
import { captureBackend, receiverAddress } from '../run-config.test-support.js';
import type { Service } from '../service.js';
import { ProcessorWorkerPool } from './processor-worker-pool.js';
import { WorkerSegment } from './worker-segment.js';

/*
 * Stateless processors on worker threads, end to end: the real OTLP/HTTP receiver, the pipeline
 * as buildService wires it with `processorWorkers`, and the real `otlp` exporter sending to a
 * second Tracehouse receiver (a "backend"), whose decoded batches are compared.
 */
let worker: Awaited<ReturnType<typeof compileProcessorWorker>>;
beforeAll(async () => {
  worker = await compileProcessorWorker();
}, 60_000);
afterAll(() => worker.remove());

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const backend = () => captureBackend((stop) => cleanups.push(stop));

/** `processors:` and the pipeline's list, sending to `sink`; no batch, so each request goes on alone, in order. */
function config(processors: string, names: string[], sink: string): string {
  return `
receivers:
  otlp: { protocols: { http: { endpoint: 127.0.0.1:0 } } }
processors:
${processors}
exporters:
  otlp: { endpoint: ${sink}, tls: { insecure: true }, compression: none, sending_queue: { enabled: false } }
service:
  pipelines:
    traces: { receivers: [otlp], processors: [${names.join(', ')}], exporters: [otlp] }
`;
}

async function collector(
  text: string,
  workers: number,
  logger: Logger = silentLogger(),
): Promise<{ service: Service; url: string }> {
  const service = await buildService(parseConfigText(text, {}, builtinComponents()), logger, {
    limiter: new InflightLimiter(64 << 20),
    processorWorkers: { count: workers, entry: worker.entry },
  });
  await service.start();
  cleanups.push(() => service.shutdown());
  return { service, url: `http://${receiverAddress(service, 'otlp-http')}/v1/traces` };
}

function segmentOf(service: Service): WorkerSegment {
  const segment = service.processors.find((p): p is WorkerSegment => p instanceof WorkerSegment);
  if (!segment) throw new Error('no processor runs on workers');
  return segment;
}

function post(url: string, data: TracesData, tenant?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-protobuf',
      ...(tenant === undefined ? {} : { 'x-scope-orgid': tenant }),
    },
    body: encodeExportTraceServiceRequest(data),
  });
}

const EVERY_STATELESS_PROCESSOR = `
  attributes:
    actions:
      - { key: deployment.environment, value: production, action: insert }
      - { key: url.path, action: hash }
      - { key: user_agent.original, action: delete }
      - { key: method.copy, from_attribute: http.request.method, action: upsert }
  redaction:
    allow_all_keys: true
    blocked_values: ['\\b\\d{4}[- ]?\\d{4}[- ]?\\d{4}[- ]?\\d{4}\\b', '☃']
    summary: debug
  filter:
    traces:
      span: ['name == "SELECT reservations"']
      spanevent: ['name == "retry"']
  resource: { attributes: [{ key: region, value: eu-west-1, action: upsert }] }
  span: { name: { to_attributes: { rules: ['^GET /(?P<first_segment>[a-z]+)'] } } }
  transform:
    trace_statements:
      - { context: span, statements: ['set(attributes["note"], "größe ✓")'] }
      - { context: scope, statements: ['set(version, "patched")', 'set(attributes["scope.seen"], true)'] }
      - { context: spanevent, statements: ['set(attributes["event.note"], "é")', 'set(name, "renamed") where name == "cache.miss"'] }
  probabilistic_sampler: { sampling_percentage: 60 }`;
const ALL = ['attributes', 'redaction', 'filter', 'resource', 'span', 'transform', 'probabilistic_sampler'];

/** Requests of every attribute kind, non-ASCII text, events, links, several resources and scopes. */
function requests(): TracesData[] {
  const card = makeRealisticBatch(40, 7);
  card[0].scopeSpans[0].spans[0].attributes.push({ key: 'card', value: 'paid with 4111 1111 1111 1111' });
  return [
    everyKindBatch('0af7651916cd43dd8448eb211c80319c'),
    makeRealisticBatch(200, 1),
    [...makeRealisticBatch(60, 2), ...everyKindBatch('4bf92f3577b34da6a3ce929d0e0e4736')],
    card,
    // Only spans the filter drops: nothing goes on, the request is still accepted.
    makeRealisticBatch(30, 3).map((rs) => ({
      ...rs,
      scopeSpans: rs.scopeSpans.map((ss) => ({
        ...ss,
        spans: ss.spans.map((s) => ({ ...s, name: 'SELECT reservations' })),
      })),
    })),
  ];
}

describe('stateless processors on worker threads', () => {
  it('turn requests into the same exported spans as on the main thread (differential, 0 vs 2 workers)', async () => {
    const outputs: TracesData[] = [];
    for (const workers of [0, 2]) {
      const sink = await backend();
      const { service, url } = await collector(config(EVERY_STATELESS_PROCESSOR, ALL, sink.address), workers);
      const processedBefore = processorWorkerRequests.get({ outcome: 'processed' });
      for (const request of requests()) expect((await post(url, request)).status).toBe(200);
      // Without a sending queue the export is done when the receiver answers.
      outputs.push(sink.capture.allData());
      const processed = processorWorkerRequests.get({ outcome: 'processed' }) - processedBefore;
      if (workers === 0) {
        expect(service.processors.some((p) => p instanceof WorkerSegment)).toBe(false);
        expect(processed).toBe(0);
      } else {
        expect(segmentOf(service).pool.threads).toHaveLength(2);
        expect(processed).toBe(requests().length);
      }
    }
    const [mainThread, workerThreads] = outputs;
    const spans = mainThread.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    // The processors did their work, so equal outputs say something.
    expect(spans.length).toBeGreaterThan(50);
    expect(spans.length).toBeLessThan(200);
    for (const span of spans) {
      expect(span.name).not.toBe('SELECT reservations');
      expect(span.attributes).toContainEqual({ key: 'deployment.environment', value: 'production' });
      expect(span.attributes).toContainEqual({ key: 'note', value: 'größe ✓' });
      expect(span.events.some((e) => e.name === 'retry')).toBe(false);
    }
    for (const ss of mainThread.flatMap((rs) => rs.scopeSpans)) {
      expect(ss.scope.version).toBe('patched');
      expect(ss.scope.attributes).toContainEqual({ key: 'scope.seen', value: true });
    }
    const events = spans.flatMap((span) => span.events);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(event.attributes).toContainEqual({ key: 'event.note', value: 'é' });
    expect(events.some((e) => e.name === 'renamed')).toBe(true);
    expect(events.some((e) => e.name === 'cache.miss')).toBe(false);
    expect(JSON.stringify(spans, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).not.toMatch(
      /4111|☃/,
    );
    expect(workerThreads).toEqual(mainThread);
  });

  it("keep each request's tenant across the threads, and hand tail_sampling their output to hold as views", async () => {
    const processors = `
  attributes: { actions: [{ key: deployment.environment, value: production, action: insert }] }
  tail_sampling: { decision_wait: 50ms, policies: [{ name: all, type: always_sample }] }
  batch: { send_batch_size: 100000, timeout: 20ms }`;
    const arrived: string[][] = [];
    for (const workers of [0, 1]) {
      const sink = await backend();
      const names = ['attributes', 'tail_sampling', 'batch'];
      const { service, url } = await collector(config(processors, names, sink.address), workers);
      expect((await post(url, makeRealisticBatch(64, 1), 'tenant-a')).status).toBe(200);
      expect((await post(url, makeRealisticBatch(64, 2), 'tenant-b')).status).toBe(200);
      await sink.capture.waitForSpans(128);
      const tail = service.processors.find((p) => p instanceof TailSamplingProcessor);
      expect(tail?.stats.viewedSpans).toBe(workers === 0 ? 0 : 128);
      // Each span with the tenant it arrived under and its attributes, in a fixed order.
      arrived.push(
        sink.capture.batches
          .flatMap(({ data, context }) =>
            data.flatMap((rs) =>
              rs.scopeSpans.flatMap((ss) =>
                ss.spans.map(
                  (span) =>
                    `${context.tenant} ${span.spanId} ${JSON.stringify(span.attributes, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`,
                ),
              ),
            ),
          )
          .sort(),
      );
    }
    expect(arrived[0].filter((line) => line.startsWith('tenant-b '))).toHaveLength(64);
    expect(arrived[1]).toEqual(arrived[0]);
  });

  it("answer a processor's refusal with the receiver's status and the processor's message", async () => {
    const sink = await backend();
    const processors = `
  transform:
    error_mode: propagate
    trace_statements: [{ context: span, statements: ['truncate_all(attributes["db.system"], 1)'] }]`;
    const { url } = await collector(config(processors, ['transform'], sink.address), 1);
    const answer = await post(url, makeRealisticBatch(20, 4));
    expect(answer.status).toBe(400);
    expect(await answer.text()).toMatch(
      /transform in traces: statement .*truncate_all.* failed: .*is not a map/,
    );
    expect(sink.capture.spanCount()).toBe(0);
  });

  it("log a processor's warnings through the main thread's logger, as that processor", async () => {
    const sink = await backend();
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const processors = `
  attributes: { actions: [{ key: deployment.environment, value: production, action: insert }] }
  transform:
    error_mode: ignore
    trace_statements: [{ context: span, statements: ['truncate_all(attributes["db.system"], 1)'] }]`;
    const { url } = await collector(config(processors, ['attributes', 'transform'], sink.address), 1, logger);
    expect((await post(url, makeRealisticBatch(1, 4))).status).toBe(200);
    // One `component` a line, the processor's, as on the main thread (JSON.parse would hide a second).
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.match(/"component":/g)).toHaveLength(1);
    const warnings = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(warnings).toContainEqual(
      expect.objectContaining({
        level: 40,
        component: 'transform in traces',
        msg: 'transform statement failed; ignored',
        error: expect.stringMatching(/is not a map/) as unknown,
      }),
    );
  });

  /** A redaction pattern that backtracks for about a second on a long run of `a`: requests stay on a worker. */
  const SLOW = `
  redaction:
    allow_all_keys: true
    blocked_values: ['(a+)+$']`;
  const slowRequest = (aCount: number): TracesData => {
    const data = makeRealisticBatch(4, 5);
    data[0].scopeSpans[0].spans[0].attributes.push({ key: 'slow', value: `${'a'.repeat(aCount)}!` });
    return data;
  };

  it('answer requests held by a worker that stops, and by the one that runs them again, as retryable (503), and take later ones on a replacement', async () => {
    const sink = await backend();
    const { service, url } = await collector(config(SLOW, ['redaction'], sink.address), 1);
    const { pool } = segmentOf(service);
    const restarts = processorWorkerRestarts.get({ reason: 'stopped' });
    const lost = processorWorkerRequests.get({ outcome: 'lost' });
    const answers = [post(url, slowRequest(30)), post(url, slowRequest(30))];
    while (pool.pendingRequests < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const [first] = pool.threads;
    await first.terminate();
    // Run once more on the replacement, which stops too (as one would that a request kills).
    while (pool.threads[0] === first || pool.readyThreads < 1 || pool.pendingRequests < 2)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const [second] = pool.threads;
    await second.terminate();
    const statuses = await Promise.all(answers.map(async (a) => [(await a).status, await (await a).text()]));
    for (const [status, text] of statuses) {
      expect(status).toBe(503);
      expect(text).toMatch(/processor worker stopped/);
    }
    expect(processorWorkerRequests.get({ outcome: 'lost' }) - lost).toBe(4);
    expect(processorWorkerRestarts.get({ reason: 'stopped' })).toBe(restarts + 2);
    // The replacement (the second stopped soon after it started, so it comes after a delay) takes
    // the next request; nothing that was answered 503 reached the backend.
    while (pool.readyThreads < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(sink.capture.spanCount()).toBe(0);
    expect((await post(url, makeRealisticBatch(10, 6))).status).toBe(200);
    expect(sink.capture.spanCount()).toBe(10);
    expect(pool.threads).toHaveLength(1);
    expect([first, second]).not.toContain(pool.threads[0]);
  });

  it('process once more what a stopped worker held, so traces tail_sampling acknowledged are not dropped', async () => {
    const sink = await backend();
    const processors = `${SLOW}
  tail_sampling: { decision_wait: 50ms, policies: [{ name: all, type: always_sample }] }`;
    const { service, url } = await collector(
      config(processors, ['tail_sampling', 'redaction'], sink.address),
      1,
    );
    const { pool } = segmentOf(service);
    // tail_sampling acknowledges when it holds the spans: no sender is left to retry them.
    expect((await post(url, slowRequest(22))).status).toBe(200);
    while (pool.pendingRequests < 1) await new Promise((resolve) => setTimeout(resolve, 5));
    await pool.threads[0].terminate();
    await sink.capture.waitForSpans(4);
    expect(sink.capture.spanCount()).toBe(4);
  });

  it('drain requests held by the workers on shutdown, then end the workers', async () => {
    const sink = await backend();
    const { service, url } = await collector(config(SLOW, ['redaction'], sink.address), 2);
    const segment = segmentOf(service);
    const { pool } = segment;
    const answers = [post(url, slowRequest(24)), post(url, slowRequest(24)), post(url, slowRequest(24))];
    while (pool.pendingRequests < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    // The segment itself, while the receiver still waits on it: what it holds must still be delivered.
    await segment.shutdown();
    await service.shutdown();
    expect((await Promise.all(answers)).map((a) => a.status)).toEqual([200, 200, 200]);
    expect(sink.capture.spanCount()).toBe(12);
    expect(pool.running).toBe(false);
    expect(pool.threads).toHaveLength(0);
  });

  it('fail start-up when a worker cannot build its processors', async () => {
    const text = config(EVERY_STATELESS_PROCESSOR, ALL, '127.0.0.1:1');
    const service = await buildService(parseConfigText(text, {}, builtinComponents()), silentLogger(), {
      limiter: new InflightLimiter(64 << 20),
      processorWorkers: { count: 1, entry: new URL('./missing-worker.js', worker.entry) },
    });
    await expect(service.start()).rejects.toThrow(/processor worker failed to start/);
  });

  it('fail start-up when a worker never reports ready, instead of waiting for ever', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tracehouse-stuck-worker-'));
    try {
      const entry = join(dir, 'stuck-worker.mjs');
      await writeFile(entry, 'setInterval(() => {}, 1000);\n'); // alive, never 'ready'
      const pool = new ProcessorWorkerPool({
        count: 1,
        setup: { processors: [], logLevel: 'silent' },
        logger: silentLogger(),
        processorLoggers: new Map(),
        entry: pathToFileURL(entry),
        readyTimeoutMs: 300,
      });
      await expect(pool.start()).rejects.toThrow(/failed to start: not ready after 300 ms/);
      expect(pool.threads).toHaveLength(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
