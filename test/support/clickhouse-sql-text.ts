/**
 * Test support for the ClickHouse-HTTP-over-chdb server: the little SQL text handling a real
 * server does before it executes a request (binding `param_<name>` values to `{name:Type}`
 * placeholders, splitting `INSERT … FORMAT X` from the data that follows it).
 */

/** Every `{name:Type}` placeholder's declared type, by name (types may nest parentheses). */
export function placeholderTypes(sql: string): Map<string, string> {
  const types = new Map<string, string>();
  const start = /\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*:/g;
  for (let m = start.exec(sql); m !== null; m = start.exec(sql)) {
    let depth = 0;
    let i = m.index + m[0].length;
    for (; i < sql.length; i++) {
      const c = sql[i];
      if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (c === '}' && depth === 0) break;
    }
    if (i < sql.length) types.set(m[1], sql.slice(m.index + m[0].length, i).trim());
  }
  return types;
}

/** Array, Map, Tuple, Nested (possibly inside Nullable/LowCardinality): parsed as a literal. */
export function isCompositeType(type: string): boolean {
  const inner = type.replace(/^(?:Nullable|LowCardinality)\((.*)\)$/s, '$1').trim();
  return /^(?:Array|Map|Tuple|Nested)\s*\(/.test(inner);
}

/**
 * The value of an escaped (TabSeparated) field, as ClickHouse's `readEscapedString` reads it:
 * how a server reads a `param_<name>` of a scalar type. `\N` alone is NULL.
 */
export function unescapeTsv(text: string): string | null {
  if (text === '\\N') return null;
  const simple: Record<string, string> = {
    b: '\b',
    f: '\f',
    n: '\n',
    r: '\r',
    t: '\t',
    '0': '\0',
    a: '\x07',
    v: '\v',
  };
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\' || i === text.length - 1) {
      out += c;
      continue;
    }
    const next = text[++i];
    if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      out += String.fromCharCode(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else out += simple[next] ?? next;
  }
  return out;
}

/** Top-level (outside quotes and parentheses) positions of a keyword, case-insensitive. */
export function topLevelKeyword(sql: string, keyword: string): number[] {
  const found: number[] = [];
  let depth = 0;
  let quote: string | undefined;
  const re = new RegExp(`^${keyword}\\b`, 'i');
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && /\w/.test(c) && (i === 0 || !/\w/.test(sql[i - 1])) && re.test(sql.slice(i)))
      found.push(i);
  }
  return found;
}

/**
 * `INSERT INTO t (…) [SETTINGS …] FORMAT X` with its data in a file, as
 * `INSERT INTO t (…) [SETTINGS …] SELECT * FROM file(<file>, 'X')`. Not `FROM INFILE`: chdb
 * applies no insert settings (insert_deduplicate among them) to an insert from the client's side.
 * Undefined when `sql` is not an INSERT that ends in a FORMAT clause, i.e. has no place for a body.
 */
export function insertFromFile(sql: string, file: string): string | undefined {
  const trimmed = sql.trim().replace(/;$/, '').trimEnd();
  if (!/^INSERT\s+INTO\b/i.test(trimmed)) return undefined;
  const formats = topLevelKeyword(trimmed, 'FORMAT');
  const format =
    formats.length === 0 ? undefined : /^FORMAT\s+(\w+)$/i.exec(trimmed.slice(formats[formats.length - 1]));
  if (!format) return undefined;
  const quoted = `'${file.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return `${trimmed.slice(0, formats[formats.length - 1])}SELECT * FROM file(${quoted}, '${format[1]}')`;
}
