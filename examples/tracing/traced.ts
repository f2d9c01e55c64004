import type { Attributes, Span, SpanKind, Tracer } from '@opentelemetry/api';
import { SpanStatusCode, trace } from '@opentelemetry/api';

export interface TracedOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** Default: the global provider's tracer for this helper's scope. */
  tracer?: Tracer;
}

/** The instrumentation scope of every span the example services create. */
export const EXAMPLES_SCOPE = 'tracehouse-examples';

/**
 * The global provider's tracer for the examples' scope, resolved at call time so it follows
 * whichever provider the service registered at start (a test may register its own).
 */
export const examplesTracer = (): Tracer => trace.getTracer(EXAMPLES_SCOPE);

type Method<This, Args extends unknown[], R> = (this: This, ...args: Args) => R;

/** What `@traced("name")` returns: a TypeScript 5 standard method decorator. */
export type TracedDecorator = <This, Args extends unknown[], R>(
  method: Method<This, Args, R>,
  context: ClassMethodDecoratorContext<This, Method<This, Args, R>>,
) => Method<This, Args, R>;

/**
 * The TypeScript counterpart of the Python tutorial's `@tracer.start_as_current_span("name")`:
 * - `traced("parse_request", fn)` wraps a function;
 * - `@traced("fetch_record") async fetch(…)` decorates a method (standard decorators: no compiler
 *   flag, the repository does not set `experimentalDecorators`).
 * Each call runs inside a new active span named `name`, which ends when the call returns or its
 * promise settles; a throw or rejection is recorded on the span (exception event, ERROR status)
 * and rethrown unchanged.
 */
export function traced(name: string, options?: TracedOptions): TracedDecorator;
export function traced<Args extends unknown[], R>(
  name: string,
  fn: (...args: Args) => R,
  options?: TracedOptions,
): (...args: Args) => R;
export function traced<Args extends unknown[], R>(
  name: string,
  fnOrOptions?: ((...args: Args) => R) | TracedOptions,
  maybeOptions: TracedOptions = {},
): ((...args: Args) => R) | TracedDecorator {
  if (typeof fnOrOptions === 'function') return wrap(name, fnOrOptions, maybeOptions);
  const options = fnOrOptions ?? {};
  return <This, A extends unknown[], T>(method: Method<This, A, T>): Method<This, A, T> =>
    wrap(name, method, options);
}

function wrap<This, Args extends unknown[], R>(
  name: string,
  fn: Method<This, Args, R>,
  options: TracedOptions,
): Method<This, Args, R> {
  return function (this: This, ...args: Args): R {
    return inSpan(name, options, () => fn.apply(this, args));
  };
}

function inSpan<R>(name: string, options: TracedOptions, body: () => R): R {
  const tracer = options.tracer ?? examplesTracer();
  const spanOptions = { kind: options.kind, attributes: options.attributes };
  return tracer.startActiveSpan(name, spanOptions, (span) => {
    let result: R;
    try {
      result = body();
    } catch (error) {
      fail(span, error);
      span.end();
      throw error;
    }
    if (result instanceof Promise) {
      // Same promise type back: the caller awaits what it would have awaited without the span.
      return result.then(
        (value: unknown) => {
          span.end();
          return value;
        },
        (error: unknown) => {
          fail(span, error);
          span.end();
          throw error;
        },
      ) as R;
    }
    span.end();
    return result;
  });
}

function fail(span: Span, error: unknown): void {
  const exception = error instanceof Error ? error : new Error(String(error));
  span.recordException(exception);
  span.setStatus({ code: SpanStatusCode.ERROR, message: exception.message });
}
