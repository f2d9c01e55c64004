import type { ProcessorFactory } from '../../pipeline/component-factory.js';
import type { ConfigNode } from '../../pipeline/config-node.js';
import { newTracesProcessor } from '../processor-helper.js';
import { OttlParseError } from './ottl-ast.js';
import type { OttlContext } from './ottl-eval.js';
import { compileCondition } from './ottl-eval.js';
import { parseOttlCondition } from './ottl-parser.js';

type Condition = (ctx: OttlContext) => boolean;

/** The Collector `filter` processor (OTTL form): spans or span events matching any condition are dropped. */
export interface FilterConfig {
  errorMode: 'propagate' | 'ignore' | 'silent';
  span: Condition[];
  spanevent: Condition[];
}

function parseConditions(node: ConfigNode, context: 'span' | 'spanevent'): Condition[] {
  return node.items().map((item) => {
    const text = item.string();
    try {
      return compileCondition(parseOttlCondition(text), context);
    } catch (error) {
      if (error instanceof OttlParseError)
        throw item.error(`invalid condition ${JSON.stringify(text)}: ${error.message}`);
      throw error;
    }
  });
}

export const filterProcessorFactory: ProcessorFactory<FilterConfig> = {
  type: 'filter',
  createDefaultConfig: () => ({ errorMode: 'propagate', span: [], spanevent: [] }),
  parseConfig(node): FilterConfig {
    const traces = node.get('traces');
    return {
      // Evaluation here cannot fail at run time (a type mismatch is false), so the mode only needs to be valid.
      errorMode: node.get('error_mode').oneOf(['propagate', 'ignore', 'silent'] as const, 'propagate'),
      span: parseConditions(traces.get('span'), 'span'),
      spanevent: parseConditions(traces.get('spanevent'), 'spanevent'),
    };
  },
  createTraces: (_settings, config, next) =>
    newTracesProcessor((data) => {
      const ctx: OttlContext = {
        span: undefined!,
        resource: undefined!,
        scope: undefined!,
        event: undefined,
      };
      for (const rs of data) {
        ctx.resource = rs.resource;
        for (const ss of rs.scopeSpans) {
          ctx.scope = ss.scope;
          let kept = 0;
          for (const span of ss.spans) {
            ctx.span = span;
            ctx.event = undefined;
            if (config.span.some((condition) => condition(ctx))) continue;
            if (config.spanevent.length > 0 && span.events.length > 0) {
              span.events = span.events.filter((event) => {
                ctx.event = event;
                return !config.spanevent.some((condition) => condition(ctx));
              });
            }
            ss.spans[kept++] = span;
          }
          ss.spans.length = kept;
        }
      }
      return data;
    }, next),
};
