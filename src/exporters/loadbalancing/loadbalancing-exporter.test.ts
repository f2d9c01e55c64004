import { mkdtempSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logging/logger.js';
import { emptySpan } from '../../model/factories.js';
import type { Span, TracesData } from '../../model/span.js';
import { ConfigNode } from '../../pipeline/config-node.js';
import { OtlpGrpcReceiver } from '../../receivers/otlp/otlp-grpc-receiver.js';
import { InflightLimiter } from '../../receivers/shared/inflight-limiter.js';
import { CaptureExporter } from '../../../test/support/capture-exporter.js';
import type { TracesExporter } from '../traces-exporter.js';
import { HashRing } from './hash-ring.js';
import { loadBalancingExporterFactory } from './loadbalancing-exporter-factory.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const CTX = { tenant: 'single-tenant' };
const TRACES = 1000;
const SPANS_PER_TRACE = 4;
const SERVICES = ['cart', 'checkout', 'payment', 'shipping', 'users'];

interface Backend {
  capture: CaptureExporter;
  port: number;
  receiver: OtlpGrpcReceiver;
}

async function startBackend(capture = new CaptureExporter(), port = 0): Promise<Backend> {
  const receiver = new OtlpGrpcReceiver(
    { endpoint: { host: '127.0.0.1', port }, maxRecvMsgSizeBytes: 4 << 20 },
    { logger: silentLogger(), next: capture, limiter: new InflightLimiter(64 << 20) },
  );
  await receiver.start();
  cleanups.push(() => receiver.shutdown());
  return { capture, port: Number(receiver.address().split(':').pop()), receiver };
}

async function exporterFor(
  ports: number[],
  extra = '',
  queue = '{ num_consumers: 2, queue_size: 1000 }',
): Promise<TracesExporter> {
  const yaml = `
resolver: { static: { hostnames: [${ports.map((p) => `"127.0.0.1:${p}"`).join(', ')}] } }
protocol:
  otlp:
    tls: { insecure: true }
    timeout: 2s
    retry_on_failure: { initial_interval: 20ms, max_interval: 100ms, max_elapsed_time: 0 }
    sending_queue: ${queue}
${extra}`;
  const node = new ConfigNode(parseYaml(yaml), 'exporters.loadbalancing');
  const config = loadBalancingExporterFactory.parseConfig(node);
  node.checkUnknownKeys();
  const exporter = await loadBalancingExporterFactory.createTraces(
    { id: 'loadbalancing', logger: silentLogger(), host: { limiter: new InflightLimiter(1) } },
    config,
  );
  await exporter.start();
  cleanups.push(() => exporter.shutdown());
  return exporter;
}

/**
 * TRACES traces of SPANS_PER_TRACE spans, each trace's service fixed, shuffled (deterministically)
 * and cut into batches of 100 spans grouped by service: a trace's spans arrive in several batches.
 */
function splitTraceBatches(): TracesData[] {
  const spans: { service: string; span: Span }[] = [];
  for (let t = 0; t < TRACES; t++) {
    const traceId = ((t + 1) * 7919).toString(16).padStart(32, 'a');
    for (let s = 0; s < SPANS_PER_TRACE; s++)
      spans.push({
        service: SERVICES[t % SERVICES.length],
        span: {
          ...emptySpan(),
          traceId,
          spanId: (t * 16 + s + 1).toString(16).padStart(16, '0'),
          name: `t${t}`,
        },
      });
  }
  let seed = 42;
  for (let i = spans.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [spans[i], spans[j]] = [spans[j], spans[i]];
  }
  const batches: TracesData[] = [];
  for (let at = 0; at < spans.length; at += 100) {
    const chunk = spans.slice(at, at + 100);
    batches.push(
      SERVICES.map((service) => ({
        resource: { attributes: [{ key: 'service.name', value: service }], droppedAttributesCount: 0 },
        scopeSpans: [
          {
            scope: { name: 'lb-test', version: '', attributes: [], droppedAttributesCount: 0 },
            spans: chunk.filter((c) => c.service === service).map((c) => c.span),
            schemaUrl: '',
          },
        ],
        schemaUrl: '',
      })).filter((rs) => rs.scopeSpans[0].spans.length > 0),
    );
  }
  return batches;
}

/** For each key (trace id or service), the backends that got spans of it, and how many spans in all. */
function placement(backends: Backend[], keyOf: (service: string, span: Span) => string) {
  const where = new Map<string, Set<number>>();
  const spans = new Map<string, number>();
  backends.forEach((backend, b) => {
    for (const rs of backend.capture.allData()) {
      const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value as string;
      for (const ss of rs.scopeSpans)
        for (const span of ss.spans) {
          const key = keyOf(service, span);
          where.set(key, (where.get(key) ?? new Set()).add(b));
          spans.set(key, (spans.get(key) ?? 0) + 1);
        }
    }
  });
  return { where, spans };
}

const totalSpans = (backends: Backend[]): number => backends.reduce((n, b) => n + b.capture.spanCount(), 0);

async function waitForTotal(backends: Backend[], spans: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (totalSpans(backends) < spans) {
    if (Date.now() > deadline) throw new Error(`timed out: ${totalSpans(backends)} of ${spans} spans`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('loadbalancing exporter', () => {
  it('lands every trace whole on exactly one of 3 backends, roughly balanced', async () => {
    const backends = await Promise.all([startBackend(), startBackend(), startBackend()]);
    const exporter = await exporterFor(backends.map((b) => b.port));
    for (const batch of splitTraceBatches()) await exporter.consumeTraces(batch, CTX);
    await waitForTotal(backends, TRACES * SPANS_PER_TRACE);

    const { where, spans } = placement(backends, (_service, span) => span.traceId);
    expect(where.size).toBe(TRACES);
    expect([...where.values()].every((set) => set.size === 1)).toBe(true);
    expect([...spans.values()].every((n) => n === SPANS_PER_TRACE)).toBe(true);
    const perBackend = backends.map((b) => b.capture.spanCount() / SPANS_PER_TRACE);
    for (const traces of perBackend) expect(traces).toBeGreaterThan(TRACES * 0.2);
    expect(perBackend.reduce((a, b) => a + b)).toBe(TRACES);
  });

  it('with routing_key: service sends each service to one backend', async () => {
    const backends = await Promise.all([startBackend(), startBackend(), startBackend()]);
    const exporter = await exporterFor(
      backends.map((b) => b.port),
      'routing_key: service',
    );
    for (const batch of splitTraceBatches()) await exporter.consumeTraces(batch, CTX);
    await waitForTotal(backends, TRACES * SPANS_PER_TRACE);
    const { where } = placement(backends, (service) => service);
    expect([...where.keys()].sort()).toEqual(SERVICES);
    expect([...where.values()].every((set) => set.size === 1)).toBe(true);
  });

  it('queues a down backend’s share and delivers it when the backend is back, the others unaffected', async () => {
    const backends = await Promise.all([startBackend(), startBackend(), startBackend()]);
    const exporter = await exporterFor(backends.map((b) => b.port));
    const down = backends[1];
    await down.receiver.shutdown();
    for (const batch of splitTraceBatches()) await exporter.consumeTraces(batch, CTX);

    // The ring says which spans are the down backend's; the other two get all the rest meanwhile.
    const ring = new HashRing(backends.map((b) => `127.0.0.1:${b.port}`).sort());
    const downShare = splitTraceBatches()
      .flatMap((batch) => batch.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)))
      .filter((span) => ring.backendForTraceId(span.traceId) === `127.0.0.1:${down.port}`).length;
    expect(downShare).toBeGreaterThan(0);
    await waitForTotal([backends[0], backends[2]], TRACES * SPANS_PER_TRACE - downShare);
    expect(down.capture.spanCount()).toBe(0);

    const back = await startBackend(down.capture, down.port);
    const all = [backends[0], back, backends[2]];
    await waitForTotal(all, TRACES * SPANS_PER_TRACE, 30_000);
    const { where: after, spans } = placement(all, (_service, span) => span.traceId);
    expect(after.size).toBe(TRACES);
    expect([...after.values()].every((set) => set.size === 1)).toBe(true);
    expect([...spans.values()].every((n) => n === SPANS_PER_TRACE)).toBe(true);
  });

  it('gives each backend its own folder for a persistent queue', async () => {
    const storage = mkdtempSync(join(tmpdir(), 'tracehouse-lb-queue-'));
    cleanups.push(() => rm(storage, { recursive: true, force: true }));
    await exporterFor([1, 2], '', `{ storage: ${storage} }`);
    expect(readdirSync(storage).sort()).toEqual(['127.0.0.1_1', '127.0.0.1_2']);
  });

  it('refuses an endpoint under protocol.otlp, unknown otlp keys, and other resolvers', () => {
    const parse = (yaml: string) => {
      const node = new ConfigNode(parseYaml(yaml), 'exporters.loadbalancing');
      loadBalancingExporterFactory.parseConfig(node);
      node.checkUnknownKeys();
    };
    expect(() =>
      parse('{ protocol: { otlp: { endpoint: "x:4317" } }, resolver: { static: { hostnames: [a] } } }'),
    ).toThrow(
      'exporters.loadbalancing.protocol.otlp.endpoint: must not be set: each backend of resolver.static.hostnames is the endpoint',
    );
    expect(() =>
      parse('{ protocol: { otlp: { timeot: 1s } }, resolver: { static: { hostnames: [a] } } }'),
    ).toThrow(/^exporters\.loadbalancing\.protocol\.otlp: unknown key "timeot"/);
    expect(() => parse('{ resolver: { dns: { hostname: otel } } }')).toThrow(
      'exporters.loadbalancing.resolver.dns: is not supported by Tracehouse: use resolver.static.hostnames',
    );
    expect(() => parse('{ routing_key: metric, resolver: { static: { hostnames: [a] } } }')).toThrow(
      'exporters.loadbalancing.routing_key: "metric" is not one of traceID, service',
    );
  });
});
