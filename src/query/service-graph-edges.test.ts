import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExampleStore } from '../../test/support/example-system-fixture.js';
import { hostileSystem, openExampleStore } from '../../test/support/example-system-fixture.js';
import { silentLogger } from '../logging/logger.js';
import { emptySpan } from '../model/factories.js';
import type { ResourceSpans, Span, TracesData } from '../model/span.js';
import { SpanKind } from '../model/span.js';
import { resolveServiceGraphOptions } from '../servicegraph/service-graph-options.js';
import { ServiceGraphRecorder } from '../servicegraph/service-graph-recorder.js';
import { encodeSpanBlocks } from '../store/rows/span-blocks.js';
import type { TimeRange } from '../store/trace-store.js';
import { serviceGraph } from './service-graph.js';
import { backfillServiceGraphEdgesSql } from './service-graph-backfill-sql.js';
import { serviceGraphFromEdges } from './service-graph-edges.js';
import { serviceGraphFromJoin } from './service-graph-join.js';

/*
 * The ingest-time graph against the query-time join on the same spans: the example system (plus a
 * call that straddles a second, so the client starts outside a range the server starts in) is
 * stored for three tenants — `joined` has spans only (the join answers), `paired` also went
 * through the store path's pairing, `backfilled` got its edges from the backfill statements.
 */

/** A CLIENT span 5 ms before a whole second, its SERVER child 5 ms after it. */
function straddlingCall(baseSeconds: number): TracesData {
  const at = (ms: number) => BigInt(baseSeconds + 31) * 1_000_000_000n + BigInt(ms) * 1_000_000n;
  const span = (spanId: string, parentSpanId: string, kind: Span['kind'], startMs: number): Span => ({
    ...emptySpan(),
    traceId: 'c0ffeec0ffeec0ffeec0ffeec0ffee00',
    spanId,
    parentSpanId,
    kind,
    name: 'straddle',
    startTimeUnixNano: at(startMs),
    endTimeUnixNano: at(startMs + 3),
  });
  const resource = (service: string, spans: Span[]): ResourceSpans => ({
    resource: { attributes: [{ key: 'service.name', value: service }], droppedAttributesCount: 0 },
    scopeSpans: [
      { scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0 }, spans, schemaUrl: '' },
    ],
    schemaUrl: '',
  });
  return [
    resource('edge-client', [span('c0ffee0000000001', '', SpanKind.CLIENT, -5)]),
    resource('edge-server', [span('c0ffee0000000002', 'c0ffee0000000001', SpanKind.SERVER, 5)]),
  ];
}

describe('service graph from ingest-time edges', () => {
  let example: ExampleStore;
  let base: number;
  beforeAll(async () => {
    example = await openExampleStore('joined', 'hostile-joined');
    const { store, system } = example;
    base = system.range.start;
    const data = [...system.data, ...straddlingCall(base)];
    const hostile = hostileSystem();
    await store.insertSpans('joined', encodeSpanBlocks(straddlingCall(base)));
    const recorder = new ServiceGraphRecorder(store, resolveServiceGraphOptions(), silentLogger());
    for (const [tenant, spans] of [
      ['paired', data],
      ['hostile-paired', hostile],
      ['backfilled', data],
    ] as const)
      await store.insertSpans(tenant, encodeSpanBlocks(spans));
    // One service's batch at a time, last first: most pairs meet across batches, child first.
    for (const rs of [...data].reverse()) recorder.record('paired', [rs]);
    recorder.record('hostile-paired', hostile);
    await recorder.shutdown();
    for (const sql of backfillServiceGraphEdgesSql(await store.database('backfilled')))
      await store.driver.exec(sql);
  });
  afterAll(() => example?.close());

  const ranges = (): [string, TimeRange][] => [
    ['everything', example.system.range],
    ['the first trace', { start: base, end: base + 5 }],
    ['the middle traces', { start: base + 20, end: base + 59 }],
    ['the server side of the straddling call only', { start: base + 31, end: base + 39 }],
    ['the hour before (the legacy root)', { start: base - 3700, end: base - 1 }],
  ];

  for (const rule of ['entry-spans', 'all-spans'] as const)
    it(`equals the join for every range, ${rule}`, async () => {
      const { store } = example;
      for (const [name, range] of ranges()) {
        const joined = await serviceGraphFromJoin(store, 'joined', { range, edges: rule });
        const paired = await serviceGraphFromEdges(store, 'paired', { range, edges: rule });
        expect(paired, name).toEqual(joined);
        expect(await serviceGraphFromEdges(store, 'backfilled', { range, edges: rule }), name).toEqual(
          joined,
        );
      }
    });

  it('the straddling call counts for its server node only when its client is out of range', async () => {
    // Traces are 10 s apart: trace 3 starts at base + 30, trace 4 at base + 40.
    const graph = await serviceGraph(example.store, 'paired', {
      range: { start: base + 31, end: base + 39 },
    });
    expect(graph).toEqual({ edges: [], nodes: [{ service: 'edge-server', requestCount: 1, errorCount: 0 }] });
    const wider = await serviceGraph(example.store, 'paired', {
      range: { start: base + 30, end: base + 39 },
    });
    expect(wider.edges.map((e) => `${e.client}>${e.server} ${e.requestCount}`)).toContain(
      'edge-client>edge-server 1',
    );
  });

  it('equals the join on hostile service names', async () => {
    const range = example.system.range;
    expect(await serviceGraphFromEdges(example.store, 'hostile-paired', { range })).toEqual(
      await serviceGraphFromJoin(example.store, 'hostile-joined', { range }),
    );
  });

  it('backfills spans of more days than one insert may reach by default (100 partitions)', async () => {
    const { store } = example;
    const day = 86_400;
    // A root CLIENT span a day, each in a trace of its own.
    const roots: TracesData = Array.from({ length: 120 }, (_, i) => {
      const [client] = straddlingCall(base - i * day);
      const traceId = `${i.toString(16).padStart(4, '0')}${'b'.repeat(28)}`;
      return {
        ...client,
        scopeSpans: client.scopeSpans.map((scope) => ({
          ...scope,
          spans: scope.spans.map((span) => ({ ...span, traceId })),
        })),
      };
    });
    await store.insertSpans('many-days', encodeSpanBlocks(roots));
    for (const sql of backfillServiceGraphEdgesSql(await store.database('many-days')))
      await store.driver.exec(sql);
    const graph = await serviceGraph(store, 'many-days', {
      range: { start: base - 120 * day, end: base + day },
    });
    expect(graph.nodes).toEqual([{ service: 'edge-client', requestCount: 120, errorCount: 0 }]);
  });

  it('falls back to the join where the edges table has no row in the range', async () => {
    const range = example.system.range;
    expect(await serviceGraphFromEdges(example.store, 'joined', { range })).toBeUndefined();
    // reservations → notification, reservations → user, edge-client → edge-server.
    expect((await serviceGraph(example.store, 'joined', { range })).edges).toHaveLength(3);
    expect(await serviceGraph(example.store, 'nobody', { range })).toEqual({ edges: [], nodes: [] });
  });
});
