import type { AnyValue, KeyValue } from '../../model/attributes.js';
import { findAttribute } from '../../model/attributes.js';
import type { InstrumentationScope, Resource, Span, SpanEvent } from '../../model/span.js';
import type { OttlExpr, OttlOperand, OttlValue } from './ottl-ast.js';
import { OttlParseError } from './ottl-ast.js';
import type { OttlEntity } from './ottl-paths.js';
import { ATTRIBUTES_OF, knownPaths, resolvePath } from './ottl-paths.js';

/**
 * What a condition sees: a span with its resource and scope, and for `spanevent`, the event. In
 * transform's `resource` context only `resource` is set, in its `scope` context `resource` and
 * `scope`: their paths never reach the others (ottl-paths.ts).
 */
export interface OttlContext {
  span: Span;
  resource: Resource;
  scope: InstrumentationScope;
  event?: SpanEvent;
}

/** The OTTL contexts Tracehouse knows: what an unprefixed path such as `attributes["k"]` refers to. */
export type OttlContextName = 'span' | 'spanevent' | 'scope' | 'resource';

export type Getter = (ctx: OttlContext) => AnyValue | undefined;

/** Each entity's fields a condition reads (attributes aside), as the Collector's OTTL contexts name them. */
const FIELD_GETTERS: Record<OttlEntity, Record<string, Getter>> = {
  span: {
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
    dropped_attributes_count: (c) => BigInt(c.span.droppedAttributesCount),
    dropped_events_count: (c) => BigInt(c.span.droppedEventsCount),
    dropped_links_count: (c) => BigInt(c.span.droppedLinksCount),
  },
  event: {
    name: (c) => c.event?.name,
    time_unix_nano: (c) => c.event?.timeUnixNano,
    dropped_attributes_count: (c) => (c.event ? BigInt(c.event.droppedAttributesCount) : undefined),
  },
  scope: {
    name: (c) => c.scope.name,
    version: (c) => c.scope.version,
    dropped_attributes_count: (c) => BigInt(c.scope.droppedAttributesCount),
  },
  resource: {
    dropped_attributes_count: (c) => BigInt(c.resource.droppedAttributesCount),
  },
};

const NO_ATTRIBUTES: readonly KeyValue[] = [];

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
  const resolved = resolvePath(path, context);
  if (resolved?.field === 'attributes' && key !== undefined) {
    const k = key;
    if (resolved.entity === 'event') return (c) => findAttribute(c.event?.attributes ?? NO_ATTRIBUTES, k);
    const list = ATTRIBUTES_OF[resolved.entity];
    return (c) => findAttribute(list(c), k);
  }
  const getter =
    resolved && key === undefined && Object.hasOwn(FIELD_GETTERS[resolved.entity], resolved.field)
      ? FIELD_GETTERS[resolved.entity][resolved.field]
      : undefined;
  if (!getter) {
    const known = knownPaths(
      context,
      (entity) => Object.keys(FIELD_GETTERS[entity]),
      () => true,
    );
    throw new OttlParseError(
      column,
      `unknown path ${path}${key === undefined ? '' : `["${key}"]`} in ${context} context; known: ${known.join(', ')}`,
    );
  }
  return getter;
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
