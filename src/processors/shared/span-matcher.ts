import type { AnyValue } from '../../model/attributes.js';
import { findAttribute } from '../../model/attributes.js';
import type { InstrumentationScope, Resource, Span } from '../../model/span.js';
import type { ConfigNode } from '../../pipeline/config-node.js';
import { attributeString } from '../../model/attribute-string.js';
import { configValue } from './config-value.js';

/** OTLP's enum names for span kinds, as the Collector's `span_kinds` lists them. */
export const SPAN_KIND_NAMES = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
] as const;

interface Matcher {
  services: ((text: string) => boolean)[];
  spanNames: ((text: string) => boolean)[];
  spanKinds: number[];
  attributes: { key: string; value: AnyValue | undefined; match: ((text: string) => boolean) | undefined }[];
  resources: { key: string; value: AnyValue | undefined; match: ((text: string) => boolean) | undefined }[];
  libraries: { name: (text: string) => boolean; version: ((text: string) => boolean) | undefined }[];
}

/** True when the span should be processed: it matches `include` (if any) and not `exclude` (if any). */
export type SpanFilter = (span: Span, resource: Resource, scope: InstrumentationScope) => boolean;

/**
 * The Collector's `include`/`exclude` span matching (internal/filter/filterspan): `match_type`
 * strict or regexp; each property given (services, span_names, span_kinds, attributes,
 * resources, libraries) must match — a list matches if any entry does, except attributes and
 * resources, which must all match.
 */
export function parseSpanFilter(include: ConfigNode, exclude: ConfigNode): SpanFilter | undefined {
  const inc = include.absent ? undefined : parseMatcher(include);
  const exc = exclude.absent ? undefined : parseMatcher(exclude);
  if (!inc && !exc) return undefined;
  return (span, resource, scope) =>
    (!inc || matches(inc, span, resource, scope)) && !(exc && matches(exc, span, resource, scope));
}

function parseMatcher(node: ConfigNode): Matcher {
  const matchType = node.get('match_type').oneOf(['strict', 'regexp'] as const);
  const text = (n: ConfigNode): ((s: string) => boolean) => {
    if (matchType === 'regexp') {
      const re = n.regex();
      return (s) => re.test(s);
    }
    const want = n.string();
    return (s) => s === want;
  };
  const keyValues = (n: ConfigNode): Matcher['attributes'] =>
    n.items().map((item) => {
      const valueNode = item.get('value');
      return {
        key: item.get('key').string(),
        value: matchType === 'strict' && !valueNode.absent ? configValue(valueNode) : undefined,
        match: matchType === 'regexp' && !valueNode.absent ? text(valueNode) : undefined,
      };
    });
  const matcher: Matcher = {
    services: node.get('services').items().map(text),
    spanNames: node.get('span_names').items().map(text),
    spanKinds: node
      .get('span_kinds')
      .items()
      .map((k) => SPAN_KIND_NAMES.indexOf(k.oneOf(SPAN_KIND_NAMES))),
    attributes: keyValues(node.get('attributes')),
    resources: keyValues(node.get('resources')),
    libraries: node
      .get('libraries')
      .items()
      .map((lib) => ({
        name: text(lib.get('name')),
        version: lib.get('version').absent ? undefined : text(lib.get('version')),
      })),
  };
  const any = Object.values(matcher).some((list: unknown[]) => list.length > 0);
  if (!any)
    throw node.error(
      'needs at least one of services, span_names, span_kinds, attributes, resources, libraries',
    );
  return matcher;
}

function matches(m: Matcher, span: Span, resource: Resource, scope: InstrumentationScope): boolean {
  if (m.services.length > 0) {
    const service = findAttribute(resource.attributes, 'service.name');
    if (typeof service !== 'string' || !m.services.some((f) => f(service))) return false;
  }
  if (m.spanNames.length > 0 && !m.spanNames.some((f) => f(span.name))) return false;
  if (m.spanKinds.length > 0 && !m.spanKinds.includes(span.kind)) return false;
  if (!m.attributes.every((a) => attributeMatches(a, findAttribute(span.attributes, a.key)))) return false;
  if (!m.resources.every((a) => attributeMatches(a, findAttribute(resource.attributes, a.key)))) return false;
  if (
    m.libraries.length > 0 &&
    !m.libraries.some((l) => l.name(scope.name) && (!l.version || l.version(scope.version)))
  )
    return false;
  return true;
}

function attributeMatches(want: Matcher['attributes'][number], got: AnyValue | undefined): boolean {
  if (got === undefined) return false;
  if (want.match) return want.match(attributeString(got));
  if (want.value === undefined) return true;
  return attributeString(want.value) === attributeString(got) && typeof want.value === typeof got;
}
