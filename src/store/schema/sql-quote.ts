/**
 * The one place where names and text become ClickHouse SQL tokens. Identifiers go in backticks and
 * literals in single quotes; inside both, ClickHouse reads C-style backslash escapes, so the
 * backslash and the quote character are escaped and nothing else can end the token.
 * (ClickHouse "Syntax" reference: identifiers and string literals.)
 */

/** A database, table or column name, always backquoted so that no name is read as a keyword. */
export function quoteIdentifier(name: string): string {
  return '`' + escapeFor(name, '`') + '`';
}

/** A string literal, for the few schema queries that compare against names (system tables). */
export function quoteString(text: string): string {
  return "'" + escapeFor(text, "'") + "'";
}

function escapeFor(text: string, quote: '`' | "'"): string {
  if (text.includes('\0')) {
    // A NUL cuts the statement short in the embedded engine's C boundary; no real name has one.
    throw new RangeError('a ClickHouse name or literal cannot contain a NUL character');
  }
  return text.replaceAll('\\', '\\\\').replaceAll(quote, '\\' + quote);
}

/** `database`.`table` */
export function qualifiedName(database: string, table: string): string {
  return `${quoteIdentifier(database)}.${quoteIdentifier(table)}`;
}
