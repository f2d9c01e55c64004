import { describe, expect, it } from 'vitest';
import type { SpanEvent, TracesData } from '../../model/span.js';
import { attrs, plain, runProcessor, span, spansOf } from '../processor-test-support.js';
import { transformProcessorFactory } from './transform-config.js';

const event = (name: string, values: Record<string, string | number>, timeUnixNano = 1_000n): SpanEvent => ({
  timeUnixNano,
  name,
  attributes: attrs(values),
  droppedAttributesCount: 0,
});

/** One resource with two scopes: `http` (two spans, one with events) and `db` (one span). */
const input = (): TracesData => [
  {
    resource: { attributes: attrs({ 'service.name': 'shop' }), droppedAttributesCount: 0 },
    scopeSpans: [
      {
        scope: {
          name: 'http',
          version: '1.2.0',
          attributes: attrs({ team: 'web' }),
          droppedAttributesCount: 0,
        },
        spans: [
          span({
            name: 'GET /pay',
            events: [
              event('exception', { 'exception.message': 'card 4111 1111 1111 1111 declined', code: 402 }),
              event('retry', { attempt: 2 }, 2_000n),
            ],
          }),
          span({ name: 'GET /health' }),
        ],
        schemaUrl: '',
      },
      {
        scope: { name: 'db', version: '0.9.0', attributes: [], droppedAttributesCount: 0 },
        spans: [span({ name: 'SELECT', events: [event('exception', { code: 1 })] })],
        schemaUrl: '',
      },
    ],
    schemaUrl: '',
  },
];

const run = (yaml: string): Promise<TracesData> => runProcessor(transformProcessorFactory, yaml, input());
const scopes = (data: TracesData) => data[0].scopeSpans.map((ss) => ss.scope);
const events = (data: TracesData) =>
  spansOf(data).map((s) => s.events.map((e) => [e.name, plain(e.attributes)]));

describe('transform processor: scope context', () => {
  it('runs once per scope, on the scope', async () => {
    const out = await run(
      `trace_statements:
  - context: scope
    statements:
      - set(attributes["owner"], resource.attributes["service.name"])
      - set(version, "2.0.0") where name == "http"
      - delete_key(attributes, "team")`,
    );
    expect(scopes(out).map((s) => [s.name, s.version, plain(s.attributes)])).toEqual([
      ['http', '2.0.0', { owner: 'shop' }],
      ['db', '0.9.0', { owner: 'shop' }],
    ]);
    expect(spansOf(out).map((s) => plain(s.attributes))).toEqual([{}, {}, {}]);
  });

  it('is inferred from scope. paths, and spans reach their scope as instrumentation_scope', async () => {
    const out = await run(
      `trace_statements:
  - 'set(scope.name, "renamed") where scope.attributes["team"] == "web"'
  - 'set(span.attributes["library"], instrumentation_scope.name)'`,
    );
    expect(scopes(out).map((s) => s.name)).toEqual(['renamed', 'db']);
    expect(spansOf(out).map((s) => plain(s.attributes).library)).toEqual(['renamed', 'renamed', 'db']);
  });

  it('cannot reach spans', async () => {
    const error = await run(
      'trace_statements: [{ context: scope, statements: [\'set(span.name, "x")\'] }]',
    ).then(
      () => undefined,
      (e: unknown) => (e as Error).message,
    );
    expect(error).toBe(
      'processors.transform.trace_statements[0].statements[0]: invalid OTTL "set(span.name, \\"x\\")": at column 5: span.name is not a settable path in scope context; known: name, version, attributes["key"], resource.attributes["key"]',
    );
  });
});

describe('transform processor: spanevent context', () => {
  it('runs once per event, with the event as its own attributes', async () => {
    const out = await run(
      `trace_statements:
  - context: spanevent
    conditions: ['name == "exception"']
    statements:
      - 'replace_pattern(attributes["exception.message"], "\\\\d{4}( \\\\d{4}){3}", "****")'
      - 'set(attributes["span"], span.name)'
      - 'set(name, "error") where attributes["code"] >= 400'`,
    );
    expect(events(out)).toEqual([
      [
        ['error', { 'exception.message': 'card **** declined', code: 402n, span: 'GET /pay' }],
        ['retry', { attempt: 2n }],
      ],
      [],
      [['exception', { code: 1n, span: 'SELECT' }]],
    ]);
  });

  it('is inferred from spanevent. paths even beside span. ones, and reaches the span', async () => {
    const out = await run(
      `trace_statements:
  - 'set(span.attributes["last_event"], spanevent.name)'
  - 'set(spanevent.time_unix_nano, span.start_time_unix_nano) where spanevent.name == "retry"'`,
    );
    expect(spansOf(out).map((s) => plain(s.attributes).last_event)).toEqual([
      'retry',
      undefined,
      'exception',
    ]);
    expect(spansOf(out)[0].events.map((e) => e.timeUnixNano)).toEqual([
      1_000n,
      spansOf(out)[0].startTimeUnixNano,
    ]);
  });

  it('map functions edit the event, the span or the resource as the path says', async () => {
    const out = await run(
      `trace_statements:
  - context: spanevent
    statements:
      - keep_keys(attributes, ["code"])
      - delete_key(resource.attributes, "service.name")`,
    );
    expect(events(out)[0]).toEqual([
      ['exception', { code: 402n }],
      ['retry', {}],
    ]);
    expect(plain(out[0].resource.attributes)).toEqual({});
  });

  it('a statement failing on one event goes on to the next under error_mode ignore', async () => {
    const out = await run(
      `error_mode: ignore
trace_statements:
  - context: spanevent
    statements: ['truncate_all(attributes["code"], 1)', 'set(attributes["seen"], true)']`,
    );
    expect(
      events(out)
        .flat()
        .map(([, a]) => (a as Record<string, unknown>).seen),
    ).toEqual([true, true, true]);
  });
});
