import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptySpan } from '../model/factories.js';
import type { TracesData } from '../model/span.js';
import { expectedFlatSpan, flattenSpans, makeSdkSpans } from '../../test/support/sdk-spans.js';
import { EmbeddedDriver } from './driver/embedded-driver.js';
import { SPAN_ROW_COLUMNS } from './rows/span-row-columns.js';
import { encodeSpanRows } from './rows/encode-span-rows.js';
import { TraceStore } from './trace-store.js';
import { InvalidTenantError, tenantDatabaseName } from './schema/tenant-database.js';

let dir: string;
let driver: EmbeddedDriver;
let store: TraceStore;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tracehouse-store-'));
  driver = await EmbeddedDriver.open(dir);
  store = new TraceStore(driver, { retentionSeconds: 7 * 86400 });
});
afterAll(async () => {
  await driver.close();
  rmSync(dir, { recursive: true, force: true });
});

const bySpanId = <T extends { span: { spanId: string } }>(xs: T[]): T[] =>
  [...xs].sort((a, b) => a.span.spanId.localeCompare(b.span.spanId));

const NOW = BigInt(Date.now()) * 1_000_000n;

function everyKindBatch(traceId: string): TracesData {
  return [
    {
      resource: {
        attributes: [
          { key: 'service.name', value: 'typed-service' },
          { key: 'host.cores', value: 8n },
        ],
        droppedAttributesCount: 2,
      },
      schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      scopeSpans: [
        {
          scope: {
            name: 'lib',
            version: '1.0',
            attributes: [{ key: 'scope.flag', value: true }],
            droppedAttributesCount: 1,
          },
          schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
          spans: [
            {
              ...emptySpan(),
              traceId,
              spanId: '1111111111111111',
              parentSpanId: '2222222222222222',
              traceState: 'a=b',
              flags: 0x301,
              name: 'typed',
              kind: 3,
              startTimeUnixNano: NOW + 123n,
              endTimeUnixNano: NOW + 5_000_456n,
              attributes: [
                { key: 's', value: 'text ☃' },
                { key: 'i', value: -9_223_372_036_854_775_808n },
                { key: 'd', value: 0.1 },
                { key: 'whole-double', value: 3 },
                { key: 'nan', value: Number.NaN },
                { key: 'b', value: false },
                { key: 'bytes', value: new Uint8Array([0, 1, 255]) },
                { key: 'arr', value: ['x', 1n, 1.5, true, null, new Uint8Array([9])] },
                {
                  key: 'kv',
                  value: { kvlistValue: [{ key: 'n', value: { kvlistValue: [{ key: 'x', value: 2n }] } }] },
                },
                { key: 'empty', value: null },
                { key: '200', value: 'numeric-looking key' },
              ],
              droppedAttributesCount: 3,
              events: [
                {
                  timeUnixNano: NOW + 1000n,
                  name: 'plain',
                  attributes: [{ key: 'k', value: 'v' }],
                  droppedAttributesCount: 0,
                },
                {
                  timeUnixNano: NOW + 2000n,
                  name: 'typed',
                  attributes: [{ key: 'n', value: 5n }],
                  droppedAttributesCount: 4,
                },
              ],
              droppedEventsCount: 6,
              links: [
                {
                  traceId: 'abababababababababababababababab',
                  spanId: 'cdcdcdcdcdcdcdcd',
                  traceState: 'x=y',
                  attributes: [{ key: 'w', value: 0.5 }],
                  droppedAttributesCount: 1,
                  flags: 0x101,
                },
              ],
              droppedLinksCount: 7,
              status: { code: 2, message: 'boom' },
            },
          ],
        },
      ],
    },
  ];
}

describe('TraceStore on the embedded engine', () => {
  it('writes exactly the columns the migrated table has, in its order', async () => {
    const database = await store.database('single-tenant');
    const columns = await driver.query<{ name: string; type: string }>(
      `SELECT name, type FROM system.columns WHERE database = {db:String} AND table = 'otel_traces' AND default_kind != 'ALIAS' ORDER BY position`,
      { db: database },
    );
    const flattened = columns.flatMap(({ name, type }) => {
      const nested = /^Nested\((.*)\)$/.exec(type);
      if (!nested) return [[name, type]];
      return nested[1].split(/, (?=[A-Z]\w* )/).map((field) => {
        const [fieldName, ...rest] = field.split(' ');
        return [`${name}.${fieldName}`, `Array(${rest.join(' ')})`];
      });
    });
    expect(flattened).toEqual(SPAN_ROW_COLUMNS.map(([n, t]) => [n, t]));
  });

  it('reads back a span with every attribute type, counts, flags and schema URLs exactly', async () => {
    const traceId = '0123456789abcdef0123456789abcdef';
    const batch = everyKindBatch(traceId);
    await store.insertSpanRows('single-tenant', encodeSpanRows(batch), 'typed-1');
    const back = await store.getTrace('single-tenant', traceId);
    expect(back).toEqual(batch);
  });

  it('reads back what the real OpenTelemetry SDK produced, field by field', async () => {
    const spans = await makeSdkSpans();
    const expected = spans.map(expectedFlatSpan);
    await store.insertSpanRows(
      'single-tenant',
      encodeSpanRows(
        expected.map((f) => ({
          resource: f.resource,
          schemaUrl: '',
          scopeSpans: [{ scope: f.scope, schemaUrl: '', spans: [f.span] }],
        })),
      ),
      'sdk-1',
    );
    const back = await store.getTrace('single-tenant', spans[0].spanContext().traceId, {
      start: 1_699_999_999,
      end: 1_700_000_010,
    });
    expect(bySpanId(flattenSpans(back!))).toEqual(bySpanId(expected));
  });

  it('stores a retried insert with the same token once', async () => {
    const traceId = 'fedcba9876543210fedcba9876543210';
    const rows = encodeSpanRows(everyKindBatch(traceId));
    await store.insertSpanRows('single-tenant', rows, 'retry-token');
    await store.insertSpanRows('single-tenant', rows, 'retry-token');
    expect(flattenSpans((await store.getTrace('single-tenant', traceId))!)).toHaveLength(1);
  });

  it('keeps tenants apart and refuses bad tenant names', async () => {
    const traceId = '99999999999999999999999999999999';
    await store.insertSpanRows('team-a', encodeSpanRows(everyKindBatch(traceId)), 'a-1');
    expect(await store.getTrace('team-a', traceId)).toBeDefined();
    expect(await store.getTrace('team-b', traceId)).toBeUndefined();
    expect(tenantDatabaseName('team-a')).not.toBe(tenantDatabaseName('team-b'));
    await expect(store.getTrace('x`; DROP DATABASE system; --', traceId)).rejects.toBeInstanceOf(
      InvalidTenantError,
    );
  });

  it('answers undefined for an unknown trace', async () => {
    expect(await store.getTrace('single-tenant', '00000000000000000000000000000001')).toBeUndefined();
  });
});
