import type { Intrinsic } from './ast.js';

/** The types a field expression can have, as Tempo's validation infers them. */
export type ValueType = 'boolean' | 'integer' | 'float' | 'duration' | 'string' | 'nil' | 'status' | 'kind';

/** A field's type, or `attribute` when only the stored data can tell (attributes are untyped). */
export type InferredType = ValueType | 'attribute';

/** Intrinsics written as a bare word. `childCount` is accepted bare too, though Tempo wants `span:childCount`. */
export const BARE_INTRINSICS: ReadonlyMap<string, Intrinsic> = new Map<string, Intrinsic>([
  ['name', 'name'],
  ['status', 'status'],
  ['statusMessage', 'statusMessage'],
  ['kind', 'kind'],
  ['duration', 'duration'],
  ['rootName', 'rootName'],
  ['rootServiceName', 'rootServiceName'],
  ['traceDuration', 'traceDuration'],
  ['childCount', 'childCount'],
]);

/** Tempo's scoped spellings, the newer aliases resolved to the canonical intrinsic. */
export const SCOPED_INTRINSICS: ReadonlyMap<string, Intrinsic> = new Map<string, Intrinsic>([
  ['span:id', 'span:id'],
  ['span:parentID', 'span:parentID'],
  ['span:name', 'name'],
  ['span:status', 'status'],
  ['span:statusMessage', 'statusMessage'],
  ['span:kind', 'kind'],
  ['span:duration', 'duration'],
  ['span:childCount', 'childCount'],
  ['trace:id', 'trace:id'],
  ['trace:rootName', 'rootName'],
  ['trace:rootService', 'rootServiceName'],
  ['trace:duration', 'traceDuration'],
  ['event:name', 'event:name'],
  ['event:timeSinceStart', 'event:timeSinceStart'],
  ['link:traceID', 'link:traceID'],
  ['link:spanID', 'link:spanID'],
  ['instrumentation:name', 'instrumentation:name'],
  ['instrumentation:version', 'instrumentation:version'],
]);

/** The words before `:` in a scoped intrinsic. */
export const INTRINSIC_SCOPES: ReadonlySet<string> = new Set([
  'span',
  'trace',
  'event',
  'link',
  'instrumentation',
]);

/**
 * Unquoted `.name`, `.duration`, `.span:id` … are the intrinsics in Tempo, not attributes of that
 * name (its `intrinsicFromString` on unscoped attributes). The quoted form (`."name"`) stays an
 * attribute here, so such an attribute can still be queried.
 */
export function intrinsicForUnscopedName(name: string): Intrinsic | undefined {
  if (name === 'childCount') return undefined; // not in Tempo's list
  return BARE_INTRINSICS.get(name) ?? SCOPED_INTRINSICS.get(name);
}

/** Known to Tempo, not to Tracehouse. */
export const UNSUPPORTED_INTRINSICS: ReadonlySet<string> = new Set([
  'parent',
  'nestedSetLeft',
  'nestedSetRight',
  'nestedSetParent',
]);

/** How the printer writes each intrinsic: the classic bare word where Tempo has one. */
export const INTRINSIC_TEXT: Readonly<Record<Intrinsic, string>> = {
  name: 'name',
  status: 'status',
  statusMessage: 'statusMessage',
  kind: 'kind',
  duration: 'duration',
  rootName: 'rootName',
  rootServiceName: 'rootServiceName',
  traceDuration: 'traceDuration',
  'span:id': 'span:id',
  'trace:id': 'trace:id',
  'span:parentID': 'span:parentID',
  'event:name': 'event:name',
  'event:timeSinceStart': 'event:timeSinceStart',
  'link:traceID': 'link:traceID',
  'link:spanID': 'link:spanID',
  'instrumentation:name': 'instrumentation:name',
  'instrumentation:version': 'instrumentation:version',
  childCount: 'span:childCount',
};

/** As Tempo's `Attribute.impliedType`; the instrumentation ones are untyped there too. */
export const INTRINSIC_TYPES: Readonly<Record<Intrinsic, InferredType>> = {
  name: 'string',
  status: 'status',
  statusMessage: 'string',
  kind: 'kind',
  duration: 'duration',
  rootName: 'string',
  rootServiceName: 'string',
  traceDuration: 'duration',
  'span:id': 'string',
  'trace:id': 'string',
  'span:parentID': 'string',
  'event:name': 'string',
  'event:timeSinceStart': 'duration',
  'link:traceID': 'string',
  'link:spanID': 'string',
  'instrumentation:name': 'attribute',
  'instrumentation:version': 'attribute',
  childCount: 'integer',
};
