import type { AnyValue, KeyValue } from '../../model/attributes.js';
import { isKeyValueList } from '../../model/attributes.js';
import type { SpanKind, StatusCode } from '../../model/span.js';
import type { OttlPath } from '../filter/ottl-ast.js';
import { OttlParseError } from '../filter/ottl-ast.js';
import type { OttlContext, OttlContextName } from '../filter/ottl-eval.js';
import type { OttlEntity } from '../filter/ottl-paths.js';
import { ATTRIBUTES_OF, knownPaths, resolvePath } from '../filter/ottl-paths.js';
import { OttlRuntimeError } from './ottl-runtime-error.js';

/** Writes a value to a path; a value of the wrong type is ignored, as the Collector's setters do. */
export type Setter = (ctx: OttlContext, value: AnyValue) => void;

/** Reads the attribute list a map function edits in place. */
export type MapTarget = (ctx: OttlContext) => KeyValue[];

/** Each entity's fields `set` may write (attributes aside). */
const FIELD_SETTERS: Record<OttlEntity, Record<string, Setter>> = {
  span: {
    name: (c, v) => {
      if (typeof v === 'string') c.span.name = v;
    },
    kind: (c, v) => {
      if (typeof v === 'bigint' && v >= 0n && v <= 5n) c.span.kind = Number(v) as SpanKind;
    },
    'status.code': (c, v) => {
      if (typeof v === 'bigint' && v >= 0n && v <= 2n) c.span.status.code = Number(v) as StatusCode;
    },
    'status.message': (c, v) => {
      if (typeof v === 'string') c.span.status.message = v;
    },
    trace_state: (c, v) => {
      if (typeof v === 'string') c.span.traceState = v;
    },
  },
  event: {
    name: (c, v) => {
      if (typeof v === 'string') c.event!.name = v;
    },
    // OTTL's int is an int64; a time before 1970 has no fixed64 to go into.
    time_unix_nano: (c, v) => {
      if (typeof v === 'bigint' && v >= 0n) c.event!.timeUnixNano = v;
    },
  },
  scope: {
    name: (c, v) => {
      if (typeof v === 'string') c.scope.name = v;
    },
    version: (c, v) => {
      if (typeof v === 'string') c.scope.version = v;
    },
  },
  resource: {},
};

const unknownPath = (
  { path, key, column }: OttlPath,
  what: string,
  known: readonly string[],
): OttlParseError =>
  new OttlParseError(
    column,
    `${path}${key === undefined ? '' : `["${key}"]`} is not ${what}; known: ${known.join(', ')}`,
  );

/** The setter for a path that `set` and `replace_pattern` may write. */
export function compileSetter(target: OttlPath, context: OttlContextName): Setter {
  const { path, key } = target;
  const resolved = resolvePath(path, context);
  if (resolved?.field === 'attributes' && key !== undefined) {
    const list = ATTRIBUTES_OF[resolved.entity];
    const k = key;
    return (c, v) => putValue(list(c), k, v);
  }
  const fields = resolved ? FIELD_SETTERS[resolved.entity] : undefined;
  const setter =
    resolved && fields && key === undefined && Object.hasOwn(fields, resolved.field)
      ? fields[resolved.field]
      : undefined;
  if (!setter) {
    const known = knownPaths(
      context,
      (entity) => Object.keys(FIELD_SETTERS[entity]),
      () => true,
    );
    throw unknownPath(target, `a settable path in ${context} context`, known);
  }
  return setter;
}

/**
 * The attribute list a map function edits: `attributes` (of the context) or of a parent
 * (`resource.attributes`, `instrumentation_scope.attributes`, `span.attributes`), or a map-valued
 * attribute `attributes["k"]` — which must hold a map when the statement runs.
 */
export function compileMapTarget(target: OttlPath, context: OttlContextName): MapTarget {
  const { path, key } = target;
  const resolved = resolvePath(path, context);
  if (resolved?.field !== 'attributes')
    throw unknownPath(target, `a map in ${context} context`, mapNames(context));
  const list = ATTRIBUTES_OF[resolved.entity];
  if (key === undefined) return list;
  const k = key;
  return (c) => {
    const value = lookup(list(c), k);
    if (value !== undefined && isKeyValueList(value)) return value.kvlistValue;
    throw new OttlRuntimeError(`${path}["${k}"] is not a map`);
  };
}

/** The maps a context reaches: `attributes`, then each parent's with its prefix. */
function mapNames(context: OttlContextName): string[] {
  return knownPaths(
    context,
    () => ['attributes'],
    () => false,
  );
}

function lookup(attributes: readonly KeyValue[], key: string): AnyValue | undefined {
  for (let i = attributes.length - 1; i >= 0; i--) if (attributes[i].key === key) return attributes[i].value;
  return undefined;
}

/** Upserts a copy of the value: a list or map taken from another attribute must not stay shared with it. */
function putValue(attributes: KeyValue[], key: string, value: AnyValue): void {
  const copy = copyValue(value);
  for (let i = attributes.length - 1; i >= 0; i--) {
    if (attributes[i].key === key) {
      attributes[i] = { key, value: copy };
      return;
    }
  }
  attributes.push({ key, value: copy });
}

function copyValue(value: AnyValue): AnyValue {
  if (Array.isArray(value)) return value.map(copyValue);
  if (value !== null && isKeyValueList(value))
    return { kvlistValue: value.kvlistValue.map((kv) => ({ key: kv.key, value: copyValue(kv.value) })) };
  return value;
}
