import type { SpanEvent, TracesData } from '../../model/span.js';
import type { OttlContext } from '../filter/ottl-eval.js';
import { OttlRuntimeError } from './ottl-runtime-error.js';
import type { StatementGroup } from './statement-group.js';

/** Told of each statement that failed on a span, event, scope or resource; decides (by error mode) what follows. */
export type OnStatementError = (group: StatementGroup, statement: string, error: OttlRuntimeError) => void;

/**
 * Runs each group over the batch in config order, as the Collector does: a group runs once per
 * resource, scope, span or span event as its context says; within a group, statements in order.
 */
export function runStatementGroups(
  groups: readonly StatementGroup[],
  data: TracesData,
  onError: OnStatementError,
): void {
  // One context object reused for the whole batch: no allocation per span.
  const ctx: OttlContext = { span: undefined!, resource: undefined!, scope: undefined!, event: undefined };
  for (const group of groups) {
    for (const rs of data) {
      ctx.resource = rs.resource;
      if (group.context === 'resource') {
        runGroup(group, ctx, onError);
        continue;
      }
      for (const ss of rs.scopeSpans) {
        ctx.scope = ss.scope;
        if (group.context === 'scope') {
          runGroup(group, ctx, onError);
          continue;
        }
        for (const span of ss.spans) {
          ctx.span = span;
          if (group.context === 'span') runGroup(group, ctx, onError);
          else for (const event of span.events) runEventGroup(group, ctx, event, onError);
        }
      }
    }
  }
}

function runEventGroup(
  group: StatementGroup,
  ctx: OttlContext,
  event: SpanEvent,
  onError: OnStatementError,
): void {
  ctx.event = event;
  try {
    runGroup(group, ctx, onError);
  } finally {
    ctx.event = undefined;
  }
}

function runGroup(group: StatementGroup, ctx: OttlContext, onError: OnStatementError): void {
  if (group.conditions.length > 0 && !anyHolds(group.conditions, ctx)) return;
  for (const statement of group.statements) {
    try {
      statement.run(ctx);
    } catch (error) {
      if (!(error instanceof OttlRuntimeError)) throw error;
      onError(group, statement.text, error);
    }
  }
}

function anyHolds(conditions: StatementGroup['conditions'], ctx: OttlContext): boolean {
  for (const condition of conditions) if (condition(ctx)) return true;
  return false;
}
