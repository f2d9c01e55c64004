import type { ProcessorFactory } from '../../pipeline/component-factory.js';
import { newTracesProcessor } from '../processor-helper.js';
import type { AttributeAction } from '../shared/attribute-actions.js';
import { applyAttributeActions, parseAttributeActions } from '../shared/attribute-actions.js';

/** The Collector `resource` processor: the `attributes` actions, applied to resource attributes. */
export interface ResourceConfig {
  actions: AttributeAction[];
}

export const resourceProcessorFactory: ProcessorFactory<ResourceConfig> = {
  type: 'resource',
  createDefaultConfig: () => ({ actions: [] }),
  // The Collector names the list `attributes` here, with the same entries as `actions`.
  parseConfig: (node) => ({ actions: parseAttributeActions(node.get('attributes')) }),
  createTraces: (_settings, config, next) =>
    newTracesProcessor((data) => {
      for (const rs of data) applyAttributeActions(config.actions, rs.resource.attributes);
      return data;
    }, next),
};
