import type { ConfigNode } from '../../pipeline/config-node.js';
import type { OttlArgument, OttlExpr, OttlOperand, OttlStatement } from '../filter/ottl-ast.js';
import { OttlParseError } from '../filter/ottl-ast.js';
import { compileCondition } from '../filter/ottl-eval.js';
import { parseOttlCondition } from '../filter/ottl-parser.js';
import { parseOttlStatement } from '../filter/ottl-statement-parser.js';
import { StatementError, compileStatement } from './compile-statement.js';
import type { ErrorMode, StatementGroup } from './statement-group.js';
import { ERROR_MODES, TRACE_CONTEXTS } from './statement-group.js';

type Context = StatementGroup['context'];

/** The context each path prefix names, for inference (`instrumentation_scope.` is the scope's older name). */
const PREFIX_CONTEXTS: readonly (readonly [prefix: string, context: Context])[] = [
  ['resource.', 'resource'],
  ['scope.', 'scope'],
  ['instrumentation_scope.', 'scope'],
  ['span.', 'span'],
  ['spanevent.', 'spanevent'],
];

/**
 * One entry of `trace_statements`, in either of the Collector's forms: a group
 * `{ context, conditions, statements, error_mode }` (context optional since v0.120: inferred), or
 * a bare statement string whose context is inferred from its paths' prefixes.
 */
export function parseStatementGroup(item: ConfigNode, errorMode: ErrorMode): StatementGroup {
  if (typeof item.value === 'string') {
    const statement = parse(item, parseOttlStatement);
    const context = inferContext(item, [statement], []);
    return {
      context,
      conditions: [],
      statements: [{ text: item.value, run: compile(item, () => compileStatement(statement, context)) }],
      errorMode,
    };
  }
  const contextNode = item.get('context');
  const conditionNodes = item.get('conditions').items();
  const statementNodes = item.get('statements').items();
  if (statementNodes.length === 0) throw item.get('statements').error('at least one statement is required');
  const conditions = conditionNodes.map((node) => parse(node, parseOttlCondition));
  const statements = statementNodes.map((node) => parse(node, parseOttlStatement));
  const context = contextNode.absent
    ? inferContext(item, statements, conditions)
    : contextNode.oneOf(TRACE_CONTEXTS);
  return {
    context,
    conditions: conditions.map((c, i) => compile(conditionNodes[i], () => compileCondition(c, context))),
    statements: statements.map((s, i) => ({
      text: statementNodes[i].string(),
      run: compile(statementNodes[i], () => compileStatement(s, context)),
    })),
    errorMode: item.get('error_mode').oneOf(ERROR_MODES, errorMode),
  };
}

function parse<T>(node: ConfigNode, parser: (text: string) => T): T {
  const text = node.string();
  try {
    return parser(text);
  } catch (error) {
    if (error instanceof OttlParseError)
      throw node.error(`invalid OTTL ${JSON.stringify(text)}: ${error.message}`);
    throw error;
  }
}

function compile<T>(node: ConfigNode, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof OttlParseError || error instanceof StatementError)
      throw node.error(`invalid OTTL ${JSON.stringify(node.value)}: ${error.message}`);
    throw error;
  }
}

/**
 * The Collector's context inference: every path names its context (`span.name`,
 * `resource.attributes["k"]`, `scope.version`, `spanevent.name`), and the statements run in the
 * narrowest one named — a span event's statement reaches its span, scope and resource too, not
 * the other way round.
 */
function inferContext(node: ConfigNode, statements: OttlStatement[], conditions: OttlExpr[]): Context {
  const paths: OttlOperand[] = [];
  for (const s of statements) {
    for (const arg of s.args) collectArgument(arg, paths);
    if (s.where) collectExpr(s.where, paths);
  }
  for (const c of conditions) collectExpr(c, paths);
  let rank = 0;
  for (const p of paths) {
    if (p.kind !== 'path') continue;
    const named = PREFIX_CONTEXTS.find(([prefix]) => p.path.startsWith(prefix));
    if (!named)
      throw node.error(
        `cannot infer the context of path ${p.path}: prefix every path with its context (resource., scope., span. or spanevent., e.g. span.name, resource.attributes["k"]), or give the group a context`,
      );
    rank = Math.max(rank, TRACE_CONTEXTS.indexOf(named[1]));
  }
  return TRACE_CONTEXTS[rank];
}

function collectArgument(arg: OttlArgument, into: OttlOperand[]): void {
  if (arg.kind === 'list') into.push(...arg.items);
  else into.push(arg);
}

function collectExpr(e: OttlExpr, into: OttlOperand[]): void {
  switch (e.kind) {
    case 'or':
    case 'and':
      collectExpr(e.left, into);
      collectExpr(e.right, into);
      return;
    case 'not':
      collectExpr(e.operand, into);
      return;
    case 'compare':
      into.push(e.left, e.right);
      return;
    case 'isMatch':
      into.push(e.target);
      return;
    case 'bool':
      into.push(e.operand);
  }
}
