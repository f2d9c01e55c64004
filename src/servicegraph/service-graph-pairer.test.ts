import { describe, expect, it } from 'vitest';
import type { ResourceSpans, Span, TracesData } from '../model/span.js';
import { SpanKind, StatusCode } from '../model/span.js';
import { emptySpan } from '../model/factories.js';
import type { ConnectionType } from './connection-type.js';
import type { EdgeSink } from './edge-sink.js';
import { ServiceGraphPairer } from './service-graph-pairer.js';

interface Row {
  timestamp: number;
  offset: number;
  client: string;
  server: string;
  type: ConnectionType;
  clientDuration: number;
  serverDuration: number;
  clientFailed: boolean;
  serverFailed: boolean;
}

class CaptureSink implements EdgeSink {
  readonly rows: Row[] = [];
  edge(...args: Parameters<EdgeSink['edge']>): void {
    const [
      timestamp,
      offset,
      client,
      server,
      type,
      clientDuration,
      serverDuration,
      clientFailed,
      serverFailed,
    ] = args;
    this.rows.push({
      timestamp,
      offset,
      client,
      server,
      type,
      clientDuration,
      serverDuration,
      clientFailed,
      serverFailed,
    });
  }
  /** Rows as short strings: `client>server type`. */
  short(): string[] {
    const names = ['none', 'request', 'messaging_system', 'other'];
    return this.rows.map((r) => `${r.client}>${r.server} ${names[r.type]}`);
  }
}

const T0 = 1_760_000_000n * 1_000_000_000n;
const TRACE = '0af7651916cd43dd8448eb211c80319c';

function span(
  spanId: string,
  parentSpanId: string,
  kind: SpanKind,
  startMs = 0,
  ms = 10,
  failed = false,
): Span {
  const start = T0 + BigInt(startMs) * 1_000_000n;
  return {
    ...emptySpan(),
    traceId: TRACE,
    spanId,
    parentSpanId,
    kind,
    startTimeUnixNano: start,
    endTimeUnixNano: start + BigInt(ms) * 1_000_000n,
    status: failed ? { code: StatusCode.ERROR, message: '' } : { code: StatusCode.UNSET, message: '' },
  };
}

function batch(...groups: [service: string, spans: Span[]][]): TracesData {
  return groups.map(([service, spans]): ResourceSpans => ({
    resource: { attributes: [{ key: 'service.name', value: service }], droppedAttributesCount: 0 },
    scopeSpans: [
      { scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0 }, spans, schemaUrl: '' },
    ],
    schemaUrl: '',
  }));
}

const id = (n: number) => n.toString(16).padStart(16, '0');
const options = { waitMs: 10_000, maxItems: 1000 };

type ArrivalOrder = 'client first' | 'server first' | 'same batch';

/** Hands a client and a server batch to the pairer in the given order, a second apart. */
function addInOrder(
  pairer: ServiceGraphPairer,
  order: ArrivalOrder,
  client: TracesData,
  server: TracesData,
): void {
  if (order === 'client first') {
    pairer.add(client, 0);
    pairer.add(server, 1000);
  } else if (order === 'server first') {
    pairer.add(server, 0);
    pairer.add(client, 1000);
  } else pairer.add([...server, ...client], 0);
}

