import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedDriver } from '../../src/store/driver/embedded-driver.js';
import { quoteIdentifier } from '../../src/store/schema/sql-quote.js';
import { tenantDatabaseName } from '../../src/store/schema/tenant-database.js';
import { SPANS_PER_TRACE, TracehouseChildren, sendUntilKilled } from '../support/crash-load.js';
import { LOOPBACK_LISTENERS } from '../support/listening-addresses.js';

/*
 * Durability of Tracehouse as a collector under kill -9: `tracehouse collector` (OTLP/HTTP in →
 * batch → `otlp` exporter with a persistent `sending_queue`) forwards to a `tracehouse start`
 * backend, and is SIGKILLed at random moments, ten times; in every other cycle the backend is
 * frozen (SIGSTOP) meanwhile, so the queue holds batches when the kill comes. After a last start
 * of the collector, every trace it acknowledged must reach the backend whole. At least once, as
 * in the OpenTelemetry Collector: a batch sent but not yet marked done when the kill came is sent
 * again, so a trace may arrive twice, never in part.
 */
const CYCLES = 10;

let dir: string;
const children = new TracehouseChildren();

beforeAll(() => {
  TracehouseChildren.build();
  dir = mkdtempSync(join(tmpdir(), 'tracehouse-collector-crash-'));
}, 120_000);

afterAll(() => {
  children.killAll();
  rmSync(dir, { recursive: true, force: true });
});

function collectorConfig(backendGrpc: string): string {
  const file = join(dir, 'collector.yaml');
  writeFileSync(
    file,
    `receivers:
  otlp:
    protocols:
      http: { endpoint: 127.0.0.1:0 }
processors:
  batch: { timeout: 50ms, send_batch_size: 100 }
exporters:
  otlp:
    endpoint: ${backendGrpc}
    tls: { insecure: true }
    timeout: 2s
    retry_on_failure: { initial_interval: 100ms, max_interval: 500ms }
    sending_queue: { storage: ${join(dir, 'queue')} }
service:
  pipelines:
    traces: { receivers: [otlp], processors: [batch], exporters: [otlp] }
`,
  );
  return file;
}

/** The backend's accepted spans, from its /metrics. */
async function acceptedSpans(api: string): Promise<number> {
  const text = await (await fetch(`${api}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n'))
    if (line.startsWith('tracehouse_receiver_accepted_spans_total')) total += Number(line.split(' ').pop());
  return total;
}

describe('kill -9 of a collector with a persistent sending queue', () => {
  it(`delivers every acknowledged trace whole across ${CYCLES} SIGKILLs`, async () => {
    const backendData = join(dir, 'backend');
    const backend = await children.start(
      ['start', '--data', backendData, '--flush-interval', '100ms', ...LOOPBACK_LISTENERS],
      4,
    );
    const api = `http://${backend.at.http}`;
    const config = collectorConfig(backend.at['otlp-grpc']);
    const startCollector = () => children.start(['collector', '--config', config], 1);

    const acknowledged: string[] = [];
    let sequence = 0;
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const collector = await startCollector();
      const frozen = cycle % 2 === 1;
      if (frozen) backend.child.kill('SIGSTOP');
      await sendUntilKilled({
        child: collector.child,
        exited: collector.exited,
        otlpHttp: collector.at['otlp-http'],
        nextTraceId: () =>
          `d${cycle.toString(16)}${(sequence++).toString(16).padStart(30, '0')}`.slice(0, 32),
        service: 'collector-crash',
        acknowledged,
      });
      if (frozen) backend.child.kill('SIGCONT');
    }
    expect(acknowledged.length).toBeGreaterThan(CYCLES * 5);

    // The last start sends what the queue holds; wait until the backend has taken every span and
    // nothing more comes for a while.
    const collector = await startCollector();
    let last = -1;
    for (let stable = 0, waited = 0; stable < 4 && waited < 60_000; waited += 500) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const now = await acceptedSpans(api);
      stable = now === last && now >= acknowledged.length * SPANS_PER_TRACE ? stable + 1 : 0;
      last = now;
    }
    collector.child.kill('SIGTERM');
    await collector.exited;
    backend.child.kill('SIGTERM'); // flushes the backend's log into its store
    await backend.exited;

    const driver = await EmbeddedDriver.open(backendData);
    try {
      const rows = await driver.query<{ TraceId: string; spans: string; distinct: string }>(
        `SELECT TraceId, toString(count()) AS spans, toString(uniqExact(SpanId)) AS distinct
         FROM ${quoteIdentifier(tenantDatabaseName('single-tenant'))}.otel_traces GROUP BY TraceId`,
      );
      const stored = new Map(rows.map((r) => [r.TraceId, r]));
      const missing = acknowledged.filter((id) => {
        const row = stored.get(id);
        return !row || row.distinct !== String(SPANS_PER_TRACE);
      });
      expect(missing).toEqual([]);
      // Whole or not at all: a trace sent twice has every span twice, never some of them.
      expect(rows.filter((r) => Number(r.spans) % SPANS_PER_TRACE !== 0)).toEqual([]);
    } finally {
      await driver.close();
    }
  }, 300_000);
});
