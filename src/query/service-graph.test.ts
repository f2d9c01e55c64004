import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExampleStore } from '../../test/support/example-system-fixture.js';
import { EXAMPLE_FACTS, HOSTILE_TEXTS, openExampleStore } from '../../test/support/example-system-fixture.js';
import type { ServiceGraphEdge } from './service-graph.js';
import { serviceGraph } from './service-graph.js';

describe('service graph', () => {
  let example: ExampleStore;
  beforeAll(async () => {
    example = await openExampleStore('tenant-a', 'hostile');
  });
  afterAll(() => example?.close());
  const range = () => example.system.range;
  const counts = (edges: ServiceGraphEdge[]) =>
    edges.map(({ client, server, requestCount, errorCount }) => ({
      client,
      server,
      requestCount,
      errorCount,
    }));
  const facts = (servers: string[]) =>
    EXAMPLE_FACTS.edges
      .filter((e) => servers.includes(e.server))
      .map(({ client, server, requestCount, errorCount }) => ({ client, server, requestCount, errorCount }));

  it('finds CLIENT → SERVER and PRODUCER → CONSUMER edges, errors on either side', async () => {
    const graph = await serviceGraph(example.store, 'tenant-a', { range: range() });
    expect(counts(graph.edges)).toEqual(facts(['notification-service', 'user-service']));
    // The orphan send_email (parent never stored) and same-service children make no edge.
    expect(graph.nodes).toEqual(EXAMPLE_FACTS.nodes.filter((n) => n.service !== 'audit-service'));
  });

  it('adds children of any kind whose parent is in another service, as Jaeger does', async () => {
    const graph = await serviceGraph(example.store, 'tenant-a', { range: range(), edges: 'all-spans' });
    expect(counts(graph.edges)).toEqual(facts(['audit-service', 'notification-service', 'user-service']));
    expect(graph.nodes).toEqual(EXAMPLE_FACTS.nodes);
  });

  it('estimates server-side latency quantiles within the durations, in order', async () => {
    // bfloat16 quantiles read up to 0.4 % low.
    const graph = await serviceGraph(example.store, 'tenant-a', { range: range(), edges: 'all-spans' });
    for (const edge of graph.edges) {
      const ms = EXAMPLE_FACTS.edges.find((e) => e.server === edge.server)!.ms;
      const { p50, p90, p99 } = edge.latencyNanos;
      expect(Math.min(...ms) * 1e6 * 0.996).toBeLessThanOrEqual(p50);
      expect(p50).toBeLessThanOrEqual(p90);
      expect(p90).toBeLessThanOrEqual(p99);
      expect(p99).toBeLessThanOrEqual(Math.max(...ms) * 1e6);
    }
    const users = graph.edges.find((e) => e.server === 'user-service')!.latencyNanos;
    // 4, 8, … 40 ms: the median is near 22 ms, the 99th percentile near 40 ms.
    expect(users.p50 / 1e6).toBeGreaterThanOrEqual(16);
    expect(users.p50 / 1e6).toBeLessThanOrEqual(28);
    expect(users.p99 / 1e6).toBeGreaterThanOrEqual(36 * 0.996);
  });

  it('counts only spans of the range', async () => {
    const firstTrace = { start: range().start, end: range().start + 5 };
    const graph = await serviceGraph(example.store, 'tenant-a', { range: firstTrace });
    expect(counts(graph.edges)).toEqual([
      { client: 'reservations-service', server: 'notification-service', requestCount: 1, errorCount: 0 },
      { client: 'reservations-service', server: 'user-service', requestCount: 1, errorCount: 0 },
    ]);
  });

  it('keeps tenants apart and binds hostile service names as themselves', async () => {
    expect(await serviceGraph(example.store, 'tenant-b', { range: range() })).toEqual({
      edges: [],
      nodes: [],
    });
    const graph = await serviceGraph(example.store, 'hostile', { range: range() });
    const expected = HOSTILE_TEXTS.slice(1).map((server, k) => ({
      client: HOSTILE_TEXTS[k],
      server,
      requestCount: 1,
      errorCount: 0,
    }));
    const order = (a: { client: string }, b: { client: string }) => a.client.localeCompare(b.client);
    expect(counts(graph.edges).sort(order)).toEqual(expected.sort(order));
    expect(graph.nodes.map((n) => n.service).sort()).toEqual([...HOSTILE_TEXTS].sort());
  });
});
