import type { Position } from './ast.js';

/** `line:column`, as it appears at the end of every TraceQL error message. */
export function formatPosition(position: Position): string {
  return `${position.line}:${position.column}`;
}

/**
 * The query is not TraceQL: a syntax error, or a construct Tempo rejects as invalid. The message
 * ends with ` at line:column` so it can be shown to a person as it is; `detail` is the same without
 * the position, for callers that render the position themselves (an editor underline).
 */
export class ParseError extends Error {
  override readonly name: string = 'ParseError';
  readonly detail: string;
  readonly position: Position;

  constructor(detail: string, position: Position) {
    super(`${detail} at ${formatPosition(position)}`);
    this.detail = detail;
    this.position = position;
  }
}

/**
 * The query is valid TraceQL that Tracehouse cannot run yet (metrics arithmetic, `compare()`,
 * hints). Its own kind, as in Tempo, so a user learns it is us, not them; a ParseError too, so an
 * edge that maps ParseError to 400 covers it (Tempo answers 400 for both).
 */
export class UnsupportedError extends ParseError {
  override readonly name: string = 'UnsupportedError';
}
