import type { ProcessorFactory } from '../../pipeline/component-factory.js';
import { newTracesProcessor } from '../processor-helper.js';
import type { RedactionConfig } from './redact-attributes.js';
import { redactAttributes } from './redact-attributes.js';
import { minMatchLength } from './min-match-length.js';

const HASHES = ['none', 'md5', 'sha1', 'sha3'] as const;
const SUMMARIES = ['debug', 'info', 'silent'] as const;

/**
 * The Collector `redaction` processor. Defaults as in its config: nothing allowed (the allow
 * list fails closed), no hashing (masks with ****), no summary attributes.
 */
export const redactionProcessorFactory: ProcessorFactory<RedactionConfig> = {
  type: 'redaction',
  createDefaultConfig: () => ({
    allowAllKeys: false,
    allowedKeys: new Set(),
    ignoredKeys: new Set(),
    blockedValues: [],
    blockedValuesMinLength: 0,
    allowedValues: [],
    blockedKeyPatterns: [],
    hashFunction: 'none',
    summary: 'silent',
  }),
  parseConfig: (node) => {
    const blockedValues = node
      .get('blocked_values')
      .items()
      .map((item) => item.regex('g'));
    return {
      allowAllKeys: node.get('allow_all_keys').bool(false),
      allowedKeys: new Set(node.get('allowed_keys').stringList()),
      ignoredKeys: new Set(node.get('ignored_keys').stringList()),
      blockedValues,
      blockedValuesMinLength: blockedValues.length === 0 ? 0 : Math.min(...blockedValues.map(minMatchLength)),
      allowedValues: node
        .get('allowed_values')
        .items()
        .map((item) => item.regex()),
      blockedKeyPatterns: node
        .get('blocked_key_patterns')
        .items()
        .map((item) => item.regex()),
      hashFunction: node.get('hash_function').oneOf(HASHES, 'none'),
      summary: node.get('summary').oneOf(SUMMARIES, 'silent'),
    };
  },
  createTraces: (_settings, config, next) =>
    newTracesProcessor((data) => {
      for (const rs of data) {
        redactAttributes(rs.resource.attributes, config);
        for (const ss of rs.scopeSpans)
          for (const span of ss.spans) {
            redactAttributes(span.attributes, config);
            for (const event of span.events) redactAttributes(event.attributes, config);
          }
      }
      return data;
    }, next),
};
