import type { KeyValue } from '../../model/attributes.js';
import { replaceAllGo } from './go-template.js';

/*
 * The OTTL editors that work on a map, over an attribute list edited in place. Each keeps the
 * order of what it keeps, as pdata's `RemoveIf` does; plain loops, as they run for every span.
 */

export function deleteKey(attributes: KeyValue[], key: string): void {
  let kept = 0;
  for (const kv of attributes) if (kv.key !== key) attributes[kept++] = kv;
  if (kept !== attributes.length) attributes.length = kept;
}

export function deleteMatchingKeys(attributes: KeyValue[], pattern: RegExp): void {
  let kept = 0;
  for (const kv of attributes) if (!pattern.test(kv.key)) attributes[kept++] = kv;
  if (kept !== attributes.length) attributes.length = kept;
}

export function keepKeys(attributes: KeyValue[], keys: ReadonlySet<string>): void {
  let kept = 0;
  for (const kv of attributes) if (keys.has(kv.key)) attributes[kept++] = kv;
  if (kept !== attributes.length) attributes.length = kept;
}

/**
 * `replace_all_patterns` (Go `ReplaceAllString` semantics, `pattern` global): in `value` mode
 * every string value that matches; in `key` mode every key that matches, a later key winning
 * over an earlier one that it now equals.
 */
export function replaceAllPatterns(
  attributes: KeyValue[],
  mode: 'key' | 'value',
  pattern: RegExp,
  replacement: string,
): void {
  if (mode === 'value') {
    for (let i = 0; i < attributes.length; i++) {
      const { key, value } = attributes[i];
      if (typeof value === 'string' && matches(pattern, value))
        attributes[i] = { key, value: replaceAllGo(value, pattern, replacement) };
    }
    return;
  }
  const renamed = new Map<string, KeyValue>();
  for (const kv of attributes) {
    const key = matches(pattern, kv.key) ? replaceAllGo(kv.key, pattern, replacement) : kv.key;
    renamed.delete(key);
    renamed.set(key, { key, value: kv.value });
  }
  attributes.length = 0;
  for (const kv of renamed.values()) attributes.push(kv);
}

/** `truncate_all`: string values longer than `limit` UTF-8 bytes are cut, never inside a character. */
export function truncateAll(attributes: KeyValue[], limit: number): void {
  for (let i = 0; i < attributes.length; i++) {
    const { key, value } = attributes[i];
    if (typeof value !== 'string' || Buffer.byteLength(value) <= limit) continue;
    const bytes = Buffer.from(value);
    let end = limit;
    while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
    attributes[i] = { key, value: bytes.subarray(0, end).toString() };
  }
}

/**
 * `limit`: at most `limit` attributes stay; the priority keys present are kept first, then the
 * others in order until the limit is reached (the Collector's `limit`).
 */
export function limitKeys(attributes: KeyValue[], limit: number, priority: ReadonlySet<string>): void {
  if (attributes.length <= limit) return;
  let room = limit;
  for (const kv of attributes) if (priority.has(kv.key)) room--;
  let kept = 0;
  for (const kv of attributes) {
    if (priority.has(kv.key)) attributes[kept++] = kv;
    else if (room > 0) {
      attributes[kept++] = kv;
      room--;
    }
  }
  attributes.length = kept;
}

/** `test` on a global regex moves its `lastIndex`; reset it so every test starts at 0. */
function matches(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  const found = pattern.test(text);
  pattern.lastIndex = 0;
  return found;
}
