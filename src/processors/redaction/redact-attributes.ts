import { createHash } from 'node:crypto';
import type { KeyValue } from '../../model/attributes.js';
import { attributeString } from '../../model/attribute-string.js';

export interface RedactionConfig {
  allowAllKeys: boolean;
  allowedKeys: Set<string>;
  ignoredKeys: Set<string>;
  /** Global regexes: every match inside a value is masked. */
  blockedValues: RegExp[];
  /** A value matching one of these is left as it is, even if a blocked value matches. */
  allowedValues: RegExp[];
  /** Keys whose whole value is masked. */
  blockedKeyPatterns: RegExp[];
  hashFunction: 'none' | 'md5' | 'sha1' | 'sha3';
  summary: 'debug' | 'info' | 'silent';
}

const MASK = '****';
const SUMMARY_PREFIX = 'redaction.';

/**
 * Redacts one attribute list in place, in the Collector's order: ignored keys pass untouched;
 * keys off the allow list are removed; keys matching a blocked key pattern are masked whole;
 * string values have every blocked-value match masked unless an allowed value matches. With
 * `summary` info/debug, counts (and with debug, the sorted key names) are added as
 * `redaction.{redacted,masked,ignored}.*`; zero counts are left out.
 */
export function redactAttributes(attributes: KeyValue[], config: RedactionConfig): void {
  const redacted: string[] = [];
  const masked: string[] = [];
  let ignored = 0;
  let kept = 0;
  for (const kv of attributes) {
    // Summary attributes from an earlier pass (another redaction processor) are not data.
    if (kv.key.startsWith(SUMMARY_PREFIX)) {
      attributes[kept++] = kv;
      continue;
    }
    if (config.ignoredKeys.has(kv.key)) {
      ignored++;
      attributes[kept++] = kv;
      continue;
    }
    if (!config.allowAllKeys && !config.allowedKeys.has(kv.key)) {
      redacted.push(kv.key);
      continue;
    }
    if (config.blockedKeyPatterns.some((re) => re.test(kv.key))) {
      masked.push(kv.key);
      attributes[kept++] = { key: kv.key, value: mask(attributeString(kv.value), config) };
      continue;
    }
    if (typeof kv.value === 'string' && config.blockedValues.length > 0) {
      const value = kv.value;
      if (!config.allowedValues.some((re) => re.test(value))) {
        let out = value;
        for (const re of config.blockedValues) out = out.replace(re, (match) => mask(match, config));
        if (out !== value) {
          masked.push(kv.key);
          attributes[kept++] = { key: kv.key, value: out };
          continue;
        }
      }
    }
    attributes[kept++] = kv;
  }
  attributes.length = kept;
  if (config.summary === 'silent') return;
  const add = (name: string, keys: string[]): void => {
    if (keys.length === 0) return;
    if (config.summary === 'debug')
      attributes.push({ key: `redaction.${name}.keys`, value: [...keys].sort().join(',') });
    attributes.push({ key: `redaction.${name}.count`, value: BigInt(keys.length) });
  };
  add('redacted', redacted);
  add('masked', masked);
  if (ignored > 0) attributes.push({ key: 'redaction.ignored.count', value: BigInt(ignored) });
}

function mask(text: string, config: RedactionConfig): string {
  if (config.hashFunction === 'none') return MASK;
  const algorithm = config.hashFunction === 'sha3' ? 'sha3-256' : config.hashFunction;
  return createHash(algorithm).update(text).digest('hex');
}
