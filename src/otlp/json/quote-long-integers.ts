/**
 * OTLP/JSON text with every integer literal of 16 digits or more turned into a string holding it,
 * so that JSON.parse keeps its digits. The OTLP JSON encoding sends 64-bit integers (timestamps in
 * nanoseconds, int attributes) as strings, but decoders must accept numbers too, and JSON.parse
 * rounds a number past 2^53: 1795800000000000001 would be stored as …0000, silently. Every integer
 * field of the proto3 JSON mapping, and `doubleValue`, accepts the string form, so the quoting
 * changes no meaning. Text with no such literal (what the SDKs send) is returned as it is.
 */
export function quoteLongIntegers(text: string): string {
  if (!MAYBE_LONG_LITERAL.test(text)) return text;
  const parts: string[] = [];
  let copiedTo = 0;
  let at = 0;
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (c === QUOTE) {
      at = stringEnd(text, at);
      continue;
    }
    if (c !== MINUS && !isDigit(c)) {
      at++;
      continue;
    }
    const start = at;
    at++;
    while (at < text.length && isNumberChar(text.charCodeAt(at))) at++;
    const literal = text.slice(start, at);
    if (LONG_INTEGER.test(literal)) {
      parts.push(text.slice(copiedTo, start), `"${literal}"`);
      copiedTo = at;
    }
  }
  if (copiedTo === 0) return text;
  parts.push(text.slice(copiedTo));
  return parts.join('');
}

/** A cheap first look: a run of 16 digits right after what can precede a JSON value. */
const MAYBE_LONG_LITERAL = /[:[,]\s*-?\d{16}/;
const LONG_INTEGER = /^-?\d{16,}$/;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;

/** The index after the string starting at `open` (a quote), or the text's end if it never ends. */
function stringEnd(text: string, open: number): number {
  let at = open + 1;
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (c === BACKSLASH) at += 2;
    else if (c === QUOTE) return at + 1;
    else at++;
  }
  return at;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isNumberChar(c: number): boolean {
  // Digits, '.', 'e', 'E', '+', '-': a literal such as 1.5e+20 is read whole and left alone.
  return isDigit(c) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === MINUS;
}
