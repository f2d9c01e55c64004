import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from './apply-migrations.js';
import type { TestEngine } from '../../../test/support/chdb-test-session.js';
import { openTestEngine } from '../../../test/support/chdb-test-session.js';

let engine: TestEngine;
const db = 'round_trip';
beforeAll(async () => {
  engine = openTestEngine();
  await applyMigrations(engine.run, db);
});
afterAll(() => engine.close());

const kvlist = '{"kvlistValue":{"values":[{"key":"k","value":{"doubleValue":1}}]}}';
const array = '{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":"1"},{"bytesValue":"AAE="}]}}';

/** One span carrying everything the collector's columns cannot: typed attributes, counts, flags. */
const row = {
  Timestamp: '2030-01-02 03:04:05.123456789',
  TraceId: '0af7651916cd43dd8448eb211c80319c',
  SpanId: 'b7ad6b7169203331',
  ParentSpanId: '00f067aa0ba902b7',
  TraceState: 'vendor=x',
  SpanName: 'GET /users/{id}',
  SpanKind: 'Server',
  ServiceName: 'user-service',
  ResourceAttributes: { 'service.name': 'user-service', 'process.pid': '4242' },
  ScopeName: '@opentelemetry/instrumentation-http',
  ScopeVersion: '0.57.0',
  SpanAttributes: {
    'http.method': 'GET',
    'http.status_code': '200',
    ratio: '0.1',
    cached: 'false',
    blob: 'AAEC',
    tags: '["a",1,"AAE="]',
    nested: '{"k":1}',
    none: '',
  },
  Duration: 1500000,
  StatusCode: 'Error',
  StatusMessage: 'boom',
  'Events.Timestamp': ['2030-01-02 03:04:05.200000001', '2030-01-02 03:04:05.300000002'],
  'Events.Name': ['exception', 'retry'],
  'Events.Attributes': [{ 'exception.type': 'Error' }, { attempt: '2' }],
  'Links.TraceId': ['5b8aa5a2d2c872e8321cf37308d69df2'],
  'Links.SpanId': ['051581bf3cb55c13'],
  'Links.TraceState': [''],
  'Links.Attributes': [{ 'link.weight': '0.5' }],
  // Tracehouse's columns.
  ResourceSchemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
  ResourceAttributeTypes: { 'process.pid': 'int' },
  ResourceAttributeAnyValues: {},
  ResourceDroppedAttributesCount: 1,
  ScopeSchemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
  ScopeAttributes: { 'scope.attr': 'true' },
  ScopeAttributeTypes: { 'scope.attr': 'bool' },
  ScopeAttributeAnyValues: {},
  ScopeDroppedAttributesCount: 2,
  Flags: 0x301,
  SpanAttributeTypes: {
    'http.status_code': 'int',
    ratio: 'double',
    cached: 'bool',
    blob: 'bytes',
    tags: 'array',
    nested: 'kvlist',
    none: 'empty',
  },
  SpanAttributeAnyValues: { tags: array, nested: kvlist },
  DroppedAttributesCount: 3,
  DroppedEventsCount: 4,
  DroppedLinksCount: 5,
  EventsAttributeTypes: [{}, { attempt: 'int' }],
  EventsAttributeAnyValues: [{}, {}],
  EventsDroppedAttributesCount: [0, 6],
  LinksFlags: [0x101],
  LinksAttributeTypes: [{ 'link.weight': 'double' }],
  LinksAttributeAnyValues: [{}],
  LinksDroppedAttributesCount: [7],
};

describe('a span row with Tracehouse columns', () => {
  it('reads back exactly as inserted', async () => {
    await engine.run(`INSERT INTO ${db}.otel_traces FORMAT JSONEachRow ${JSON.stringify(row)}`);
    const [back] = await engine.rows<Record<string, unknown>>(`SELECT * FROM ${db}.otel_traces`);
    expect(back).toEqual(row);
  });

  it('keeps nanoseconds and attribute order', async () => {
    expect(
      await engine.value(
        `SELECT toUnixTimestamp64Nano(Timestamp), mapKeys(SpanAttributes), SpanAttributeTypes['http.method'] FROM ${db}.otel_traces`,
      ),
    ).toBe(
      "1893553445123456789\t['http.method','http.status_code','ratio','cached','blob','tags','nested','none']\tstring",
    );
  });

  it("feeds the collector's trace id → time range table", async () => {
    const rows = await engine.rows(
      `SELECT TraceId, min(Start) AS Start, max(End) AS End FROM ${db}.otel_traces_trace_id_ts GROUP BY TraceId`,
    );
    expect(rows).toEqual([
      { TraceId: row.TraceId, Start: '2030-01-02 03:04:05', End: '2030-01-02 03:04:05' },
    ]);
  });
});
