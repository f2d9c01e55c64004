import type { AnyValue, KeyValue } from '../../model/attributes.js';
import { isKeyValueList } from '../../model/attributes.js';
import type { SpanKind, StatusCode } from '../../model/span.js';
import type { OttlPath } from '../filter/ottl-ast.js';
import { OttlParseError } from '../filter/ottl-ast.js';
import type { OttlContext, OttlContextName } from '../filter/ottl-eval.js';
import { OttlRuntimeError } from './ottl-runtime-error.js';

/** Writes a value to a path; a value of the wrong type is ignored, as the Collector's setters do. */
export type Setter = (ctx: OttlContext, value: AnyValue) => void;

/** Reads the attribute list a map function edits in place. */
export type MapTarget = (ctx: OttlContext) => KeyValue[];

type Where = 'span' | 'resource';

const SPAN_SETTERS: Record<string, Setter> = {
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
};

/** Which attribute list a path names (`attributes`, `span.attributes`, `resource.attributes`), or undefined. */
function attributesOf(path: string, context: OttlContextName): Where | undefined {
  if (path === 'resource.attributes') return 'resource';
  if (path === 'attributes') return context === 'resource' ? 'resource' : 'span';
  if (path === 'span.attributes' && context === 'span') return 'span';
  return undefined;
}

const listOf = (where: Where): MapTarget =>
  where === 'span' ? (c) => c.span.attributes : (c) => c.resource.attributes;

const unknownPath = ({ path, key, column }: OttlPath, what: string, known: string): OttlParseError =>
  new OttlParseError(
    column,
    `${path}${key === undefined ? '' : `["${key}"]`} is not ${what}; known: ${known}`,
  );

/** The setter for a path that `set` and `replace_pattern` may write. */
export function compileSetter(target: OttlPath, context: OttlContextName): Setter {
  const { path, key } = target;
  const where = attributesOf(path, context);
  if (where && key !== undefined) {
    const list = listOf(where);
    const k = key;
    return (c, v) => putValue(list(c), k, v);
  }
  const bare = context === 'span' && path.startsWith('span.') ? path.slice(5) : path;
  const setter = context === 'span' && key === undefined ? SPAN_SETTERS[bare] : undefined;
  if (!setter) {
    const known =
      context === 'span'
        ? `${Object.keys(SPAN_SETTERS).join(', ')}, attributes["key"], resource.attributes["key"]`
        : 'attributes["key"]';
    throw unknownPath(target, `a settable path in ${context} context`, known);
  }
  return setter;
}

/**
 * The attribute list a map function edits: `attributes` (of the context), `resource.attributes`,
 * or a map-valued attribute `attributes["k"]` — which must hold a map when the statement runs.
 */
export function compileMapTarget(target: OttlPath, context: OttlContextName): MapTarget {
  const { path, key } = target;
  const where = attributesOf(path, context);
  if (!where) throw unknownPath(target, `a map in ${context} context`, 'attributes, resource.attributes');
  const list = listOf(where);
  if (key === undefined) return list;
  const k = key;
  return (c) => {
    const value = lookup(list(c), k);
    if (value !== undefined && isKeyValueList(value)) return value.kvlistValue;
    throw new OttlRuntimeError(`${path}["${k}"] is not a map`);
  };
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
