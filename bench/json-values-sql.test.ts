import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEngine } from '../test/support/chdb-test-session.js';
import { openTestEngine } from '../test/support/chdb-test-session.js';
import type { JsonValueKind } from './json-values-sql.js';
import { jsonValueSql } from './json-values-sql.js';
import { TRACE_SPANS_VIEW_SELECTS } from './trace-spans-view-selects.js';
import { applyMigrations } from '../src/store/schema/apply-migrations.js';
import { MIGRATIONS } from '../src/store/schema/migrations.js';
import { TRACE_SPANS_VIEW_SELECT, TRACE_SPANS_VIEW_WHERE } from '../src/store/schema/trace-spans-schema.js';

const plainWhenClean = TRACE_SPANS_VIEW_SELECTS['plain when clean'];

let engine: TestEngine;
beforeAll(() => {
  engine = openTestEngine();
});
afterAll(() => engine.close());

/** Texts JSON must escape, texts it need not, and the ones in between (`/`, DEL, U+2028). */
const TEXTS = [
  '',
  'plain',
  'GET /users/{id}',
  'naïve ☃ 🚀 日本語',
  'quote " inside',
  'back\\slash',
  'tab\tnew\nline\r',
  'bell \u0007 and unit separator \u001f',
  'nul \u0000 byte',
  'del \u007f',
  'line separator \u2028 and \u2029',
  "it's {traceId:String} \\N",
];

