import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from './metrics-registry.js';

describe('MetricsRegistry (Prometheus text format 0.0.4)', () => {
  it('renders counters per label set, with HELP and TYPE once', () => {
    const registry = new MetricsRegistry();
    const spans = registry.counter('spans_total', 'Spans.', ['receiver', 'tenant']);
    spans.inc({ receiver: 'otlp-http', tenant: 'a' }, 3);
    spans.inc({ receiver: 'otlp-http', tenant: 'a' });
    spans.inc({ receiver: 'zipkin', tenant: 'b' }, 2);
    spans.inc({ receiver: 'zipkin', tenant: 'b' }, 0); // no-op, as negative increments are
    expect(registry.render()).toBe(
      [
        '# HELP spans_total Spans.',
        '# TYPE spans_total counter',
        'spans_total{receiver="otlp-http",tenant="a"} 4',
        'spans_total{receiver="zipkin",tenant="b"} 2',
        '',
      ].join('\n'),
    );
    expect(spans.get({ receiver: 'zipkin', tenant: 'b' })).toBe(2);
  });

  it('escapes label values and help text', () => {
    const registry = new MetricsRegistry();
    registry.counter('c_total', 'a \\ b\nc', ['tenant']).inc({ tenant: 'q"uote\\back\nline' });
    expect(registry.render()).toBe(
      '# HELP c_total a \\\\ b\\nc\n# TYPE c_total counter\nc_total{tenant="q\\"uote\\\\back\\nline"} 1\n',
    );
  });

  it('renders histograms with cumulative buckets, +Inf, _sum and _count', () => {
    const registry = new MetricsRegistry();
    const latency = registry.histogram('latency_seconds', 'Latency.', ['route'], [0.1, 1]);
    for (const seconds of [0.05, 0.5, 0.5, 3]) latency.observe({ route: '/api/search' }, seconds);
    expect(registry.render().split('\n')).toEqual([
      '# HELP latency_seconds Latency.',
      '# TYPE latency_seconds histogram',
      'latency_seconds_bucket{route="/api/search",le="0.1"} 1',
      'latency_seconds_bucket{route="/api/search",le="1"} 3',
      'latency_seconds_bucket{route="/api/search",le="+Inf"} 4',
      'latency_seconds_sum{route="/api/search"} 4.05',
      'latency_seconds_count{route="/api/search"} 4',
      '',
    ]);
  });

  it('reads gauges when rendered, from their current owner only', () => {
    const registry = new MetricsRegistry();
    const gauge = registry.gauge('log_bytes', 'Bytes.');
    expect(registry.render()).toBe(''); // no owner: nothing to report
    let bytes = 10;
    const detachFirst = gauge.collectFrom(() => bytes);
    bytes = 12;
    expect(registry.render()).toContain('log_bytes 12\n');
    const detachSecond = gauge.collectFrom(() => 99);
    detachFirst(); // an older owner's shutdown leaves the newer one alone
    expect(registry.render()).toContain('log_bytes 99\n');
    detachSecond();
    expect(registry.render()).toBe('');
  });

  it('refuses a name registered twice', () => {
    const registry = new MetricsRegistry();
    registry.counter('x_total', 'X.');
    expect(() => registry.gauge('x_total', 'X.')).toThrow('metric x_total is registered twice');
  });
});
