import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureStore } from '../../../../test/support/fixture-store.js';
import { openFixtureStore } from '../../../../test/support/fixture-store.js';
import { syntheticTrace } from '../../../../bench/ui-bench-trace.js';
import { decodeExportTraceServiceRequestJson } from '../../../otlp/json/decode-traces-json.js';
import { encodeSpanBlocks } from '../../../store/rows/span-blocks.js';
import { CompactTraceBuilder } from './compact-trace-builder.js';
import type { CompactTrace } from './compact-trace-format.js';

/*
 * The corpus pair testdata/every-field.{otlp,compact}.json is the contract between this builder and
 * the UI's decoder (ui/src/trace/decode-compact-trace.test.ts reads both files and checks that the
 * compact form decodes to what the OTLP/JSON reads as). The OTLP/JSON goes through a real store —
 * stored rows, read back, built — as the route does. UPDATE_CORPUS=1 rewrites the compact file.
 */
const TESTDATA = new URL('./testdata/', import.meta.url);
const TRACE_ID = '5b8efff798038103d269b633813fc600';
const TENANT = 'compact';

let fixture: FixtureStore;

beforeAll(async () => {
  const otlp: unknown = JSON.parse(readFileSync(new URL('every-field.otlp.json', TESTDATA), 'utf8'));
  fixture = await openFixtureStore({ [TENANT]: decodeExportTraceServiceRequestJson(otlp) });
});

afterAll(async () => {
  await fixture?.close();
});

async function build(traceId: string): Promise<CompactTrace | undefined> {
  const json = await fixture.store.getTraceBuilt(TENANT, traceId, undefined, 'test-compact', () => {
    const builder = new CompactTraceBuilder(traceId);
    return { add: (row) => builder.add(row), finish: () => JSON.stringify(builder.finish()) };
  });
  return json === undefined ? undefined : (JSON.parse(json) as CompactTrace);
}

/** Every span with its strings and values looked up: what must not change, whatever the tables' order. */
function resolved(trace: CompactTrace) {
  const { strings, values, spans } = trace;
  const pairs = (list: readonly number[]) => {
    const out: [string, unknown][] = [];
    for (let i = 0; i < list.length; i += 2) out.push([strings[list[i]], values[list[i + 1]]]);
    return out;
  };
  let attribute = 0;
  return spans.spanId.map((spanId, i) => {
    const scope = trace.scopes[spans.scope[i]];
    const own = spans.attributes.slice(attribute, (attribute += 2 * spans.attributeCount[i]));
    return {
      spanId,
      parent: spans.parent[i],
      resource: pairs(trace.resources[scope.resource].attributes),
      scope: [strings[scope.name], strings[scope.version], pairs(scope.attributes)],
      name: strings[spans.name[i]],
      kind: spans.kind[i],
      start: spans.start[i],
      duration: spans.duration[i],
      status: [spans.statusCode[i], strings[spans.statusMessage[i]]],
      traceState: strings[spans.traceState[i]],
      attributes: pairs(own),
      events: trace.events.span.flatMap((s, e) =>
        s === i
          ? [[trace.events.time[e], strings[trace.events.name[e]], pairs(trace.events.attributes[e])]]
          : [],
      ),
      links: trace.links.span.flatMap((s, l) =>
        s === i
          ? [
              [
                trace.links.traceId[l],
                trace.links.spanId[l],
                strings[trace.links.traceState[l]],
                pairs(trace.links.attributes[l]),
              ],
            ]
          : [],
      ),
    };
  });
}

