import type { OttlContext } from '../filter/ottl-eval.js';
import type { RunStatement } from './compile-statement.js';

export type ErrorMode = 'propagate' | 'ignore' | 'silent';
export const ERROR_MODES = ['propagate', 'ignore', 'silent'] as const;

/** Statements that share a context and `conditions` (the Collector's `ContextStatements`). */
export interface StatementGroup {
  context: 'span' | 'resource';
  /** The statements run only where any of these holds; none: everywhere. */
  conditions: ((ctx: OttlContext) => boolean)[];
  statements: { text: string; run: RunStatement }[];
  errorMode: ErrorMode;
}
