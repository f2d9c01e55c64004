import type { AnyValue, KeyValue } from '../../src/model/attributes.js';
import type { Span, SpanEvent, SpanKind, SpanLink, StatusCode, TracesData } from '../../src/model/span.js';
import type { Rng } from '../../src/traceql/fuzz/random.js';

/*
 * Random in-place changes of a decoded batch, of the kinds processors make (renaming spans,
 * setting status, editing, adding, removing and moving attributes, events and links) and some
 * they rarely do (new ids, times, counts). Applied with the same seed to two decodes of one
 * request, they change both the same way: for tests that an encoder copying unchanged parts from
 * the request (encode-from-source) still writes what a fresh encode of the changed batch writes.
 */

const HEX = '0123456789abcdef';

function hex(rng: Rng, bytes: number): string {
  let out = '';
  for (let i = 0; i < bytes * 2; i++) out += HEX[rng.int(16)];
  return out;
}

/** The same text as a new string object: must be treated as unchanged or encoded, never wrongly. */
function sameTextNewString(text: string): string {
  return (' ' + text).slice(1);
}

function randomValue(rng: Rng): AnyValue {
  switch (rng.int(7)) {
    case 0:
      return `v${rng.int(1000)}`;
    case 1:
      return BigInt(rng.int(100000)) - 50n;
    case 2:
      return rng.next();
    case 3:
      return rng.chance(0.5);
    case 4:
      return new Uint8Array([rng.int(256)]);
    case 5:
      return ['a', BigInt(rng.int(9))];
    default:
      return rng.chance(0.5) ? '' : 'é-ü';
  }
}

function mutateAttributes(attributes: KeyValue[], rng: Rng, pool: KeyValue[]): void {
  const n = attributes.length;
  switch (rng.int(8)) {
    case 0:
      if (n > 0) attributes[rng.int(n)].value = randomValue(rng);
      break;
    case 1:
      if (n > 0) attributes.splice(rng.int(n), 1);
      break;
    case 2:
      attributes.splice(rng.int(n + 1), 0, { key: `new.${rng.int(100)}`, value: randomValue(rng) });
      break;
    case 3:
      attributes.reverse();
      break;
    case 4:
      if (n > 0) attributes[rng.int(n)].key = `renamed.${rng.int(100)}`;
      break;
    case 5:
      // An attribute from elsewhere in the batch (another span, event, the resource).
      if (pool.length > 0) attributes.splice(rng.int(n + 1), 0, rng.pick(pool));
      break;
    case 6:
      if (n > 0) {
        const i = rng.int(n);
        attributes[i] = { key: attributes[i].key, value: attributes[i].value };
      }
      break;
    default:
      if (n > 0) {
        const kv = attributes[rng.int(n)];
        if (typeof kv.value === 'string') kv.value = sameTextNewString(kv.value);
      }
  }
}

function mutateEvent(event: SpanEvent, rng: Rng, pool: KeyValue[]): void {
  switch (rng.int(5)) {
    case 0:
      event.name = rng.chance(0.5) ? `event-${rng.int(100)}` : '';
      break;
    case 1:
      event.timeUnixNano += BigInt(rng.int(3)) - 1n;
      break;
    case 2:
      event.droppedAttributesCount = rng.int(3);
      break;
    case 3:
      event.name = sameTextNewString(event.name);
      break;
    default:
      mutateAttributes(event.attributes, rng, pool);
  }
}

function mutateLink(link: SpanLink, rng: Rng, pool: KeyValue[]): void {
  switch (rng.int(6)) {
    case 0:
      link.traceId = rng.chance(0.8) ? hex(rng, 16) : '';
      break;
    case 1:
      link.spanId = hex(rng, 8);
      break;
    case 2:
      link.traceState = rng.chance(0.5) ? `k=${rng.int(9)}` : '';
      break;
    case 3:
      link.flags = rng.int(4) * 0x100;
      break;
    case 4:
      link.droppedAttributesCount = rng.int(3);
      break;
    default:
      mutateAttributes(link.attributes, rng, pool);
  }
}

function mutateSpan(span: Span, rng: Rng, others: readonly Span[], pool: KeyValue[]): void {
  switch (rng.int(20)) {
    case 0:
      span.name = `renamed ${rng.int(100)}`;
      break;
    case 1:
      span.name = sameTextNewString(span.name);
      break;
    case 2:
      // 0 (unspecified) included: a default, which an encoder leaves out.
      span.kind = rng.int(6) as SpanKind;
      break;
    case 3:
      span.status = { code: rng.int(3) as StatusCode, message: rng.chance(0.5) ? 'boom' : '' };
      break;
    case 4:
      span.status.message = 'set in place';
      break;
    case 5:
      span.startTimeUnixNano += 1n;
      break;
    case 6:
      span.endTimeUnixNano = rng.chance(0.9) ? span.endTimeUnixNano - 1n : 0n;
      break;
    case 7:
      span.traceId = hex(rng, 16);
      break;
    case 8:
      span.spanId = rng.chance(0.9) ? hex(rng, 8) : '';
      break;
    case 9:
      span.parentSpanId = rng.chance(0.5) ? hex(rng, 8) : '';
      break;
    case 10:
      span.traceState = rng.chance(0.5) ? 'vendor=x' : '';
      break;
    case 11:
      span.flags = rng.int(0x400);
      break;
    case 12:
      span.droppedAttributesCount = rng.int(3);
      span.droppedEventsCount = rng.int(3);
      span.droppedLinksCount = rng.int(3);
      break;
    case 13:
      span.events.push({
        timeUnixNano: 42n,
        name: 'added',
        attributes: [{ key: 'k', value: 'v' }],
        droppedAttributesCount: 0,
      });
      break;
    case 14:
      if (span.events.length > 0) span.events.splice(rng.int(span.events.length), 1);
      else span.events.reverse();
      break;
    case 15:
      if (span.events.length > 0) mutateEvent(rng.pick(span.events), rng, pool);
      break;
    case 16:
      if (rng.chance(0.5))
        span.links.push({
          traceId: hex(rng, 16),
          spanId: hex(rng, 8),
          traceState: '',
          attributes: [],
          droppedAttributesCount: 0,
          flags: 0,
        });
      else if (span.links.length > 0) span.links.splice(rng.int(span.links.length), 1);
      break;
    case 17:
      if (span.links.length > 0) mutateLink(rng.pick(span.links), rng, pool);
      break;
    case 18: {
      // An event or link of another span, moved here.
      const other = rng.pick(others);
      if (other.events.length > 0) span.events.push(other.events.pop()!);
      if (other.links.length > 0) span.links.unshift(other.links.shift()!);
      break;
    }
    default:
      mutateAttributes(span.attributes, rng, pool);
  }
}

/** Changes `data` in place, about `changes` random changes to random spans, resources and scopes. */
export function mutateRandomly(data: TracesData, rng: Rng, changes: number): void {
  const spans = data.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
  const pool = spans.flatMap((s) => s.attributes).concat(data.flatMap((rs) => rs.resource.attributes));
  for (let i = 0; i < changes; i++) {
    const roll = rng.int(20);
    if (roll === 0 && data.length > 0) mutateAttributes(rng.pick(data).resource.attributes, rng, pool);
    else if (roll === 1 && data.length > 0) {
      const scopes = rng.pick(data).scopeSpans;
      if (scopes.length > 0) rng.pick(scopes).scope.name = `scope-${rng.int(9)}`;
    } else if (spans.length > 0) mutateSpan(rng.pick(spans), rng, spans, pool);
  }
}
