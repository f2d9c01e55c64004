import type { AnyValue } from '../../model/attributes.js';
import { findAttribute } from '../../model/attributes.js';
import type { InstrumentationScope, Resource, Span, SpanEvent } from '../../model/span.js';
import type { OttlExpr, OttlOperand, OttlValue } from './ottl-ast.js';
import { OttlParseError } from './ottl-ast.js';

/**
 * What a condition sees: a span with its resource and scope, and for `spanevent`, the event. In
 * the `resource` context (transform) only `resource` is set: its paths never reach the others.
 */
export interface OttlContext {
  span: Span;
  resource: Resource;
  scope: InstrumentationScope;
  event?: SpanEvent;
}

/** The OTTL contexts Tracehouse knows: what an unprefixed path such as `attributes["k"]` refers to. */
export type OttlContextName = 'span' | 'spanevent' | 'resource';

export type Getter = (ctx: OttlContext) => AnyValue | undefined;

const SPAN_PATHS: Record<string, Getter> = {
  name: (c) => c.span.name,
  kind: (c) => BigInt(c.span.kind),
  'status.code': (c) => BigInt(c.span.status.code),
  'status.message': (c) => c.span.status.message,
  'trace_id.string': (c) => c.span.traceId,
  'span_id.string': (c) => c.span.spanId,
  'parent_span_id.string': (c) => c.span.parentSpanId,
  trace_state: (c) => c.span.traceState,
  start_time_unix_nano: (c) => c.span.startTimeUnixNano,
  end_time_unix_nano: (c) => c.span.endTimeUnixNano,
  'instrumentation_scope.name': (c) => c.scope.name,
  'instrumentation_scope.version': (c) => c.scope.version,
};

const EVENT_PATHS: Record<string, Getter> = {
  name: (c) => c.event?.name,
  time_unix_nano: (c) => c.event?.timeUnixNano,
};

/**
 * Turns a parsed condition into a predicate, resolving every path once (so an unknown path fails
 * at start with the list of known ones). `context`: the filter's `span` or `spanevent`, or transform's `resource`.
 */
export function compileCondition(expr: OttlExpr, context: OttlContextName): (ctx: OttlContext) => boolean {
  const operand = (o: OttlOperand): Getter => {
    if (o.kind === 'literal') {
      const value = o.value;
      return () => value;
    }
    return compileGetter(o.path, o.key, context, o.column);
  };
  const compile = (e: OttlExpr): ((ctx: OttlContext) => boolean) => {
    switch (e.kind) {
      case 'or': {
        const [l, r] = [compile(e.left), compile(e.right)];
        return (c) => l(c) || r(c);
      }
      case 'and': {
        const [l, r] = [compile(e.left), compile(e.right)];
        return (c) => l(c) && r(c);
      }
      case 'not': {
        const inner = compile(e.operand);
        return (c) => !inner(c);
      }
      case 'isMatch': {
        const target = operand(e.target);
        const pattern = e.pattern;
        return (c) => {
          const v = target(c);
          // IsMatch takes strings, and ints, doubles and bools as their text; anything else is false.
          return typeof v === 'string' ||
            typeof v === 'bigint' ||
            typeof v === 'number' ||
            typeof v === 'boolean'
            ? pattern.test(String(v))
            : false;
        };
      }
      case 'bool': {
        const v = operand(e.operand);
        return (c) => v(c) === true;
      }
      case 'compare': {
        const [l, r] = [operand(e.left), operand(e.right)];
        const op = e.op;
        return (c) => compareValues(l(c), r(c), op);
      }
    }
  };
  return compile(expr);
}

/** Resolves a path to a reader of its value, once, failing with the known paths for an unknown one. */
export function compileGetter(
  path: string,
  key: string | undefined,
  context: OttlContextName,
  column = 1,
): Getter {
  if (context === 'resource') return resourceGetter(path, key, column);
  // OTTL allows the context name as a prefix (`span.name`); in `spanevent`, `span.` reaches the span.
  let p = path;
  let target: 'span' | 'event' = context === 'span' ? 'span' : 'event';
  if (p.startsWith('span.')) {
    p = p.slice(5);
    target = 'span';
  } else if (p.startsWith('spanevent.') && context === 'spanevent') p = p.slice(10);
  if (p === 'attributes' && key !== undefined) {
    const k = key;
    return target === 'span'
      ? (c) => findAttribute(c.span.attributes, k)
      : (c) => findAttribute(c.event?.attributes ?? [], k);
  }
  if (p === 'resource.attributes' && key !== undefined) {
    const k = key;
    return (c) => findAttribute(c.resource.attributes, k);
  }
  if (p === 'instrumentation_scope.attributes' && key !== undefined) {
    const k = key;
    return (c) => findAttribute(c.scope.attributes, k);
  }
  const table = target === 'span' ? SPAN_PATHS : EVENT_PATHS;
  const getter = key === undefined ? table[p] : undefined;
  if (!getter) {
    const known = [...Object.keys(table), 'attributes["key"]', 'resource.attributes["key"]'];
    throw new OttlParseError(
      column,
      `unknown path ${path}${key === undefined ? '' : `["${key}"]`} in ${context} context; known: ${known.join(', ')}`,
    );
  }
  return getter;
}

function resourceGetter(path: string, key: string | undefined, column: number): Getter {
  if ((path === 'attributes' || path === 'resource.attributes') && key !== undefined) {
    const k = key;
    return (c) => findAttribute(c.resource.attributes, k);
  }
  throw new OttlParseError(
    column,
    `unknown path ${path}${key === undefined ? '' : `["${key}"]`} in resource context; known: attributes["key"]`,
  );
}

/** OTTL comparison: ints and doubles compare as numbers; other types only to their own type; nil equals only nil. */
function compareValues(
  a: AnyValue | OttlValue | undefined,
  b: AnyValue | OttlValue | undefined,
  op: string,
): boolean {
  const x = a === undefined ? null : a;
  const y = b === undefined ? null : b;
  if (x === null || y === null) {
    if (op === '==') return x === y;
    if (op === '!=') return x !== y;
    return false;
  }
  let cmp: number;
  const numeric = (v: unknown): v is number | bigint => typeof v === 'number' || typeof v === 'bigint';
  if (numeric(x) && numeric(y)) {
    cmp =
      typeof x === 'bigint' && typeof y === 'bigint' ? (x < y ? -1 : x > y ? 1 : 0) : Number(x) - Number(y);
  } else if (typeof x === 'string' && typeof y === 'string') {
    cmp = x < y ? -1 : x > y ? 1 : 0;
  } else if (typeof x === 'boolean' && typeof y === 'boolean') {
    if (op !== '==' && op !== '!=') return false;
    cmp = x === y ? 0 : 1;
  } else {
    return op === '!=';
  }
  switch (op) {
    case '==':
      return cmp === 0;
    case '!=':
      return cmp !== 0;
    case '<':
      return cmp < 0;
    case '<=':
      return cmp <= 0;
    case '>':
      return cmp > 0;
    default:
      return cmp >= 0;
  }
}
