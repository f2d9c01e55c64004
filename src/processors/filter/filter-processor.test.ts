import { describe, expect, it } from 'vitest';
import { SpanKind, StatusCode } from '../../model/span.js';
import { ConfigError } from '../../pipeline/config-error.js';
import {
  attrs,
  batch,
  parseProcessorConfig,
  runProcessor,
  span,
  spansOf,
} from '../processor-test-support.js';
import { filterProcessorFactory } from './filter-config.js';

const SPANS = () =>
  batch(
    [
      span({
        name: 'GET /health',
        kind: SpanKind.SERVER,
        attributes: attrs({ 'http.route': '/health', 'http.status_code': 200 }),
      }),
      span({
        name: 'checkout',
        kind: SpanKind.SERVER,
        attributes: attrs({ 'http.route': '/cart', 'http.status_code': 500 }),
        droppedAttributesCount: 2,
        status: { code: StatusCode.ERROR, message: 'boom' },
      }),
      span({
        name: 'render',
        kind: SpanKind.INTERNAL,
        attributes: attrs({ 'cache.hit': true, ratio: 0.25 }),
      }),
    ],
    { 'service.name': 'shop' },
  );

/** Condition(s) → names of the spans that survive. */
const CASES: [string, string[], string[]][] = [
  ['attribute equality', ['attributes["http.route"] == "/health"'], ['checkout', 'render']],
  ['name', ['name == "render"'], ['GET /health', 'checkout']],
  ['kind enum', ['kind == SPAN_KIND_INTERNAL'], ['GET /health', 'checkout']],
  ['status enum', ['status.code == STATUS_CODE_ERROR'], ['GET /health', 'render']],
  ['resource attribute', ['resource.attributes["service.name"] == "shop"'], []],
  ['IsMatch on name', ['IsMatch(name, "^GET ")'], ['checkout', 'render']],
  ['numeric comparison (int)', ['attributes["http.status_code"] >= 500'], ['GET /health', 'render']],
  [
    'numeric comparison (double against int literal)',
    ['attributes["ratio"] < 1'],
    ['GET /health', 'checkout'],
  ],
  ['boolean attribute', ['attributes["cache.hit"] == true'], ['GET /health', 'checkout']],
  ['missing attribute is nil', ['attributes["cache.hit"] == nil'], ['render']],
  ['and', ['kind == SPAN_KIND_SERVER and attributes["http.status_code"] < 400'], ['checkout', 'render']],
  ['or', ['name == "render" or name == "checkout"'], ['GET /health']],
  ['not with parentheses', ['not (kind == SPAN_KIND_SERVER)'], ['GET /health', 'checkout']],
  ['any of several conditions drops', ['name == "render"', 'name == "checkout"'], ['GET /health']],
  ['span. context prefix', ['span.name == "render"'], ['GET /health', 'checkout']],
  ['dropped counts', ['dropped_attributes_count > 0'], ['GET /health', 'render']],
  ['the scope, by either prefix', ['scope.name == "" and instrumentation_scope.version == ""'], []],
  ['resource dropped count', ['resource.dropped_attributes_count == 0'], []],
  [
    'type mismatch is false, not an error',
    ['attributes["http.route"] > 3'],
    ['GET /health', 'checkout', 'render'],
  ],
];

describe('filter processor (OTTL conditions)', () => {
  for (const [what, conditions, survivors] of CASES) {
    it(what, async () => {
      const yaml = `traces:\n  span:\n${conditions.map((c) => `    - ${JSON.stringify(c)}`).join('\n')}`;
      const out = await runProcessor(filterProcessorFactory, yaml, SPANS());
      expect(spansOf(out).map((s) => s.name)).toEqual(survivors);
    });
  }

  it('drops span events with spanevent conditions', async () => {
    const data = batch([
      span({
        events: [
          { name: 'keep', timeUnixNano: 1n, attributes: [], droppedAttributesCount: 0 },
          { name: 'noise', timeUnixNano: 2n, attributes: [], droppedAttributesCount: 0 },
        ],
      }),
    ]);
    const out = await runProcessor(
      filterProcessorFactory,
      'traces: { spanevent: [\'name == "noise"\'] }',
      data,
    );
    expect(spansOf(out)[0].events.map((e) => e.name)).toEqual(['keep']);
  });

  it('passes nothing on when every span is dropped', async () => {
    expect(await runProcessor(filterProcessorFactory, 'traces: { span: ["true == true"] }', SPANS())).toEqual(
      [],
    );
  });

  it.each([
    [
      'name ==',
      'processors.filter.traces.span[0]: invalid condition "name ==": at column 8: expected a path, a value or IsMatch(...)',
    ],
    [
      'kind == SPAN_KIND_SERVR',
      'processors.filter.traces.span[0]: invalid condition "kind == SPAN_KIND_SERVR": at column 9: unknown enum SPAN_KIND_SERVR; known: SPAN_KIND_UNSPECIFIED, SPAN_KIND_INTERNAL, SPAN_KIND_SERVER, SPAN_KIND_CLIENT, SPAN_KIND_PRODUCER, SPAN_KIND_CONSUMER, STATUS_CODE_UNSET, STATUS_CODE_OK, STATUS_CODE_ERROR',
    ],
    [
      'duration > 5',
      'processors.filter.traces.span[0]: invalid condition "duration > 5": at column 1: unknown path duration in span context; known: name, kind, status.code, status.message, trace_id.string, span_id.string, parent_span_id.string, trace_state, start_time_unix_nano, end_time_unix_nano, dropped_attributes_count, dropped_events_count, dropped_links_count, attributes["key"], instrumentation_scope.name, instrumentation_scope.version, instrumentation_scope.dropped_attributes_count, instrumentation_scope.attributes["key"], resource.dropped_attributes_count, resource.attributes["key"]',
    ],
  ])('refuses %s at start', (condition, message) => {
    let error: unknown;
    try {
      parseProcessorConfig(filterProcessorFactory, `traces: { span: [${JSON.stringify(condition)}] }`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(message);
  });
});
