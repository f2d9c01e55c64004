import { describe, expect, it } from 'vitest';
import { makeRealisticBatch } from '../../../bench/realistic-batch.js';
import { everyKindBatch } from '../../../test/support/every-kind-batch.js';
import type { Rewrites } from '../../../test/support/non-canonical-request.js';
import { NO_REWRITES, nonCanonicalRequest } from '../../../test/support/non-canonical-request.js';
import { mutateRandomly } from '../../../test/support/random-span-mutations.js';
import type { TracesData } from '../../model/span.js';
import { batch, span, spansOf } from '../../processors/processor-test-support.js';
import { createRng } from '../../traceql/fuzz/random.js';
import { decodeExportTraceServiceRequestWithSources } from './decode-traces-with-sources.js';
import { decodeExportTraceServiceRequest } from './decode-traces.js';
import {
  encodeExportTraceServiceRequest,
  encodeExportTraceServiceRequestFromSource,
} from './encode-traces.js';
import { ProtoWriter } from './proto-writer.js';
import type { SourcedSpan, SourcedSpanEvent } from './sourced-span-records.js';

/*
 * Property tests of encodeExportTraceServiceRequestFromSource: for a request decoded with sources
 * and changed at random (test/support/random-span-mutations.ts), its output must be the bytes a
 * fresh encode of the same changes to a plain decode gives — also when the request was not
 * canonically encoded (test/support/non-canonical-request.ts), when copying its bytes would give
 * other bytes. Seeded: a failure names the seed that reproduces it.
 */

/** Spans with links (attributes, flags, trace state), events with dropped counts, several scopes. */
function linkedBatch(): TracesData {
  const linked = span({
    name: 'linked',
    kind: 2,
    startTimeUnixNano: 1_700_000_000_000_000_000n,
    endTimeUnixNano: 1_700_000_000_000_500_000n,
    parentSpanId: '12'.repeat(8),
    traceState: 'a=1',
    flags: 0x100,
    attributes: [{ key: 'k', value: 'v' }],
    events: [
      { timeUnixNano: 5n, name: 'e1', attributes: [], droppedAttributesCount: 2 },
      { timeUnixNano: 6n, name: '', attributes: [{ key: 'x', value: 1n }], droppedAttributesCount: 0 },
    ],
    links: [
      {
        traceId: 'ef'.repeat(16),
        spanId: '34'.repeat(8),
        traceState: 'b=2',
        attributes: [
          { key: 'link.kind', value: 'follows' },
          { key: 'n', value: 3n },
        ],
        droppedAttributesCount: 1,
        flags: 0x301,
      },
      {
        traceId: 'ee'.repeat(16),
        spanId: '56'.repeat(8),
        traceState: '',
        attributes: [],
        droppedAttributesCount: 0,
        flags: 0,
      },
    ],
    status: { code: 2, message: 'failed' },
  });
  const data = batch([linked, span({ name: 'plain', spanId: '78'.repeat(8) })]);
  data[0].scopeSpans.push({
    scope: { name: 'other', version: '2', attributes: [], droppedAttributesCount: 0 },
    spans: [span({ name: 'in other scope', spanId: '9a'.repeat(8), droppedLinksCount: 4 })],
    schemaUrl: 'https://example.com/schema',
  });
  return data;
}

const BASES: readonly (() => TracesData)[] = [
  () => everyKindBatch('ab'.repeat(16)),
  () => makeRealisticBatch(24, 7),
  linkedBatch,
];

/** Both ways from the same request and the same random changes: the copy and the fresh encode. */
function bothWays(request: Buffer, seed: number, changes: number): { copied: Buffer; encoded: Buffer } {
  const plain = decodeExportTraceServiceRequest(request);
  const sourced = decodeExportTraceServiceRequestWithSources(request);
  mutateRandomly(plain, createRng(seed), changes);
  mutateRandomly(sourced, createRng(seed), changes);
  return {
    copied: encodeExportTraceServiceRequestFromSource(sourced, request),
    encoded: encodeExportTraceServiceRequest(plain),
  };
}

function checkSeeds(seeds: number, rewrites: Rewrites): void {
  for (let seed = 1; seed <= seeds; seed++) {
    const rng = createRng(seed * 7919);
    const base = encodeExportTraceServiceRequest(BASES[seed % BASES.length]());
    const request = rewrites === NO_REWRITES ? base : nonCanonicalRequest(base, rng, rewrites);
    const { copied, encoded } = bothWays(request, seed, rng.int(6));
    // The seed in the assertion, so that a failure says which one reproduces it.
    expect({ seed, same: copied.equals(encoded) }).toEqual({ seed, same: true });
  }
}

