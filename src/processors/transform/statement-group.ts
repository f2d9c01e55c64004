import type { OttlContext, OttlContextName } from '../filter/ottl-eval.js';
import type { RunStatement } from './compile-statement.js';

export type ErrorMode = 'propagate' | 'ignore' | 'silent';
export const ERROR_MODES = ['propagate', 'ignore', 'silent'] as const;

/** The contexts `trace_statements` groups may name, broadest first (the order inference ranks them in). */
export const TRACE_CONTEXTS = [
  'resource',
  'scope',
  'span',
  'spanevent',
] as const satisfies readonly OttlContextName[];

/** Statements that share a context and `conditions` (the Collector's `ContextStatements`). */
export interface StatementGroup {
  context: OttlContextName;
  /** The statements run only where any of these holds; none: everywhere. */
  conditions: ((ctx: OttlContext) => boolean)[];
  statements: { text: string; run: RunStatement }[];
  errorMode: ErrorMode;
}
