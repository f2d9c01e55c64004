import { describe, expect, it } from 'vitest';
import type { ServiceGraphAnswer } from '../../api/native-api';
import { layoutGraph } from './graph-layout';

const red = { requestCount: 10, errorCount: 1, rate: 1, errorRatio: 0.1 };

describe('service graph layout', () => {
  it('places callers left of callees and routes every edge', () => {
    const graph: ServiceGraphAnswer = {
      start: 0,
      end: 60,
      nodes: ['reservations-service', 'user-service', 'notification-service'].map((service) => ({
        service,
        ...red,
      })),
      edges: [
        {
          client: 'reservations-service',
          server: 'user-service',
          ...red,
          latencyNanos: { p50: 1, p90: 2, p99: 3 },
        },
        {
          client: 'reservations-service',
          server: 'notification-service',
          ...red,
          latencyNanos: { p50: 1, p90: 2, p99: 3 },
        },
      ],
    };
    const placed = layoutGraph(graph);
    const x = (name: string) => placed.nodes.find((n) => n.node.service === name)!.x;
    expect(x('reservations-service')).toBeLessThan(x('user-service'));
    expect(x('reservations-service')).toBeLessThan(x('notification-service'));
    expect(placed.edges.every((e) => e.points.length >= 2)).toBe(true);
    expect(placed.width).toBeGreaterThan(0);
  });
});
