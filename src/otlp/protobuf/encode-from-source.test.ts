import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { makeRealisticBatch } from '../../../bench/realistic-batch.js';
import { everyKindBatch } from '../../../test/support/every-kind-batch.js';
import type { KeyValue } from '../../model/attributes.js';
import type { TracesData } from '../../model/span.js';
import { attributesProcessorFactory } from '../../processors/attributes/attributes-config.js';
import { attrs, batch, runProcessor, span, spansOf } from '../../processors/processor-test-support.js';
import { redactionProcessorFactory } from '../../processors/redaction/redaction-config.js';
import { decodeExportTraceServiceRequest } from './decode-traces.js';
import { decodeExportTraceServiceRequestWithSources } from './decode-traces-with-sources.js';
import {
  encodeExportTraceServiceRequest,
  encodeExportTraceServiceRequestFromSource,
} from './encode-traces.js';
import type { SourcedKeyValue } from './model-records.js';

/*
 * A processor worker decodes a request with sources, runs its processors and encodes the result
 * copying what they left as it was (processor-worker.ts). Its output must be what encoding the
 * processors' result from scratch gives: the same bytes, for any request (random changes and
 * non-canonical requests: encode-from-source-mutations.test.ts).
 */

const ATTRIBUTES = `
actions:
  - { key: deployment.environment, value: production, action: insert }
  - { key: user_agent.original, action: delete }
  - { key: url.path, action: hash }
  - { key: http.route, value: /changed, action: update }
`;
const REDACTION = `
allow_all_keys: true
blocked_values: ['\\b\\d{4}[- ]?\\d{4}[- ]?\\d{4}[- ]?\\d{4}\\b']
`;

async function processed(data: TracesData): Promise<TracesData> {
  const afterAttributes = await runProcessor(attributesProcessorFactory, ATTRIBUTES, data);
  return runProcessor(redactionProcessorFactory, REDACTION, afterAttributes);
}

/** The worker's way and the plain way from the same request bytes. */
async function bothWays(request: Buffer): Promise<{ copied: Buffer; encoded: Buffer; expected: TracesData }> {
  const expected = await processed(decodeExportTraceServiceRequest(request));
  const withSources = await processed(decodeExportTraceServiceRequestWithSources(request));
  return {
    copied: encodeExportTraceServiceRequestFromSource(withSources, request),
    encoded: encodeExportTraceServiceRequest(expected),
    expected,
  };
}

function isSourced(kv: KeyValue): boolean {
  return (kv as Partial<SourcedKeyValue>).sourceEnd !== undefined;
}

/** Every attribute list of a batch: resource, scope, span, event and link attributes. */
function attributeLists(data: TracesData): KeyValue[][] {
  return data.flatMap((rs) => [
    rs.resource.attributes,
    ...rs.scopeSpans.flatMap((ss) => [
      ss.scope.attributes,
      ...ss.spans.flatMap((s) => [
        s.attributes,
        ...s.events.map((e) => e.attributes),
        ...s.links.map((l) => l.attributes),
      ]),
    ]),
  ]);
}

/** A batch with attributes the fast path reads, ones it leaves to the general decoder, and a card number. */
function mixedBatch(): TracesData {
  const data = everyKindBatch('ab'.repeat(16));
  const s = spansOf(data)[0];
  s.attributes.push(
    { key: 'url.path', value: '/items/42' },
    { key: 'user_agent.original', value: 'curl/8' },
    { key: 'http.route', value: '/items/:id' },
    { key: 'long', value: 'x'.repeat(300) },
    { key: 'card', value: 'paid with 4111 1111 1111 1111' },
    { key: 'big', value: 1n << 60n },
    { key: 'negative', value: -5n },
  );
  return data;
}