describe('CompactTraceBuilder', () => {
  let compact: CompactTrace;
  beforeAll(async () => {
    compact = (await build(TRACE_ID))!;
  });
  const spanAt = (id: string) => compact.spans.spanId.indexOf(id);

  it('matches the corpus file the UI decoder is tested against', () => {
    const file = new URL('every-field.compact.json', TESTDATA);
    if (process.env.UPDATE_CORPUS === '1') writeFileSync(file, `${JSON.stringify(compact, null, 1)}\n`);
    const corpus = JSON.parse(readFileSync(file, 'utf8')) as CompactTrace;
    expect(resolved(compact)).toEqual(resolved(corpus));
    expect([compact.version, compact.traceId, compact.startUnixNano]).toEqual([
      corpus.version,
      corpus.traceId,
      corpus.startUnixNano,
    ]);
  });

  it('orders spans by start and keeps times exact relative to the earliest start', () => {
    expect(compact.startUnixNano).toBe('1795629961023456789');
    expect(compact.spans.spanId).toEqual([
      '00000000000000b1',
      '00000000000000a1',
      '00000000000000d1',
      '00000000000000c1',
      '00000000000000e1',
    ]);
    const c1 = spanAt('00000000000000c1');
    expect(compact.spans.start[c1]).toBe(100_000_212);
    expect(compact.spans.duration[c1]).toBe(399_999_998);
    // 200 days after the start is past 2^53 ns: text, not a rounded number.
    expect(compact.spans.start[spanAt('00000000000000e1')]).toBe('17280000100000000');
    const events = compact.events.span.map((s, e) => [s, compact.events.time[e]]);
    expect(events).toEqual([
      [c1, 176_543_212],
      [c1, 76_543_211],
    ]);
  });

  it('writes parents as positions, -1 for roots, and the id of a parent not in the trace', () => {
    const a1 = spanAt('00000000000000a1');
    expect(compact.spans.parent[a1]).toBe(-1);
    expect(compact.spans.parent[spanAt('00000000000000c1')]).toBe(a1);
    expect(compact.spans.parent[spanAt('00000000000000d1')]).toBe('00000000000000ff');
  });

  it('codes every string once and every scalar value once, keeping int, double and string apart', () => {
    expect(new Set(compact.strings).size).toBe(compact.strings.length);
    expect(compact.strings[0]).toBe('');
    const c1 = resolved(compact)[spanAt('00000000000000c1')];
    expect(Object.fromEntries(c1.attributes)).toMatchObject({
      s: 'GET',
      'empty string': '',
      b: { boolValue: false },
      i: { intValue: '9007199254740993' },
      negative: { intValue: '-9223372036854775808' },
      'int three': { intValue: '3' },
      'double three': { doubleValue: 3 },
      'string three': '3',
      nan: { doubleValue: 'NaN' },
      inf: { doubleValue: '-Infinity' },
      bytes: { bytesValue: '3q2+7w==' },
      none: {},
    });
    // "GET" is one value however many spans and arrays hold it.
    expect(compact.values.filter((v) => v === 'GET')).toHaveLength(1);
  });

  it('is undefined for a trace with no stored span', async () => {
    expect(await build('0'.repeat(31) + '9')).toBeUndefined();
  });

  it('builds a trace of several slices of rows, fed in any order, in start then span id order', async () => {
    const traceId = 'b1'.repeat(16);
    const data = syntheticTrace(traceId, 5000, Date.now() - 60_000);
    await fixture.store.insertSpans(TENANT, encodeSpanBlocks(data));
    const trace = (await build(traceId))!;
    const { spans } = trace;
    expect(spans.spanId).toHaveLength(5000);
    const starts = spans.start as number[];
    for (let i = 1; i < starts.length; i++) {
      const ordered =
        starts[i - 1] < starts[i] || (starts[i - 1] === starts[i] && spans.spanId[i - 1] < spans.spanId[i]);
      expect(ordered, `span ${i}`).toBe(true);
    }
    // The synthetic tree: span k's parent is span ⌊(k − 1) / 4⌋ (ids are k + 1 in hex).
    const position = new Map(spans.spanId.map((id, p) => [id, p]));
    const idOf = (k: number) => (k + 1).toString(16).padStart(16, '0');
    for (const k of [1, 4, 5, 1234, 4999])
      expect(spans.parent[position.get(idOf(k))!]).toBe(position.get(idOf(Math.floor((k - 1) / 4))));
    expect(trace.events.span).toHaveLength(500);
    expect(trace.events.span.every((s, e) => e === 0 || s >= trace.events.span[e - 1])).toBe(true);
  });
});
