/** The OTTL condition subset the `filter` processor understands, as a tree. */
export type OttlValue = string | number | bigint | boolean | null;

export type OttlExpr =
  | { kind: 'or' | 'and'; left: OttlExpr; right: OttlExpr }
  | { kind: 'not'; operand: OttlExpr }
  | { kind: 'compare'; op: CompareOp; left: OttlOperand; right: OttlOperand }
  | { kind: 'isMatch'; target: OttlOperand; pattern: RegExp }
  | { kind: 'bool'; operand: OttlOperand };

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type OttlOperand =
  | { kind: 'literal'; value: OttlValue }
  /** A path such as `name`, `status.code`, `attributes["http.route"]`, `resource.attributes["service.name"]`. */
  | { kind: 'path'; path: string; key: string | undefined; column: number };

export type OttlPath = Extract<OttlOperand, { kind: 'path' }>;

/** A condition that cannot be read: the column (1-based) and what was wrong. */
export class OttlParseError extends Error {
  override readonly name = 'OttlParseError';
  constructor(
    readonly column: number,
    problem: string,
  ) {
    super(`at column ${column}: ${problem}`);
  }
}

/** An argument of an OTTL function: a path or literal, or a list of them (`["a", "b"]`). */
export type OttlArgument = OttlOperand | { kind: 'list'; items: OttlOperand[] };

/** An OTTL statement: an editor call such as `set(name, "x")` with an optional `where` condition. */
export interface OttlStatement {
  fn: string;
  args: OttlArgument[];
  where: OttlExpr | undefined;
}
