import type { KeyValue } from '../../model/attributes.js';
import type { OttlContext, OttlContextName } from './ottl-eval.js';

/** What a path reaches: the telemetry one statement or condition runs on, or one of its parents. */
export type OttlEntity = 'resource' | 'scope' | 'span' | 'event';

/** A path split into what it reaches and the field of it: `resource.attributes` → resource, `attributes`. */
export interface ResolvedPath {
  entity: OttlEntity;
  field: string;
}

/** Each context's own entity, the one unprefixed paths name. */
const OWN: Record<OttlContextName, OttlEntity> = {
  resource: 'resource',
  scope: 'scope',
  span: 'span',
  spanevent: 'event',
};

/** The entities a context's paths reach: its own and its parents', as in the Collector's OTTL contexts. */
export const REACHABLE: Record<OttlContextName, readonly OttlEntity[]> = {
  resource: ['resource'],
  scope: ['scope', 'resource'],
  span: ['span', 'scope', 'resource'],
  spanevent: ['event', 'span', 'scope', 'resource'],
};

/**
 * Prefixes naming an entity. `instrumentation_scope.` is how span and span event paths have always
 * reached the scope; `scope.` is the scope context's own name (context-prefixed paths, Collector
 * v0.120+), accepted everywhere the scope is reachable.
 */
const PREFIXES: readonly (readonly [prefix: string, entity: OttlEntity])[] = [
  ['resource.', 'resource'],
  ['instrumentation_scope.', 'scope'],
  ['scope.', 'scope'],
  ['spanevent.', 'event'],
  ['span.', 'span'],
];

/** How error messages name an entity's fields when the context is another one's. */
export const PREFIX_OF: Record<OttlEntity, string> = {
  resource: 'resource.',
  scope: 'instrumentation_scope.',
  span: 'span.',
  event: 'spanevent.',
};

/** Splits a path into entity and field; undefined when its prefix names an entity the context cannot reach. */
export function resolvePath(path: string, context: OttlContextName): ResolvedPath | undefined {
  for (const [prefix, entity] of PREFIXES) {
    if (!path.startsWith(prefix)) continue;
    if (!REACHABLE[context].includes(entity)) return undefined;
    return { entity, field: path.slice(prefix.length) };
  }
  return { entity: OWN[context], field: path };
}

/** The attribute list of an entity, edited in place by the transform processor's map functions. */
export const ATTRIBUTES_OF: Record<OttlEntity, (ctx: OttlContext) => KeyValue[]> = {
  resource: (c) => c.resource.attributes,
  scope: (c) => c.scope.attributes,
  span: (c) => c.span.attributes,
  // Only the spanevent context reaches events, and it always sets one.
  event: (c) => c.event!.attributes,
};

/**
 * The names a context knows, for error messages: its own entity's first (unprefixed), then each
 * parent's with its prefix; `fields` lists an entity's fields, `attributes` whether its
 * `attributes["key"]` counts.
 */
export function knownPaths(
  context: OttlContextName,
  fields: (entity: OttlEntity) => readonly string[],
  attributes: (entity: OttlEntity) => boolean,
): string[] {
  const known: string[] = [];
  for (const entity of REACHABLE[context]) {
    const prefix = entity === OWN[context] ? '' : PREFIX_OF[entity];
    for (const field of fields(entity)) known.push(`${prefix}${field}`);
    if (attributes(entity)) known.push(`${prefix}attributes["key"]`);
  }
  return known;
}
