import { createHash } from 'node:crypto';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { describe, expect, it } from 'vitest';
import { RedactionSpanProcessor } from './redaction-span-processor.js';

/** Two sinks: one behind the redaction processor (what is exported), one beside it (the original). */
function setup(salt?: string): {
  exported: InMemorySpanExporter;
  original: InMemorySpanExporter;
  provider: BasicTracerProvider;
} {
  const exported = new InMemorySpanExporter();
  const original = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [
      new RedactionSpanProcessor(new SimpleSpanProcessor(exported), { salt }),
      new SimpleSpanProcessor(original),
    ],
  });
  return { exported, original, provider };
}

function oneSpan(provider: BasicTracerProvider): void {
  const span = provider.getTracer('test').startSpan('reservations_handler');
  span.setAttributes({
    'app.username': 'alice',
    'app.item_id': 'item-7',
    'http.request.header.authorization': ['Bearer s3cr3t'],
    'auth.token': 'abc',
    'db.password': 'hunter2',
    'app.note': 'called with Bearer xyz123',
  });
  span.addEvent('login', { 'session.token': 't', 'enduser.id': 'alice', 'app.step': 2 });
  span.end();
}

const sha = (text: string): string =>
  `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;

describe('RedactionSpanProcessor', () => {
  it('hashes user names and removes credentials, in span and event attributes, before export', () => {
    const { exported, provider } = setup();
    oneSpan(provider);
    const [span] = exported.getFinishedSpans();
    expect(span.attributes).toEqual({ 'app.username': sha('alice'), 'app.item_id': 'item-7' });
    expect(span.events[0].name).toBe('login');
    expect(span.events[0].attributes).toEqual({ 'enduser.id': sha('alice'), 'app.step': 2 });
  });

  it('keeps the rest of the span intact and leaves the original to other processors', () => {
    const { exported, original, provider } = setup();
    oneSpan(provider);
    const [redacted] = exported.getFinishedSpans();
    const [kept] = original.getFinishedSpans();
    expect(kept.attributes['app.username']).toBe('alice');
    expect(kept.attributes['auth.token']).toBe('abc');
    const same = (s: ReadableSpan) => ({
      name: s.name,
      kind: s.kind,
      context: s.spanContext(),
      parent: s.parentSpanContext,
      start: s.startTime,
      end: s.endTime,
      duration: s.duration,
      status: s.status,
      ended: s.ended,
      resource: s.resource.attributes,
      scope: s.instrumentationScope,
      dropped: [s.droppedAttributesCount, s.droppedEventsCount, s.droppedLinksCount],
    });
    expect(same(redacted)).toEqual(same(kept));
  });

  it('salts the hash, so that hashing a list of names does not reveal who it was', () => {
    const { exported, provider } = setup('pepper');
    oneSpan(provider);
    expect(exported.getFinishedSpans()[0].attributes['app.username']).toBe(sha('pepperalice'));
  });

  it('forwards flush and shutdown to the processor it wraps', async () => {
    const { exported, provider } = setup();
    oneSpan(provider);
    await provider.shutdown();
    // InMemorySpanExporter forgets its spans when shut down: the call went through.
    expect(exported.getFinishedSpans()).toEqual([]);
  });
});