describe('encoding from the source request', () => {
  it('gives the bytes a fresh encoding gives, for a realistic request (changed, deleted, inserted and untouched attributes)', async () => {
    const request = encodeExportTraceServiceRequest(makeRealisticBatch(512, 3));
    const { copied, encoded, expected } = await bothWays(request);
    expect(copied.equals(encoded)).toBe(true);
    expect(isDeepStrictEqual(decodeExportTraceServiceRequest(copied), expected)).toBe(true);
    // The processors did change every span: something was encoded, not only copied.
    expect(
      spansOf(expected).every((s) => s.attributes.some((kv) => kv.key === 'deployment.environment')),
    ).toBe(true);
  });

  it('gives the bytes a fresh encoding gives for every attribute type, in every attribute list', async () => {
    const request = encodeExportTraceServiceRequest(mixedBatch());
    const { copied, encoded, expected } = await bothWays(request);
    expect(copied.equals(encoded)).toBe(true);
    expect(isDeepStrictEqual(decodeExportTraceServiceRequest(copied), expected)).toBe(true);
    const attributes = spansOf(expected)[0].attributes;
    expect(attributes.find((kv) => kv.key === 'card')?.value).toBe('paid with ****');
    expect(attributes.find((kv) => kv.key === 'http.route')?.value).toBe('/changed');
  });

  it('copies the attributes left unchanged from the source bytes', () => {
    const request = encodeExportTraceServiceRequest(
      batch([span({ attributes: attrs({ method: 'GET', n: 7 }) })]),
    );
    const data = decodeExportTraceServiceRequestWithSources(request);
    // Proof of the copy: bytes changed in the source after decoding show in the output.
    const at = request.indexOf('GET');
    request.write('GOT', at, 'latin1');
    const out = decodeExportTraceServiceRequest(encodeExportTraceServiceRequestFromSource(data, request));
    expect(spansOf(out)[0].attributes).toEqual(attrs({ method: 'GOT', n: 7 }));
  });

  it('marks scalar attributes with their source, but not bytes, arrays and kvlists, which can change in place', () => {
    const data = decodeExportTraceServiceRequestWithSources(encodeExportTraceServiceRequest(mixedBatch()));
    const sourced = new Map(
      attributeLists(data)
        .flat()
        .map((kv) => [kv.key, isSourced(kv)]),
    );
    for (const key of [
      's',
      'i',
      'd',
      'nan',
      'b',
      'empty',
      'long',
      'big',
      'negative',
      'service.name',
      'scope.flag',
    ])
      expect([key, sourced.get(key)]).toEqual([key, true]);
    for (const key of ['bytes', 'arr', 'kv']) expect([key, sourced.get(key)]).toEqual([key, false]);
  });

  it('encodes an attribute changed in place instead of copying its old bytes', () => {
    const request = encodeExportTraceServiceRequest(
      batch([span({ attributes: attrs({ a: 'old', b: 1, c: 'same', bytes: new Uint8Array([1, 2]) }) })]),
    );
    const data = decodeExportTraceServiceRequestWithSources(request);
    const [a, b, , bytes] = spansOf(data)[0].attributes;
    a.value = 'new';
    b.key = 'renamed';
    (bytes.value as Uint8Array)[0] = 9;
    const out = decodeExportTraceServiceRequest(encodeExportTraceServiceRequestFromSource(data, request));
    expect(spansOf(out)[0].attributes).toEqual(
      attrs({ a: 'new', renamed: 1, c: 'same', bytes: new Uint8Array([9, 2]) }),
    );
  });

  it('writes a copied attribute under the field of the list it is in now', () => {
    const request = encodeExportTraceServiceRequest(
      batch([span({ attributes: attrs({ on: 'span' }), events: [] })], {
        'service.name': 'svc',
        region: 'eu',
      }),
    );
    const data = decodeExportTraceServiceRequestWithSources(request);
    const s = spansOf(data)[0];
    const region = data[0].resource.attributes.pop()!;
    s.attributes.push(region);
    s.events.push({ timeUnixNano: 1n, name: 'e', attributes: [s.attributes[0]], droppedAttributesCount: 0 });
    data[0].scopeSpans[0].scope.attributes.push(s.attributes[0]);
    const out = decodeExportTraceServiceRequest(encodeExportTraceServiceRequestFromSource(data, request));
    const outSpan = spansOf(out)[0];
    expect(out[0].resource.attributes).toEqual(attrs({ 'service.name': 'svc' }));
    expect(out[0].scopeSpans[0].scope.attributes).toEqual(attrs({ on: 'span' }));
    expect(outSpan.attributes).toEqual(attrs({ on: 'span', region: 'eu' }));
    expect(outSpan.events[0].attributes).toEqual(attrs({ on: 'span' }));
  });

  it('copies attributes a processor reordered in their new order', () => {
    const request = encodeExportTraceServiceRequest(
      batch([span({ attributes: attrs({ a: 'x', b: 2, c: 'z', d: 4 }) })]),
    );
    const data = decodeExportTraceServiceRequestWithSources(request);
    const attributes = spansOf(data)[0].attributes;
    attributes.reverse();
    attributes.splice(2, 0, { key: 'new', value: 'n' });
    const out = decodeExportTraceServiceRequest(encodeExportTraceServiceRequestFromSource(data, request));
    expect(spansOf(out)[0].attributes).toEqual(attrs({ d: 4, c: 'z', new: 'n', b: 2, a: 'x' }));
  });

  it('does not copy an attribute whose bytes do not say its value (invalid UTF-8 read as U+FFFD)', () => {
    const request = encodeExportTraceServiceRequest(
      batch([span({ attributes: attrs({ bad: 'abc', good: 'ok' }) })]),
    );
    request[request.indexOf('abc') + 1] = 0xff;
    const data = decodeExportTraceServiceRequestWithSources(request);
    expect(spansOf(data)[0].attributes.map(isSourced)).toEqual([false, false]);
    const copied = encodeExportTraceServiceRequestFromSource(data, request);
    expect(copied.equals(encodeExportTraceServiceRequest(decodeExportTraceServiceRequest(request)))).toBe(
      true,
    );
    expect(spansOf(decodeExportTraceServiceRequest(copied))[0].attributes).toEqual(
      attrs({ bad: 'a\uFFFDc', good: 'ok' }),
    );
  });
});