describe('encoding from the source request, under random changes', () => {
  it('gives the bytes of a fresh encode for canonical requests', () => {
    checkSeeds(400, NO_REWRITES);
  });

  it('gives the bytes of a fresh encode for requests with fields out of order or repeated', () => {
    checkSeeds(300, { ...NO_REWRITES, reorder: 0.3, repeat: 0.3 });
  });

  it('gives the bytes of a fresh encode for requests with padded varints, defaults written out and unknown fields', () => {
    checkSeeds(300, { ...NO_REWRITES, pad: 0.2, defaults: 0.2 });
    checkSeeds(100, { ...NO_REWRITES, unknown: 0.05, deprecatedStatusCode: 0.3 });
  });

  it('gives the bytes of a fresh encode for requests with invalid UTF-8', () => {
    checkSeeds(100, { ...NO_REWRITES, invalidUtf8: 0.1 });
  });

  it('gives the bytes of a fresh encode with every kind of rewrite at once', () => {
    checkSeeds(300, {
      reorder: 0.1,
      repeat: 0.1,
      unknown: 0.01,
      pad: 0.05,
      defaults: 0.05,
      deprecatedStatusCode: 0.05,
      invalidUtf8: 0.02,
    });
  });
});

describe('what is copied', () => {
  it('copies the head and events of a span left unchanged from the source bytes', () => {
    const request = encodeExportTraceServiceRequest(linkedBatch());
    const data = decodeExportTraceServiceRequestWithSources(request);
    const [linked] = spansOf(data);
    expect((linked as Partial<SourcedSpan>).sourceHeadEnd).toBeDefined();
    expect(linked.events.every((e) => (e as Partial<SourcedSpanEvent>).sourceEnd !== undefined)).toBe(true);
    // Proof of the copy: bytes changed in the source after decoding show in the output.
    request.write('LINKED', request.indexOf('linked'), 'latin1');
    request.write('E1', request.indexOf('e1'), 'latin1');
    request.write('b=3', request.indexOf('b=2'), 'latin1');
    const out = spansOf(
      decodeExportTraceServiceRequest(encodeExportTraceServiceRequestFromSource(data, request)),
    );
    expect(out[0].name).toBe('LINKED');
    expect(out[0].events[0].name).toBe('E1');
    expect(out[0].links[0].traceState).toBe('b=3');
  });

  it('encodes a renamed span, an event changed in place and a link given an attribute', () => {
    const request = encodeExportTraceServiceRequest(linkedBatch());
    const data = decodeExportTraceServiceRequestWithSources(request);
    const [linked] = spansOf(data);
    linked.name = 'renamed';
    linked.events[1].timeUnixNano = 7n;
    linked.links[1].attributes.push({ key: 'added', value: true });
    request.write('LINKED', request.indexOf('linked'), 'latin1');
    const out = spansOf(
      decodeExportTraceServiceRequest(encodeExportTraceServiceRequestFromSource(data, request)),
    );
    expect(out[0].name).toBe('renamed');
    expect(out[0].events[1].timeUnixNano).toBe(7n);
    expect(out[0].links[1].attributes).toEqual([{ key: 'added', value: true }]);
  });

  it('encodes a span head whose bytes are not canonical (a padded kind) instead of copying it', () => {
    const w = new ProtoWriter();
    w.beginMessage(1);
    w.beginMessage(2);
    w.beginMessage(2);
    w.hexField(1, 'ab'.repeat(16));
    w.hexField(2, 'cd'.repeat(8));
    w.stringField(5, 'padded');
    // Kind 2 as a two-byte varint: decoders read 2, a fresh encode writes one byte.
    w.raw(Uint8Array.from([0x30, 0x82, 0x00]), 0, 3);
    w.fixed64Field(7, 1n);
    w.endMessage();
    w.endMessage();
    w.endMessage();
    const request = Buffer.from(w.finish());
    const expected = encodeExportTraceServiceRequest(decodeExportTraceServiceRequest(request));
    const data = decodeExportTraceServiceRequestWithSources(request);
    // Were the head copied, this would show in the output.
    request.write('PADDED', request.indexOf('padded'), 'latin1');
    expect(spansOf(data)[0].kind).toBe(2);
    expect(encodeExportTraceServiceRequestFromSource(data, request).equals(expected)).toBe(true);
  });
});
