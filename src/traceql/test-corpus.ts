import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * The TraceQL corpora under testdata/, for the table-driven tests of the parser and the printer
 * (and for anyone else who needs real queries, such as the compiler's tests).
 */

export interface ValidEntry {
  readonly query: string;
  /** The printer's exact output, where the corpus pins it. */
  readonly printed?: string;
}

export interface InvalidEntry {
  readonly query: string;
  readonly error: string;
  readonly unsupported: boolean;
}

function load(name: string): unknown[] {
  const parsed: unknown = parse(readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`testdata/${name} is not a list`);
  return parsed as unknown[];
}

export function validQueries(): ValidEntry[] {
  return load('valid.yaml').map((entry) =>
    typeof entry === 'string' ? { query: entry } : (entry as ValidEntry),
  );
}

export function invalidQueries(): InvalidEntry[] {
  return load('invalid.yaml').map((entry) => {
    const { query, error, unsupported } = entry as { query: string; error: string; unsupported?: boolean };
    return { query, error, unsupported: unsupported ?? false };
  });
}