describe('ServiceGraphPairer', () => {
  it('pairs a client span and its server span arriving in either order, once', () => {
    for (const order of ['client first', 'server first', 'same batch'] as const) {
      const sink = new CaptureSink();
      const pairer = new ServiceGraphPairer(sink, options, 0);
      const client = batch(['api', [span(id(2), id(1), SpanKind.CLIENT, 0, 50, true)]]);
      const server = batch(['users', [span(id(3), id(2), SpanKind.SERVER, 1500, 30)]]);
      addInOrder(pairer, order, client, server);
      pairer.flush();
      expect(sink.rows, order).toEqual([
        {
          timestamp: 1_760_000_001,
          offset: -1,
          client: 'api',
          server: 'users',
          type: 1,
          clientDuration: 50_000_000,
          serverDuration: 30_000_000,
          clientFailed: true,
          serverFailed: false,
        },
      ]);
    }
  });

  it('pairs producer → consumer as messaging_system, and a parent of any kind', () => {
    const sink = new CaptureSink();
    const pairer = new ServiceGraphPairer(sink, options, 0);
    pairer.add(
      batch(
        ['shop', [span(id(1), '', SpanKind.SERVER), span(id(2), id(1), SpanKind.PRODUCER)]],
        ['mailer', [span(id(3), id(2), SpanKind.CONSUMER)]],
        // An uninstrumented caller: INTERNAL → SERVER is an edge, as the join counts it.
        ['audit', [span(id(4), id(1), SpanKind.SERVER)]],
      ),
      0,
    );
    expect(sink.short()).toEqual(['>shop none', 'shop>mailer messaging_system', 'shop>audit request']);
  });

  it('writes other-kind children only across services, and entry spans whatever the parent', () => {
    const sink = new CaptureSink();
    const pairer = new ServiceGraphPairer(sink, options, 0);
    pairer.add(
      batch(
        [
          'a',
          [
            span(id(1), '', SpanKind.INTERNAL),
            span(id(2), id(1), SpanKind.INTERNAL),
            span(id(3), id(1), SpanKind.SERVER),
          ],
        ],
        ['b', [span(id(4), id(1), SpanKind.INTERNAL)]],
      ),
      0,
    );
    // The root is a node row; a → a INTERNAL makes nothing; a → a SERVER counts for a's node.
    expect(sink.short()).toEqual(['>a none', 'a>a request', 'a>b other']);
  });

  it('keeps a parent for every child and matches the trace id, not the span id alone', () => {
    const sink = new CaptureSink();
    const pairer = new ServiceGraphPairer(sink, options, 0);
    pairer.add(batch(['a', [span(id(1), '', SpanKind.CLIENT)]]), 0);
    const otherTrace = { ...span(id(9), id(1), SpanKind.SERVER), traceId: 'f'.repeat(32) };
    pairer.add(batch(['b', [span(id(2), id(1), SpanKind.SERVER), otherTrace]]), 100);
    pairer.add(batch(['c', [span(id(3), id(1), SpanKind.SERVER)]]), 200);
    pairer.flush();
    expect(sink.short()).toEqual(['>a none', 'a>b request', 'a>c request', '>b none']);
  });

  it('pairs by the span id itself, not by its map key (span-id-key.ts), in either order', () => {
    // Two ids that share a key: the server span's parent is 0…01, not the client span 40…01.
    for (const order of ['client first', 'server first', 'same batch'] as const) {
      const sink = new CaptureSink();
      const pairer = new ServiceGraphPairer(sink, options, 0);
      const client = batch(['api', [span('4000000000000001', '', SpanKind.CLIENT)]]);
      const server = batch(['users', [span(id(3), '0000000000000001', SpanKind.SERVER)]]);
      addInOrder(pairer, order, client, server);
      // The true parent, later: it pairs, and so does a second child of the same key.
      pairer.add(
        batch(
          ['gateway', [span('0000000000000001', '', SpanKind.CLIENT)]],
          ['users', [span(id(4), '4000000000000001', SpanKind.SERVER)]],
        ),
        2000,
      );
      pairer.flush();
      expect(sink.short().sort(), order).toEqual(
        ['>api none', '>gateway none', 'api>users request', 'gateway>users request'].sort(),
      );
    }
  });

  it('pairs across generations of many spans (their marks sized differently)', () => {
    const sink = new CaptureSink();
    const pairer = new ServiceGraphPairer(sink, { waitMs: 10_000, maxItems: 1_000_000 }, 0);
    const n = 20_000;
    const clients = Array.from({ length: n }, (_, i) =>
      span(id(2 * i + 1), id(10 ** 9 + i), SpanKind.CLIENT),
    );
    const early = Array.from({ length: n }, (_, i) =>
      span(id(10 ** 8 + i), id(2 * n + 2 * i + 1), SpanKind.SERVER),
    );
    pairer.add(batch(['api', clients], ['users', early]), 0);
    // A generation later: children of the first generation's parents, parents of its waiting children.
    const servers = Array.from({ length: n }, (_, i) => span(id(2 * i + 2), id(2 * i + 1), SpanKind.SERVER));
    const late = Array.from({ length: n }, (_, i) => span(id(2 * n + 2 * i + 1), '', SpanKind.CLIENT));
    pairer.add(batch(['users', servers], ['web', late]), 10_000);
    const rows = sink.short();
    expect(rows.filter((r) => r === 'api>users request')).toHaveLength(n);
    expect(rows.filter((r) => r === 'web>users request')).toHaveLength(n);
  });

  it('expires an unpaired entry span after the wait as a node row, other kinds as nothing', () => {
    const sink = new CaptureSink();
    const pairer = new ServiceGraphPairer(sink, options, 0);
    pairer.add(batch(['b', [span(id(2), id(1), SpanKind.SERVER), span(id(5), id(4), SpanKind.INTERNAL)]]), 0);
    pairer.expire(9_999);
    pairer.expire(10_000); // now in the older generation: it can still pair
    expect(sink.rows).toEqual([]);
    pairer.expire(20_000);
    expect(sink.short()).toEqual(['>b none']);
    expect(pairer.stats()).toEqual({ expiredUnpaired: 1, earlyExpiries: 0, items: 0 });
    // Its parent, too late, pairs with nothing.
    pairer.add(batch(['a', [span(id(1), '', SpanKind.CLIENT)]]), 20_001);
    pairer.flush();
    expect(sink.short()).toEqual(['>b none', '>a none']);
  });

  it('pairs across one generation change, within the wait', () => {
    const sink = new CaptureSink();
    const pairer = new ServiceGraphPairer(sink, options, 0);
    pairer.add(batch(['b', [span(id(2), id(1), SpanKind.SERVER)]]), 9_000);
    pairer.add(batch(['a', [span(id(1), 'ffffffffffffffff', SpanKind.CLIENT)]]), 12_000);
    expect(sink.short()).toEqual(['a>b request']);
  });

  it('holds at most max items, expiring the older half early', () => {
    const sink = new CaptureSink();
    const pairer = new ServiceGraphPairer(sink, { waitMs: 10_000, maxItems: 100 }, 0);
    // Each server span waits as a parent and as a child: two items.
    for (let i = 0; i < 200; i++)
      pairer.add(batch(['b', [span(id(1000 + i), id(i + 1), SpanKind.SERVER)]]), 0);
    const stats = pairer.stats();
    expect(stats.items).toBeLessThanOrEqual(100);
    expect(stats.earlyExpiries).toBeGreaterThan(0);
    expect(stats.expiredUnpaired).toBe(sink.rows.length);
    // The newest still pair.
    pairer.add(batch(['a', [span(id(200), id(9999), SpanKind.CLIENT)]]), 1);
    expect(sink.short()).toContain('a>b request');
  });
});
