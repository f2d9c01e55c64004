/**
 * Scanners for the literals of TraceQL: quoted text, numbers, durations. Each takes the query and
 * the offset where the literal starts, returns the value and the offset past it, and reports a
 * problem through `fail` with the offset it belongs to.
 */

export type Fail = (detail: string, offset: number) => never;

export interface Scanned<T> {
  readonly value: T;
  readonly end: number;
}

/** 2^63 − 1: the largest nanosecond count (a Go `time.Duration`, a ClickHouse Int64). */
export const MAX_INT64 = 9_223_372_036_854_775_807n;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

/**
 * Double-quoted text with Go's escapes, as Tempo unquotes strings with strconv.Unquote; octal and
 * `\x` byte escapes are left out (they can make invalid UTF-8). `what` names the literal in errors.
 */
export function scanQuoted(
  text: string,
  start: number,
  what: string,
  allowNewline: boolean,
  fail: Fail,
): Scanned<string> {
  let value = '';
  let chunkStart = start + 1;
  let i = chunkStart;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return { value: value + text.slice(chunkStart, i), end: i + 1 };
    if (code === BACKSLASH) {
      value += text.slice(chunkStart, i);
      const escape = scanEscape(text, i, fail);
      value += escape.value;
      i = chunkStart = escape.end;
    } else if (code === NEWLINE && !allowNewline) {
      fail(`newline in ${what} starting`, start);
    } else {
      i++;
    }
  }
  return fail(`unterminated ${what} starting`, start);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

function scanEscape(text: string, backslash: number, fail: Fail): Scanned<string> {
  const letter = text.charAt(backslash + 1);
  const simple = SIMPLE_ESCAPES[letter];
  if (simple !== undefined) return { value: simple, end: backslash + 2 };
  if (letter === 'u' || letter === 'U') {
    const digits = letter === 'u' ? 4 : 8;
    const hex = /^[0-9a-fA-F]*/.exec(text.slice(backslash + 2, backslash + 2 + digits))?.[0] ?? '';
    const codePoint = hex.length === digits ? parseInt(hex, 16) : -1;
    // Go's Unquote rejects surrogate halves and code points past Unicode, and so do we.
    if (codePoint < 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
      fail(`invalid unicode escape '\\${letter}${hex}'`, backslash);
    }
    return { value: String.fromCodePoint(codePoint), end: backslash + 2 + digits };
  }
  if (letter === '') return fail('unterminated escape', backslash);
  return fail(`invalid escape '\\${String.fromCodePoint(text.codePointAt(backslash + 1) ?? 0)}'`, backslash);
}

/** A backtick string: raw, no escapes, may span lines (Go's raw strings, which Tempo accepts). */
export function scanRaw(text: string, start: number, fail: Fail): Scanned<string> {
  const close = text.indexOf('`', start + 1);
  if (close < 0) fail('unterminated string starting', start);
  return { value: text.slice(start + 1, close), end: close + 1 };
}

export type NumberLiteral =
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'duration'; readonly nanos: bigint };

const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;

/** Letters that may follow a number: a duration unit, or garbage we report as one bad literal. */
function isSuffixChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x41 && code <= 0x5a) || // A-Z
    isDigit(code) ||
    code === 0x5f || // _
    code === 0x2e || // .
    code === 0xb5 || // µ micro sign
    code === 0x3bc // μ Greek mu
  );
}

/** `42`, `.5`, `1.5e3`, and durations `300ms`, `1.5s`, `1h30m`; starts at a digit or at `.digit`. */
export function scanNumber(text: string, start: number, fail: Fail): Scanned<NumberLiteral> {
  let i = start;
  while (isDigit(text.charCodeAt(i))) i++;
  let isFloat = false;
  if (text.charCodeAt(i) === 0x2e && isDigit(text.charCodeAt(i + 1))) {
    isFloat = true;
    i++;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charAt(i);
  if (e === 'e' || e === 'E') {
    const sign = text.charAt(i + 1) === '+' || text.charAt(i + 1) === '-' ? 1 : 0;
    if (isDigit(text.charCodeAt(i + 1 + sign))) {
      isFloat = true;
      i += 1 + sign;
      while (isDigit(text.charCodeAt(i))) i++;
    }
  }
  const next = text.charCodeAt(i);
  if (isSuffixChar(next) && next !== 0x2e && !isDigit(next)) {
    let end = i;
    while (isSuffixChar(text.charCodeAt(end))) end++;
    const written = text.slice(start, end);
    const nanos = parseDuration(written);
    if (nanos === undefined) fail(`invalid number or duration '${shorten(written)}'`, start);
    if (nanos > MAX_INT64) fail(`duration '${shorten(written)}' is out of range`, start);
    return { value: { kind: 'duration', nanos }, end };
  }
  const written = text.slice(start, i);
  if (isFloat) {
    const value = Number(written);
    if (!Number.isFinite(value)) fail(`number '${shorten(written)}' is out of range`, start);
    return { value: { kind: 'float', value }, end: i };
  }
  const digits = written.charCodeAt(0) === 0x30 ? written.replace(/^0+(?=\d)/, '') : written;
  // Checked on length first so a hostile 100 kB numeral never reaches BigInt's quadratic parse.
  const value = digits.length > 19 ? undefined : BigInt(digits);
  if (value === undefined || value > MAX_INT64) fail(`integer '${shorten(written)}' is out of range`, start);
  return { value: { kind: 'int', value }, end: i };
}

const UNIT_NANOS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  μs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
  y: 31_536_000_000_000_000n,
};

const DURATION = /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h|d|w|y))+$/;
const DURATION_PART = /(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h|d|w|y)/g;

/**
 * Nanoseconds of a Go/Prometheus duration (`1h30m`, `1.5s`, `2d`); fractions below a nanosecond are
 * dropped, as Go's time.ParseDuration does. Undefined when it is not one.
 */
export function parseDuration(written: string): bigint | undefined {
  if (!DURATION.test(written)) return undefined;
  let nanos = 0n;
  for (const [, whole, fraction = '', unit] of written.matchAll(DURATION_PART)) {
    // More than 20 integer digits is out of range whatever the unit; saying so early bounds BigInt work.
    if (whole.length > 20) return MAX_INT64 + 1n;
    const scale = UNIT_NANOS[unit];
    const digits = fraction.slice(0, 20);
    nanos +=
      BigInt(whole || '0') * scale + (digits ? (BigInt(digits) * scale) / 10n ** BigInt(digits.length) : 0n);
  }
  return nanos;
}

const MAX_SHOWN = 24;

function shorten(written: string): string {
  return written.length > MAX_SHOWN ? `${written.slice(0, MAX_SHOWN)}…` : written;
}
