import type { FixtureApp } from '../../../test/support/fixture-store.js';
import { openFixtureApp } from '../../../test/support/fixture-store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceqlFixture } from '../../../test/support/traceql-fixture.js';
import { registerMetricsRoutes } from './metrics-routes.js';

const baseMs = Date.now() - 10 * 60_000;
const startSeconds = Math.floor(baseMs / 1000) - 60;
const endSeconds = startSeconds + 179;
const range = { start: String(startSeconds), end: String(endSeconds) };
let fixture: FixtureApp;

beforeAll(async () => {
  fixture = await openFixtureApp({ 'single-tenant': traceqlFixture(baseMs) }, (app, store) =>
    registerMetricsRoutes(app, store),
  );
});

afterAll(async () => {
  await fixture?.close();
});

interface Series {
  labels: { key: string; value: Record<string, unknown> }[];
  promLabels: string;
  samples?: { timestampMs: string; value: number }[];
  value?: number;
}

async function get(url: string, query: Record<string, string>) {
  const response = await fixture.app.inject({ method: 'GET', url, query: { ...range, ...query } });
  return {
    status: response.statusCode,
    body: response.body,
    series: () => response.json<{ series: Series[] }>().series,
  };
}

const labelOf = (s: Series, key: string) => s.labels.find((l) => l.key === key)?.value;

describe("Tempo's TraceQL metrics", () => {
  it('query_range: count_over_time in steps, samples at each step start, timestamps as strings', async () => {
    const response = await get('/api/metrics/query_range', {
      q: '{ resource.service.name = "user-service" } | count_over_time()',
      step: '180s',
    });
    expect(response.status).toBe(200);
    const [series] = response.series();
    expect(series.labels).toEqual([]);
    expect(series.samples).toEqual([{ timestampMs: String(startSeconds * 1000), value: 11 }]);
  });

  it('instant rate() by service: spans per second over the range, one series per service', async () => {
    const series = (
      await get('/api/metrics/query', { q: '{ } | rate() by (resource.service.name)' })
    ).series();
    const byService = Object.fromEntries(
      series.map((s) => [String(labelOf(s, 'resource.service.name')?.stringValue), s.value]),
    );
    // An instant query's range is end − start seconds.
    expect(byService['batch-service']).toBeCloseTo(10_000 / 179, 6);
    expect(byService['user-service']).toBeCloseTo(11 / 179, 6);
    expect(series[0].promLabels).toMatch(/^\{resource\.service\.name="[a-z-]+"\}$/);
  });

  it('durations in seconds: max_over_time, quantile_over_time (label p), histogram_over_time (label __bucket)', async () => {
    const max = (
      await get('/api/metrics/query', { q: '{ name = "process_item" } | max_over_time(duration)' })
    ).series();
    expect(max[0].value).toBeCloseTo(0.9, 9);
    const quantiles = (
      await get('/api/metrics/query', {
        q: '{ name = "process_item" } | quantile_over_time(duration, .5, .99)',
      })
    ).series();
    expect(quantiles.map((s) => [labelOf(s, 'p')?.doubleValue, s.value])).toEqual([
      [0.5, expect.closeTo(0.001, 6)],
      [0.99, expect.closeTo(0.001, 6)],
    ]);
    const histogram = (
      await get('/api/metrics/query', { q: '{ name = "process_item" } | histogram_over_time(duration)' })
    ).series();
    expect(histogram.map((s) => [labelOf(s, '__bucket')?.doubleValue, s.value])).toEqual([
      [2 ** -9, 9998],
      [1, 1],
    ]);
  });

  it('by() on an int attribute keeps its type', async () => {
    const series = (
      await get('/api/metrics/query', {
        q: '{ span.http.status_code >= 400 } | count_over_time() by (span.http.status_code)',
      })
    ).series();
    expect(series.map((s) => [labelOf(s, 'span.http.status_code'), s.value])).toEqual([
      [{ intValue: '404' }, 3],
      [{ intValue: '500' }, 1],
    ]);
  });

  it('by() naming a field twice labels the series with it once', async () => {
    const series = (
      await get('/api/metrics/query', {
        q: '{ span.http.status_code >= 400 } | count_over_time() by (span.http.status_code, span.http.status_code)',
      })
    ).series();
    expect(series.map((s) => [s.labels, s.promLabels, s.value])).toEqual([
      [[{ key: 'span.http.status_code', value: { intValue: '404' } }], '{span.http.status_code="404"}', 3],
      [[{ key: 'span.http.status_code', value: { intValue: '500' } }], '{span.http.status_code="500"}', 1],
    ]);
  });

  it.each([
    [{ q: '{ status = error }' }, /metrics function/],
    [{ q: '{ a } >> { b } | rate()' }, /./],
    [{ q: '({ name = "a" } && { name = "b" }) | rate()' }, /not supported yet/],
    [{ q: '{ } | avg_over_time()' }, /needs the field|./],
    [{ q: '{ } | rate()', step: 'often' }, /^invalid step/],
    [{ q: '{ } | rate()', step: '1ms' }, /use a larger step/],
    [{ q: '{ } | rate()', start: 'yesterday' }, /^invalid start/],
    [{ q: '' }, /^invalid q/],
  ])('refuses %j with a 400', async (query, message) => {
    const response = await get('/api/metrics/query_range', query);
    expect(response.status, response.body).toBe(400);
    expect(response.body).toMatch(message);
  });
});
