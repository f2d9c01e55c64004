import type { Status } from '../../model/span.js';
import { StatusCode } from '../../model/span.js';
import type { ProcessorFactory } from '../../pipeline/component-factory.js';
import type { ConfigNode } from '../../pipeline/config-node.js';
import { newTracesProcessor } from '../processor-helper.js';
import type { SpanFilter } from '../shared/span-matcher.js';
import { parseSpanFilter } from '../shared/span-matcher.js';
import type { ToAttributesRule } from './rename-span.js';
import { extractToAttributes, renameFromAttributes } from './rename-span.js';

/** The Collector `span` processor: renames spans from or into attributes and sets their status. */
export interface SpanConfig {
  fromAttributes: string[];
  separator: string;
  toAttributes: { rules: ToAttributesRule[]; breakAfterMatch: boolean; keepOriginalName: boolean };
  /** Absent: the status is left alone. */
  status: Status | undefined;
  filter: SpanFilter | undefined;
}

const STATUS_CODES = { Ok: StatusCode.OK, Error: StatusCode.ERROR, Unset: StatusCode.UNSET } as const;

export const spanProcessorFactory: ProcessorFactory<SpanConfig> = {
  type: 'span',
  createDefaultConfig: () => ({
    fromAttributes: [],
    separator: '',
    toAttributes: { rules: [], breakAfterMatch: false, keepOriginalName: false },
    status: undefined,
    filter: undefined,
  }),
  parseConfig(node): SpanConfig {
    const name = node.get('name');
    const fromAttributes = name.get('from_attributes').stringList();
    const separatorNode = name.get('separator');
    if (!separatorNode.absent && fromAttributes.length === 0)
      throw separatorNode.error('is used only with from_attributes');
    const to = name.get('to_attributes');
    const rules = to.get('rules');
    const toAttributes = {
      rules: rules.items().map(parseRule),
      breakAfterMatch: to.get('break_after_match').bool(false),
      keepOriginalName: to.get('keep_original_name').bool(false),
    };
    if (!to.absent && toAttributes.rules.length === 0) throw rules.error('at least one rule is required');
    const status = parseStatus(node.get('status'));
    // As the Collector's factory: a span processor that would do nothing is a mistake.
    if (fromAttributes.length === 0 && toAttributes.rules.length === 0 && !status)
      throw node.error('needs name.from_attributes, name.to_attributes.rules or status');
    return {
      fromAttributes,
      separator: separatorNode.string(''),
      toAttributes,
      status,
      filter: parseSpanFilter(node.get('include'), node.get('exclude')),
    };
  },
  createTraces: (_settings, config, next) => ({
    ...newTracesProcessor((data) => {
      const { fromAttributes, separator, toAttributes, status, filter } = config;
      for (const rs of data)
        for (const ss of rs.scopeSpans)
          for (const span of ss.spans) {
            if (filter && !filter(span, rs.resource, ss.scope)) continue;
            // The Collector's order: from_attributes, then to_attributes (on the new name), then status.
            if (fromAttributes.length > 0) renameFromAttributes(span, fromAttributes, separator);
            if (toAttributes.rules.length > 0)
              extractToAttributes(
                span,
                toAttributes.rules,
                toAttributes.breakAfterMatch,
                toAttributes.keepOriginalName,
              );
            if (status) span.status = { code: status.code, message: status.message };
          }
      return data;
    }, next),
    mutatesData: true,
  }),
};

/**
 * A rule's every capturing group must be named: the Collector would turn an unnamed one into an
 * attribute with an empty key, which is never what was meant (`(?:...)` groups without capturing).
 */
function parseRule(item: ConfigNode): ToAttributesRule {
  const pattern = item.regex('d');
  // Matching the pattern or-ed with nothing lists every group, named or not, without a real input.
  const probe = new RegExp(`${pattern.source}|`, pattern.flags).exec('')!;
  const groupNames = Object.keys(probe.groups ?? {});
  if (groupNames.length === 0)
    throw item.error('needs at least one named group, e.g. ^/api/(?P<version>v\\d+)/');
  if (groupNames.length !== probe.length - 1)
    throw item.error('every capturing group must be named (use (?:...) to group without capturing)');
  return { pattern, groupNames };
}

function parseStatus(node: ConfigNode): Status | undefined {
  if (node.absent) return undefined;
  const code = node.get('code').oneOf(['Ok', 'Error', 'Unset'] as const);
  const description = node.get('description');
  // The OpenTelemetry API keeps a description only with an Error status; the Collector refuses one otherwise.
  if (!description.absent && code !== 'Error')
    throw description.error(`can be set only with code Error, not ${code}`);
  return { code: STATUS_CODES[code], message: description.string('') };
}
