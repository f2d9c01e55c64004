import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startAllInOne } from '../src/app/all-in-one.js';
import { loopbackAllInOneConfig } from '../src/app/loopback-config.js';
import { openEmbeddedStore } from '../src/app/open-embedded-store.js';
import { silentLogger } from '../src/logging/logger.js';
import { countSpans } from '../src/model/factories.js';
import type { GeneratorMessage, LoadOptions } from './ingest-messages.js';
import { quantile } from './stats.js';
import { renderTable } from './table.js';

/*
 * Issue 3's "a trace is queryable within 2 seconds of being acknowledged", measured from outside:
 * the all-in-one app on the embedded store (flush interval 1 s, as `tracehouse start`), probes that
 * each send one new trace over OTLP/HTTP and, from the moment it is acknowledged, ask
 * `GET /api/traces/<id>` every 20 ms until it answers 200. Probes run one after another, alone and
 * beside the forked load generator (realistic 512-span batches, new trace ids in each request) at
 * each concurrency given; 0 is no load. Reads under that load are timed too: the GET that found
 * the trace, and then a TraceQL search for the probe's span by an attribute of its own, over the
 * last 5 minutes (neither answered from the trace read cache).
 *
 *   node dist/bench/store-visibility.js [--loads 0,1,4,16] [--probes 30] [--quick]
 */
const { values: args } = parseArgs({
  options: {
    loads: { type: 'string', default: '0,1,4,16' },
    probes: { type: 'string', default: '30' },
    quick: { type: 'boolean', default: false },
    // `text`: otel_traces gets the exporter's text skip indexes (`tracehouse start --skip-indexes`).
    'skip-indexes': { type: 'string', default: 'bloom_filter' },
  },
});
const loads = args.loads.split(',').map(Number);
const probes = args.quick ? 8 : Number(args.probes);
const POLL_MS = 20;
const GIVE_UP_MS = 120_000;

interface ProbeResult {
  /** From the acknowledgement to the first 200 of trace by id. */
  visibleMs: number;
  /** That GET's own time. */
  traceByIdMs: number;
  /** The TraceQL search that finds the probe's span, after it was visible. */
  searchMs: number;
}

interface LevelResult {
  concurrency: number;
  /** Spans the store exporter accepted a second while the probes ran (theirs included). */
  acceptedPerSec: number;
  probes: ProbeResult[];
}

const dataDir = await mkdtemp(join(tmpdir(), 'tracehouse-visibility-'));
const results: LevelResult[] = [];
let accepted = 0;
try {
  const opened = await openEmbeddedStore(
    {
      dataDir,
      retentionSeconds: 7 * 86_400,
      walMaxBytes: 1024 * 1024 * 1024,
      flushIntervalMs: 1000,
      textIndexes: args['skip-indexes'] === 'text',
    },
    silentLogger(),
  );
  const consume = opened.exporter.consumeTraces.bind(opened.exporter);
  opened.exporter.consumeTraces = (data, context) => {
    const spans = countSpans(data);
    return consume(data, context).then(() => {
      accepted += spans;
    });
  };
  const running = await startAllInOne(
    loopbackAllInOneConfig({ store: opened.store }),
    [opened.exporter],
    silentLogger(),
  );
  try {
    const otlpHttp = running.receivers.find((r) => r.component === 'otlp-http')?.address();
    if (!otlpHttp) throw new Error('no otlp-http receiver in the all-in-one app');
    const api = `http://${running.api.address()}`;
    for (const concurrency of loads) {
      process.stderr.write(`store-visibility: load ${concurrency}\n`);
      results.push(await level(concurrency, otlpHttp, api));
    }
  } finally {
    await running.shutdown();
    await opened.close();
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}

const ms = (x: number): string => `${Math.round(x)} ms`;
const spread = (values: number[]): string[] => [
  ms(quantile(values, 0.5)),
  ms(quantile(values, 0.95)),
  ms(quantile(values, 1)),
];
process.stdout.write(
  renderTable(
    'Acknowledged to queryable (trace by id over the API), and reads under the same load, embedded store, flush interval 1 s',
    [
      'load (requests in flight)',
      'spans/s accepted',
      'probes',
      'queryable p50',
      'p95',
      'max',
      'trace by id p50',
      'p95',
      'max',
      'search p50',
      'p95',
      'max',
    ],
    results.map((r) => [
      r.concurrency === 0 ? 'none' : String(r.concurrency),
      Math.round(r.acceptedPerSec).toLocaleString('en-US'),
      String(r.probes.length),
      ...spread(r.probes.map((p) => p.visibleMs)),
      ...spread(r.probes.map((p) => p.traceByIdMs)),
      ...spread(r.probes.map((p) => p.searchMs)),
    ]),
    [
      'Queryable: from the 200 of the probe POST to the first 200 of GET /api/traces/<id>, polled every 20 ms.',
      'Trace by id: that GET\'s own time. Search: GET /api/search?q={ span.probe.id = "…" } over the last 5 minutes.',
      'Past its capacity the store lets the log grow: a probe waits behind the backlog.',
    ],
  ),
);

/** Probes at one load level; the load generator, if any, runs for as long as the probes do. */
async function level(concurrency: number, otlpHttp: string, api: string): Promise<LevelResult> {
  if (concurrency === 0) return timed(concurrency, () => probeRun(otlpHttp, api));
  const options: LoadOptions = {
    protocol: 'http',
    target: otlpHttp,
    concurrency,
    warmupMs: 2000,
    // Ended early (maxRequests is not known in advance): the generator is killed after the probes.
    durationMs: 10 * 60_000,
    maxRequests: 400_000,
    batches: 16,
    spansPerBatch: 512,
    baseUnixNano: (BigInt(Date.now()) * 1_000_000n).toString(),
    freshTraceIds: true,
    refusedBackoffMs: 1000,
  };
  const child = fork(new URL('./load-generator.js', import.meta.url), [JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('message', (raw) => {
        const message = raw as GeneratorMessage; // sent by load-generator.ts
        if (message.type === 'warmed') resolve();
        else reject(new Error(`load generator: ${JSON.stringify(message)}`));
      });
      child.once('exit', (code) => reject(new Error(`load generator exited (${code})`)));
      child.once('error', reject);
    });
    child.send({ type: 'go' });
    return await timed(concurrency, () => probeRun(otlpHttp, api));
  } finally {
    child.kill('SIGKILL');
  }
}

