import { describe, expect, it } from 'vitest';
import { minMatchLength } from './min-match-length.js';

describe('minMatchLength', () => {
  it('adds up the minimum repetitions of single-character atoms', () => {
    const cases: [RegExp, number][] = [
      [/\b\d{4}[- ]?\d{4}[- ]?\d{4}[- ]?\d{4}\b/g, 16], // the card-number pattern of the docs
      [/^abc$/, 3],
      [/a*b+c?d{2,}e{3,5}?/, 1 + 2 + 3],
      [/[\]x]\.\x41\u0042\u{43}/u, 5],
      [/\s\S\w\W\D./s, 6],
      [/[^]/, 1],
    ];
    for (const [re, min] of cases) expect(minMatchLength(re), re.source).toBe(min);
  });

  it('says 0 for whatever it does not follow', () => {
    const unsure = [
      /(ab)+/,
      /a|bc/,
      /(?=abc)/,
      /(a)\1/,
      new RegExp('\\012'), // legacy octal: one character, not three (a literal would not compile in TS)
      new RegExp('\\x?'), // without `u`: an optional "x"
      new RegExp('\\u{0}'), // without `u`: "u" zero times
      /\ud83d\ude00?/u,
      /😀?/u,
      /a{/,
      new RegExp('[a[b]]', 'v'),
      /\p{L}/u,
    ];
    for (const re of unsure) expect(minMatchLength(re), re.source).toBe(0);
  });

  it('is never more than the length of a match', () => {
    const cases: [RegExp, string][] = [
      [/\b\d{4}[- ]?\d{4}[- ]?\d{4}[- ]?\d{4}\b/, '4111111111111111'],
      [/a*b+/, 'b'],
      [/x{0,3}y/, 'y'],
      [/\u{1F600}/u, '😀'],
    ];
    for (const [re, text] of cases) {
      expect(re.test(text)).toBe(true);
      expect(minMatchLength(re)).toBeLessThanOrEqual(text.length);
    }
  });
});
