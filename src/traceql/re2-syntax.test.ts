import { describe, expect, it } from 'vitest';
import { re2SyntaxProblem } from './re2-syntax.js';

describe('re2SyntaxProblem', () => {
  it.each([
    '',
    'GET /api/.*',
    '^(a|b(c))$',
    '\\(\\)\\[\\]\\\\',
    '[()[]',
    '[]]',
    '[^]a]',
    '[a\\]]',
    '[[:alpha:][:digit:]]+',
    '(?i)(?P<name>x)(?:y)',
    '\\Q(([\\E?',
    '\\Q((',
    'a]b}{',
    '\\p{Greek}\\x{41}',
  ])('finds nothing wrong in %j', (pattern) => {
    expect(re2SyntaxProblem(pattern)).toBeUndefined();
  });

  it.each([
    ['\\', 'trailing backslash at end of expression'],
    ['abc\\\\\\', 'trailing backslash at end of expression'],
    ['[a\\', 'trailing backslash at end of expression'],
    ['(abc', 'missing closing )'],
    ['((a)', 'missing closing )'],
    ['(\\Q)', 'missing closing )'],
    ['a)', 'unexpected )'],
    ['(a))(', 'unexpected )'],
    ['[abc', 'missing closing ]'],
    ['[]', 'missing closing ]'],
    ['[^]', 'missing closing ]'],
    ['([)]', 'missing closing )'],
    ['(a[)', 'missing closing ]'],
  ])('refuses %j: %s, as RE2 does', (pattern, problem) => {
    expect(re2SyntaxProblem(pattern)).toBe(problem);
  });
});
