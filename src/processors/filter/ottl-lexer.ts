import { OttlParseError } from './ottl-ast.js';

/** A token of OTTL text; `at` is its 0-based offset, for errors. */
export type Token =
  | { t: 'str'; v: string; at: number }
  | { t: 'num'; v: number | bigint; at: number }
  | { t: 'id'; v: string; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'end'; at: number };

/** Splits OTTL text into tokens: strings (with `\` escapes), ints, floats, names and operators. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let v = '';
      const at = i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        v += text[i++];
      }
      if (i >= text.length) throw new OttlParseError(at + 1, 'unterminated string');
      i++;
      out.push({ t: 'str', v, at });
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
      if (!m) throw new OttlParseError(i + 1, `unexpected "${c}"`);
      out.push({ t: 'num', v: m[1] || m[2] ? Number(m[0]) : BigInt(m[0]), at: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      out.push({ t: 'id', v: m[0], at: i });
      i += m[0].length;
    } else {
      const two = text.slice(i, i + 2);
      const op = ['==', '!=', '<=', '>='].includes(two) ? two : '<>()[].,'.includes(c) ? c : undefined;
      if (!op) throw new OttlParseError(i + 1, `unexpected "${c}"`);
      out.push({ t: 'op', v: op, at: i });
      i += op.length;
    }
  }
  out.push({ t: 'end', at: text.length });
  return out;
}
