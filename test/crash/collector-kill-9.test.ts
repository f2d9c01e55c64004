import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptySpan } from '../../src/model/factories.js';
import type { TracesData } from '../../src/model/span.js';
import { encodeExportTraceServiceRequest } from '../../src/otlp/protobuf/encode-traces.js';
import { EmbeddedDriver } from '../../src/store/driver/embedded-driver.js';
import { quoteIdentifier } from '../../src/store/schema/sql-quote.js';
import { tenantDatabaseName } from '../../src/store/schema/tenant-database.js';
import { LOOPBACK_LISTENERS, listeningAddresses } from '../support/listening-addresses.js';

/*
 * Durability of Tracehouse as a collector under kill -9: `tracehouse collector` (OTLP/HTTP in →
 * batch → `otlp` exporter with a persistent `sending_queue`) forwards to a `tracehouse start`
 * backend, and is SIGKILLed at random moments, ten times; in every other cycle the backend is
 * frozen (SIGSTOP) meanwhile, so the queue holds batches when the kill comes. After a last start
 * of the collector, every trace it acknowledged must reach the backend whole. At least once, as
 * in the OpenTelemetry Collector: a batch sent but not yet marked done when the kill came is sent
 * again, so a trace may arrive twice, never in part.
 */
const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'dist/src/cli/main.js');
const SPANS_PER_TRACE = 10;
const CYCLES = 10;

let dir: string;
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(() => {
  if (!existsSync(bin)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root });
  dir = mkdtempSync(join(tmpdir(), 'tracehouse-collector-crash-'));
}, 120_000);

afterAll(() => {
  for (const child of children) {
    if (child.exitCode !== null) continue;
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
});

interface Child {
  child: ChildProcessWithoutNullStreams;
  at: Record<string, string>;
  exited: Promise<void>;
}

async function startChild(args: string[], components: number): Promise<Child> {
  const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '' } });
  children.push(child);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const at = await listeningAddresses(
    () => log,
    () => child.exitCode !== null,
    30_000,
    components,
  );
  return { child, at, exited };
}

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

function traceRequest(traceId: string): Buffer {
  const now = BigInt(Date.now()) * 1_000_000n;
  const data: TracesData = [
    {
      resource: {
        attributes: [{ key: 'service.name', value: 'collector-crash' }],
        droppedAttributesCount: 0,
      },
      schemaUrl: '',
      scopeSpans: [
        {
          scope: { name: 'crash', version: '', attributes: [], droppedAttributesCount: 0 },
          schemaUrl: '',
          spans: Array.from({ length: SPANS_PER_TRACE }, (_, i) => ({
            ...emptySpan(),
            traceId,
            spanId: (i + 1).toString(16).padStart(16, '0'),
            name: `span-${i}`,
            startTimeUnixNano: now + BigInt(i),
            endTimeUnixNano: now + BigInt(i) + 1000n,
          })),
        },
      ],
    },
  ];
  return encodeExportTraceServiceRequest(data);
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
    const backend = await startChild(
      ['start', '--data', backendData, '--flush-interval', '100ms', ...LOOPBACK_LISTENERS],
      4,
    );
    const api = `http://${backend.at.http}`;
    const config = collectorConfig(backend.at['otlp-grpc']);
    const startCollector = () => startChild(['collector', '--config', config], 1);

    const acknowledged: string[] = [];
    let sequence = 0;
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const collector = await startCollector();
      const frozen = cycle % 2 === 1;
      if (frozen) backend.child.kill('SIGSTOP');
      let killed = false;
      const sender = async (): Promise<void> => {
        while (!killed) {
          const traceId = `d${cycle.toString(16)}${(sequence++).toString(16).padStart(30, '0')}`.slice(0, 32);
          try {
            const res = await fetch(`http://${collector.at['otlp-http']}/v1/traces`, {
              method: 'POST',
              body: traceRequest(traceId),
              headers: { 'content-type': 'application/x-protobuf' },
            });
            if (res.status === 200) acknowledged.push(traceId);
          } catch {
            // The collector died mid-request: not acknowledged, so nothing is owed.
          }
        }
      };
      const senders = Array.from({ length: 2 }, sender);
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700));
      collector.child.kill('SIGKILL');
      killed = true;
      await collector.exited;
      await Promise.all(senders);
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