/** One JSON value a line, as ClickHouse writes them (TabSeparatedRaw: no escaping of its own). */
async function jsonLines(sql: string): Promise<unknown[]> {
  const text = (await engine.session.queryAsync(sql, { format: 'TabSeparatedRaw' })).text();
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

/** `x` of `from` written by jsonValueSql, checked against toJSONString's reading of the same. */
async function written(kind: JsonValueKind, from: string): Promise<unknown[]> {
  const values = await jsonLines(`SELECT ${jsonValueSql(kind, 'x')} FROM (${from})`);
  expect(values).toEqual(await jsonLines(`SELECT toJSONString(x) FROM (${from})`));
  return values;
}

const textsLiteral = `[${TEXTS.map((t) => `unhex('${Buffer.from(t).toString('hex')}')`).join(', ')}]`;

describe('jsonValueSql', () => {
  it('writes every text as toJSONString does, escaped or not', async () => {
    expect(await written('string', `SELECT arrayJoin(${textsLiteral}) AS x`)).toEqual(TEXTS);
  });

  it('writes arrays of texts, empty ones too', async () => {
    const values = await written(
      'strings',
      `SELECT arrayJoin([${textsLiteral}, [], ['one'], arraySlice(${textsLiteral}, 3, 2)]) AS x`,
    );
    expect(values).toEqual([TEXTS, [], ['one'], TEXTS.slice(2, 4)]);
  });

  it('writes maps of attribute types as objects, keys escaped where needed', async () => {
    const values = await written(
      'enumMap',
      `SELECT arrayJoin([map('a/b', 'int'), map(), map('q"k', 'double', 'z', 'bool')])` +
        `::Map(LowCardinality(String), Enum8('int' = 1, 'double' = 2, 'bool' = 3)) AS x`,
    );
    expect(values).toEqual([{ 'a/b': 'int' }, {}, { 'q"k': 'double', z: 'bool' }]);
  });

  it('copies bytes that are not UTF-8 as toJSONString does', async () => {
    const hex = async (sql: string): Promise<string> =>
      (await engine.session.queryAsync(`SELECT hex(${sql})`, { format: 'TabSeparatedRaw' })).text().trim();
    expect(await hex(jsonValueSql('string', "unhex('61ff62')"))).toBe(
      await hex("toJSONString(unhex('61ff62'))"),
    );
    expect(await hex(jsonValueSql('string', "unhex('61ff62')"))).toBe('2261FF6222');
  });

  it('skips toJSONString for clean text: `/` stays unescaped', async () => {
    const text = (
      await engine.session.queryAsync(`SELECT ${jsonValueSql('string', "'a/b'")}`, {
        format: 'TabSeparatedRaw',
      })
    ).text();
    expect(text.trim()).toBe('"a/b"');
  });
});

describe("the trace-spans view's SELECT with plain values when clean", () => {
  it("writes rows that parse exactly like the schema's, for any text in any value", async () => {
    const db = 'json_values';
    // Up to migration 6: the layout-2 view this experiment changes (migration 7 drops it).
    await applyMigrations(engine.run, db, {}, MIGRATIONS.slice(0, 6));
    await engine.run(
      `ALTER TABLE ${db}.tracehouse_trace_spans_mv MODIFY QUERY SELECT ${plainWhenClean} ` +
        `FROM ${db}.otel_traces WHERE ${TRACE_SPANS_VIEW_WHERE}`,
    );
    const rows = TEXTS.map((text, i) => ({
      Timestamp: '2030-01-02 03:04:05.123456789',
      TraceId: `${i}`.padStart(32, '0'),
      SpanId: `${i}`.padStart(16, '0'),
      ParentSpanId: i % 2 === 0 ? '' : 'ab'.repeat(8),
      TraceState: text,
      SpanName: text,
      SpanKind: 'Server',
      ServiceName: text,
      ResourceAttributes: { 'service.name': text, [`r${text}`]: 'x' },
      ScopeName: text,
      ScopeVersion: text,
      SpanAttributes: i % 3 === 0 ? {} : { [text]: text, n: '1' },
      Duration: 1500000 + i,
      StatusCode: 'Error',
      StatusMessage: text,
      'Events.Timestamp': i % 2 === 0 ? [] : ['2030-01-02 03:04:05.200000001'],
      'Events.Name': i % 2 === 0 ? [] : [text],
      'Events.Attributes': i % 2 === 0 ? [] : [{ [text]: text }],
      'Links.TraceId': i % 4 === 0 ? [] : ['5b8aa5a2d2c872e8321cf37308d69df2'],
      'Links.SpanId': i % 4 === 0 ? [] : ['051581bf3cb55c13'],
      'Links.TraceState': i % 4 === 0 ? [] : [text],
      'Links.Attributes': i % 4 === 0 ? [] : [{ k: text }],
      ResourceSchemaUrl: i % 3 === 0 ? '' : 'https://opentelemetry.io/schemas/1.26.0',
      ScopeAttributes: i % 3 === 0 ? {} : { [text]: text },
      ScopeDroppedAttributesCount: i % 3,
      Flags: 0x301 + i,
      SpanAttributeTypes: i % 3 === 0 ? {} : { n: 'int', [text]: 'string' },
      SpanAttributeAnyValues:
        i % 3 === 0 ? {} : { [text]: `{"arrayValue":{"values":[{"stringValue":${JSON.stringify(text)}}]}}` },
      DroppedAttributesCount: i,
      DroppedEventsCount: i + 1,
      DroppedLinksCount: i + 2,
    }));
    await engine.run(
      `INSERT INTO ${db}.otel_traces FORMAT JSONEachRow ${rows.map((r) => JSON.stringify(r)).join('\n')}`,
    );
    // Text that is not UTF-8, which JSONEachRow cannot carry.
    await engine.run(
      `INSERT INTO ${db}.otel_traces (Timestamp, TraceId, SpanId, SpanName, SpanAttributes)
       SELECT now64(9), '${'f'.repeat(32)}', '${'f'.repeat(16)}', unhex('61ff62'), map(unhex('6bff'), unhex('76ff'))`,
    );
    const read = async (sql: string): Promise<Map<string, string>> => {
      const text = (await engine.session.queryAsync(sql, { format: 'TabSeparatedRaw' })).text();
      return new Map(
        text
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => {
            const tab = line.indexOf('\t');
            return [line.slice(0, tab), line.slice(tab + 1)] as const;
          }),
      );
    };
    const viewSelect = (select: string): string =>
      `SELECT TraceId, Span FROM (SELECT ${select} FROM ${db}.otel_traces) ORDER BY TraceId`;
    const before = await read(viewSelect(TRACE_SPANS_VIEW_SELECT));
    const stored = await read(`SELECT TraceId, Span FROM ${db}.tracehouse_trace_spans ORDER BY TraceId`);
    expect([...stored.keys()]).toEqual([...before.keys()]);
    expect(stored.size).toBe(TEXTS.length + 1);
    for (const [traceId, span] of stored) {
      expect(JSON.parse(span), traceId).toEqual(JSON.parse(before.get(traceId)!));
    }
    // The view ran the plain SELECT, which left `/` of clean text unescaped.
    expect(await read(viewSelect(plainWhenClean))).toEqual(stored);
    expect(stored.get('2'.padStart(32, '0'))).toContain('"GET /users/{id}"');
    expect(before.get('2'.padStart(32, '0'))).toContain('"GET \\/users\\/{id}"');
  });
});
