import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLES_SCOPE, traced } from './traced.js';

// The global provider, as a service registers it: `traced` resolves its tracer through the API.
const memory = new InMemorySpanExporter();
new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] }).register();
afterEach(() => memory.reset());

/*
 * `@traced("name")` written as a decorator needs tsc: Vitest's transformer (oxc) lowers only
 * legacy decorators, not TypeScript 5's standard ones. So the class below applies the decorator
 * the way the compiled code does — decorator(method, context) — and the user-service, which uses
 * the syntax, is tested as the built process it runs as.
 */
const context = (name: string) => ({ kind: 'method', name }) as ClassMethodDecoratorContext;

class Steps {
  constructor(private readonly factor: number) {}

  async times(n: number): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return n * this.factor;
  }

  explode(): void {
    throw new Error('boom');
  }
}
/* eslint-disable @typescript-eslint/unbound-method -- a decorator is handed the method unbound, as here */
Steps.prototype.times = traced('times')(Steps.prototype.times, context('times'));
Steps.prototype.explode = traced('explode')(Steps.prototype.explode, context('explode'));
/* eslint-enable @typescript-eslint/unbound-method */

describe('traced', () => {
  it('wraps a function in a span that is active inside it, nesting the spans it starts', async () => {
    const inner = traced('inner', () => trace.getActiveSpan());
    const outer = traced('outer', async (x: number) => {
      const active = inner();
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { x, active };
    });
    const { x } = await outer(3);
    expect(x).toBe(3);
    const spans = memory.getFinishedSpans();
    const byName = new Map(spans.map((s) => [s.name, s]));
    expect([...byName.keys()].sort()).toEqual(['inner', 'outer']);
    expect(byName.get('inner')!.parentSpanContext?.spanId).toBe(byName.get('outer')!.spanContext().spanId);
    expect(byName.get('outer')!.instrumentationScope.name).toBe(EXAMPLES_SCOPE);
  });

  it('ends an async span when its promise settles, not when the function returns', async () => {
    const slow = traced('slow', () => new Promise((resolve) => setTimeout(resolve, 30)));
    const pending = slow();
    expect(memory.getFinishedSpans()).toEqual([]);
    await pending;
    const [span] = memory.getFinishedSpans();
    expect(span.duration[0] * 1e3 + span.duration[1] / 1e6).toBeGreaterThanOrEqual(25);
  });

  it('works as a standard method decorator, keeping `this`', async () => {
    expect(await new Steps(4).times(5)).toBe(20);
    expect(memory.getFinishedSpans().map((s) => s.name)).toEqual(['times']);
  });

  it('records a throw or a rejection as an exception event and ERROR status, and rethrows it', async () => {
    expect(() => new Steps(1).explode()).toThrow('boom');
    const rejecting = traced('rejecting', () => Promise.reject(new Error('nope')), { kind: SpanKind.CLIENT });
    await expect(rejecting()).rejects.toThrow('nope');
    const [explode, rejected] = memory.getFinishedSpans();
    expect(explode.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(explode.events[0].name).toBe('exception');
    expect(rejected.kind).toBe(SpanKind.CLIENT);
    expect(rejected.status).toEqual({ code: SpanStatusCode.ERROR, message: 'nope' });
  });
});
