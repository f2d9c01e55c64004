import type { Position } from '../ast.js';
import { ParseError, UnsupportedError } from '../parse-error.js';

/**
 * A query that parses but cannot run as written: a type mismatch the grammar allows
 * (`duration = "x"`). A ParseError, so every edge answers it as the user's to fix (HTTP 400), with
 * the position of the offending part.
 */
export class QueryCompileError extends ParseError {
  override readonly name: string = 'QueryCompileError';
}

/** A construct Tempo has that Tracehouse does not execute yet. */
export function unsupported(what: string, position: Position): UnsupportedError {
  return new UnsupportedError(`${what} is not supported yet`, position);
}
