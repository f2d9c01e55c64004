import type { ProcessorFactory } from '../../pipeline/component-factory.js';
import { newTracesProcessor } from '../processor-helper.js';
import type { AttributeAction } from '../shared/attribute-actions.js';
import { applyAttributeActions, parseAttributeActions } from '../shared/attribute-actions.js';
import type { SpanFilter } from '../shared/span-matcher.js';
import { parseSpanFilter } from '../shared/span-matcher.js';

/** The Collector `attributes` processor: `actions` on span attributes, limited by `include`/`exclude`. */
export interface AttributesConfig {
  actions: AttributeAction[];
  filter: SpanFilter | undefined;
}

export const attributesProcessorFactory: ProcessorFactory<AttributesConfig> = {
  type: 'attributes',
  createDefaultConfig: () => ({ actions: [], filter: undefined }),
  parseConfig: (node) => ({
    actions: parseAttributeActions(node.get('actions')),
    filter: parseSpanFilter(node.get('include'), node.get('exclude')),
  }),
  createTraces: (_settings, config, next) =>
    newTracesProcessor((data) => {
      for (const rs of data)
        for (const ss of rs.scopeSpans)
          for (const span of ss.spans)
            if (!config.filter || config.filter(span, rs.resource, ss.scope))
              applyAttributeActions(config.actions, span.attributes);
      return data;
    }, next),
};
