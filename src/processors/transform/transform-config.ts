import { PermanentError } from '../../consumer/errors.js';
import type { ProcessorFactory } from '../../pipeline/component-factory.js';
import { newTracesProcessor } from '../processor-helper.js';
import { parseStatementGroup } from './parse-statement-groups.js';
import { runStatementGroups } from './run-statement-groups.js';
import type { OnStatementError } from './run-statement-groups.js';
import type { ErrorMode, StatementGroup } from './statement-group.js';
import { ERROR_MODES } from './statement-group.js';

/** The Collector `transform` processor, lite: OTTL statements over spans and resources (README lists the subset). */
export interface TransformConfig {
  errorMode: ErrorMode;
  groups: StatementGroup[];
}

export const transformProcessorFactory: ProcessorFactory<TransformConfig> = {
  type: 'transform',
  createDefaultConfig: () => ({ errorMode: 'propagate', groups: [] }),
  parseConfig(node): TransformConfig {
    const errorMode = node.get('error_mode').oneOf(ERROR_MODES, 'propagate');
    const statements = node.get('trace_statements');
    const groups = statements.items().map((item) => parseStatementGroup(item, errorMode));
    if (groups.length === 0) throw statements.error('at least one statement is required');
    return { errorMode, groups };
  },
  createTraces: (settings, config, next) => {
    const onError: OnStatementError = (group, statement, error) => {
      // As the Collector's error modes: propagate refuses the batch (the data is bad, so a
      // permanent error), ignore logs and goes on with the next statement, silent just goes on.
      if (group.errorMode === 'propagate')
        throw new PermanentError(
          `${settings.id}: statement ${JSON.stringify(statement)} failed: ${error.message}`,
        );
      if (group.errorMode === 'ignore')
        settings.logger.warn({ statement, error: error.message }, 'transform statement failed; ignored');
    };
    return {
      ...newTracesProcessor((data) => {
        runStatementGroups(config.groups, data, onError);
        return data;
      }, next),
      mutatesData: true,
    };
  },
};
