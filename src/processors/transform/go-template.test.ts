import { describe, expect, it } from 'vitest';
import { replaceAllGo } from './go-template.js';

/** [text, pattern, template, result] as Go's regexp.ReplaceAllString gives them. */
const CASES: [string, string, string, string][] = [
  ['a1b22', '\\d+', '#', 'a#b#'],
  ['key=value', '(\\w+)=(\\w+)', '$2=$1', 'value=key'],
  ['key=value', '(\\w+)=(\\w+)', '${2}x', 'valuex'],
  ['key=value', '(?<k>\\w+)=(?<v>\\w+)', '${v}:$k', 'value:key'],
  ['ab', '(a)', '$1x', 'b'], // `$1x` names group "1x", which does not exist: empty
  ['ab', 'a', '$$', '$b'],
  ['ab', 'a', '$', '$b'],
  ['ab', 'a', '${', '${b'],
  ['ab', 'a', '$9', 'b'],
  ['abc', 'z', 'y', 'abc'],
  ['abc', 'x*', '-', '-a-b-c-'],
];

describe('replaceAllGo', () => {
  it.each(CASES)('%s ~ /%s/ → %s', (text, pattern, template, result) => {
    expect(replaceAllGo(text, new RegExp(pattern, 'g'), template)).toBe(result);
  });
});
