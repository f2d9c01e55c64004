import type { OttlArgument, OttlStatement } from './ottl-ast.js';
import { OttlParser } from './ottl-parser.js';

/**
 * Parses an OTTL statement: `editor(arg, ...)` optionally followed by `where <condition>`.
 * Arguments are paths, literals and lists of them; converters (`Concat(...)`) are not supported.
 */
export function parseOttlStatement(text: string): OttlStatement {
  const p = new OttlParser(text);
  const name = p.next();
  if (name.t !== 'id') return p.fail('expected a function call such as set(name, "x")', name);
  p.expectOp('(');
  const args: OttlArgument[] = [];
  if (!p.isOp(')')) {
    args.push(argument(p));
    while (p.isOp(',')) {
      p.next();
      args.push(argument(p));
    }
  }
  p.expectOp(')');
  let where;
  if (p.isWord('where')) {
    p.next();
    where = p.condition();
  }
  if (p.peek().t !== 'end') p.fail('unexpected text after the statement; expected "where" or the end');
  return { fn: name.v, args, where };
}

function argument(p: OttlParser): OttlArgument {
  const tok = p.peek();
  if (tok.t === 'id' && p.isOpAt(1, '('))
    return p.fail(`${tok.v}(...) is not supported as an argument: arguments are paths, values and lists`);
  if (!p.isOp('[')) return p.operand();
  p.next();
  const items = [];
  if (!p.isOp(']')) {
    items.push(p.operand());
    while (p.isOp(',')) {
      p.next();
      items.push(p.operand());
    }
  }
  p.expectOp(']');
  return { kind: 'list', items };
}
