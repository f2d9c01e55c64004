import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reserve } from '../test-support/example-services.js';
import { listen } from '../test-support/listen.js';
import { ReservationBook } from './reservation-book.js';
import {
  createReservationsServiceApp,
  LIMIT_EXCEEDED,
  LIMIT_NOT_FOUND,
  SUCCESS,
} from './reservations-service-app.js';
import { userLimitsClient } from './user-limits-client.js';

/*
 * The reservations-service in-process, with real HTTP requests, in front of a small stand-in
 * user-service that records the trace context it receives (the real user-service is tested as a
 * process in example-system.test.ts).
 */
const memory = new InMemorySpanExporter();
new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] }).register({
  propagator: new W3CTraceContextPropagator(),
});

const received: string[] = [];
const users = express();
users.get('/users/:username/limits', (req, res) => {
  received.push(req.get('traceparent') ?? '');
  const { username } = req.params;
  if (username === 'ghost') res.status(404).json({ error: 'not found' });
  else res.json({ username, limits: { reservations: username.length } });
});

let userService: Awaited<ReturnType<typeof listen>>;
let service: Awaited<ReturnType<typeof listen>>;
beforeAll(async () => {
  userService = await listen(users);
  service = await listen(
    createReservationsServiceApp({
      book: new ReservationBook(0),
      fetchLimit: userLimitsClient({ baseUrl: userService.url, maxSleepMs: 0 }),
      maxSleepMs: 0,
    }),
  );
});
afterAll(async () => {
  await service.close();
  await userService.close();
});
afterEach(() => {
  memory.reset();
  received.length = 0;
});

const spansOf = (traceId: string): Map<string, ReadableSpan> =>
  new Map(
    memory
      .getFinishedSpans()
      .filter((s) => s.spanContext().traceId === traceId)
      .map((s) => [s.name, s]),
  );

describe('reservations-service', () => {
  it('reserves until the limit (the name length), then answers "failure, limit exceeded"', async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push((await reserve(service.url, 'al', `item-${i}`)).text);
    expect(answers).toEqual([SUCCESS, SUCCESS, LIMIT_EXCEEDED]);
  });

  it('answers "failure, limit not found" for a user the user-service does not know', async () => {
    const answer = await reserve(service.url, 'ghost', 1);
    expect(answer).toMatchObject({ status: 200, text: LIMIT_NOT_FOUND });
    expect([...spansOf(answer.traceId).keys()].sort()).toEqual([
      'fetch_limit',
      'parse_request',
      'reservations_handler',
    ]);
  });

  it('makes one trace of the request: the handler span, its four steps, and the trace id in a header', async () => {
    const { traceId, text } = await reserve(service.url, 'carol', 'item-9');
    expect(text).toBe(SUCCESS);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const spans = spansOf(traceId);
    const handler = spans.get('reservations_handler')!;
    expect(handler.kind).toBe(SpanKind.SERVER);
    expect(handler.parentSpanContext).toBeUndefined();
    for (const step of ['parse_request', 'fetch_limit', 'fetch_reservations_count', 'make_reservation'])
      expect(spans.get(step)?.parentSpanContext?.spanId, step).toBe(handler.spanContext().spanId);
    expect(spans.get('fetch_limit')!.kind).toBe(SpanKind.CLIENT);
    expect(handler.attributes).toMatchObject({ 'app.username': 'carol', 'http.response.status_code': 200 });
  });

  it('sends the fetch_limit span as the parent in the W3C traceparent header', async () => {
    const { traceId } = await reserve(service.url, 'dave', 'item-1');
    const fetchLimit = spansOf(traceId).get('fetch_limit')!;
    expect(received).toEqual([`00-${traceId}-${fetchLimit.spanContext().spanId}-01`]);
  });

  it('continues the trace of a client that sends its own traceparent', async () => {
    const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const { traceId } = await reserve(service.url, 'erin', 'item-1', { traceparent: parent });
    expect(traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(spansOf(traceId).get('reservations_handler')!.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
  });

  it('rejects a malformed body with 400, naming the field', async () => {
    const response = await fetch(`${service.url}/reservations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'frank' }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('failure, bad request: "item_id" must be a string or a number');
  });

  it('answers 502 and marks the span an error when the user-service is down', async () => {
    const down = await listen(express());
    await down.close();
    const orphan = await listen(
      createReservationsServiceApp({
        book: new ReservationBook(0),
        fetchLimit: userLimitsClient({ baseUrl: down.url, maxSleepMs: 0 }),
        maxSleepMs: 0,
      }),
    );
    try {
      const { status, text, traceId } = await reserve(orphan.url, 'grace', 1);
      expect(status).toBe(502);
      expect(text).toMatch(/^failure, user-service at http:\/\/127\.0\.0\.1:\d+ did not answer/);
      const spans = spansOf(traceId);
      expect(spans.get('reservations_handler')!.status.code).toBe(SpanStatusCode.ERROR);
      expect(spans.get('fetch_limit')!.events.map((e) => e.name)).toEqual(['exception']);
    } finally {
      await orphan.close();
    }
  });
});