/** The probes, and what the store accepted meanwhile. */
async function timed(concurrency: number, run: () => Promise<ProbeResult[]>): Promise<LevelResult> {
  const acceptedBefore = accepted;
  const startedAt = performance.now();
  const results = await run();
  const acceptedPerSec = ((accepted - acceptedBefore) * 1000) / (performance.now() - startedAt);
  return { concurrency, acceptedPerSec, probes: results };
}

async function probeRun(otlpHttp: string, api: string): Promise<ProbeResult[]> {
  const latencies: ProbeResult[] = [];
  for (let i = 0; i < probes; i++) {
    latencies.push(await probe(otlpHttp, api));
    // A random pause: a fixed one phase-locks the probes to the 1 s flush timer.
    await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 1000));
  }
  return latencies;
}

/** One new trace: sent, then looked for until found, then searched for. */
async function probe(otlpHttp: string, api: string): Promise<ProbeResult> {
  const traceId = randomBytes(16).toString('hex');
  const probeId = randomBytes(8).toString('hex');
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const body = JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'visibility-probe' } }] },
        scopeSpans: [
          {
            spans: [
              {
                traceId,
                spanId: randomBytes(8).toString('hex'),
                name: 'probe',
                kind: 2,
                attributes: [{ key: 'probe.id', value: { stringValue: probeId } }],
                startTimeUnixNano: nowNs.toString(),
                endTimeUnixNano: (nowNs + 1_000_000n).toString(),
              },
            ],
          },
        ],
      },
    ],
  });
  for (;;) {
    const sent = await fetch(`http://${otlpHttp}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    await sent.arrayBuffer();
    if (sent.status === 200) break;
    // A full log refuses (429/503): the probe is sent again, as an SDK would.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const ackedAt = performance.now();
  while (performance.now() - ackedAt < GIVE_UP_MS) {
    const askedAt = performance.now();
    const found = await fetch(`${api}/api/traces/${traceId}`);
    await found.arrayBuffer();
    if (found.status === 200) {
      const visibleAt = performance.now();
      return {
        visibleMs: visibleAt - ackedAt,
        traceByIdMs: visibleAt - askedAt,
        searchMs: await search(api, probeId, traceId),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`trace ${traceId} not queryable ${GIVE_UP_MS} ms after it was acknowledged`);
}

/** ms of a TraceQL search that must find the probe's trace (and only it). */
async function search(api: string, probeId: string, traceId: string): Promise<number> {
  const end = Math.ceil(Date.now() / 1000);
  const query = new URLSearchParams({
    q: `{ span.probe.id = "${probeId}" }`,
    start: String(end - 300),
    end: String(end),
  });
  const startedAt = performance.now();
  const answer = await fetch(`${api}/api/search?${query.toString()}`);
  const body = (await answer.json()) as { traces?: { traceID: string }[] };
  const tookMs = performance.now() - startedAt;
  const found = (body.traces ?? []).map((t) => t.traceID);
  if (
    answer.status !== 200 ||
    found.length !== 1 ||
    found[0].replace(/^0+/, '') !== traceId.replace(/^0+/, '')
  )
    throw new Error(`search for probe ${probeId}: ${answer.status} ${JSON.stringify(body).slice(0, 300)}`);
  return tookMs;
}
