import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  attrs,
  batch,
  parseProcessorConfig,
  plain,
  runProcessor,
  span,
  spansOf,
} from '../processor-test-support.js';
import { redactionProcessorFactory } from './redaction-config.js';

const INPUT = {
  'user.name': 'ada',
  'user.email': 'ada@example.com',
  card: '4111 1111 1111 1111',
  note: 'paid with 4111111111111111',
  'api.token': 'abc',
  safe: '4111111111111112',
};
const CARD = '4[0-9]{12}(?:[0-9]{3})?';

const CASES: [string, string, Record<string, unknown>][] = [
  ['fails closed: nothing allowed removes everything', '{}', {}],
  [
    'keeps allowed keys only',
    'allowed_keys: [user.name, note]',
    { 'user.name': 'ada', note: 'paid with 4111111111111111' },
  ],
  [
    'masks blocked values inside allowed values',
    `allow_all_keys: true\nblocked_values: ["${CARD}"]`,
    { ...INPUT, note: 'paid with ****', safe: '****' },
  ],
  [
    'allowed_values win over blocked_values',
    `allow_all_keys: true\nblocked_values: ["${CARD}"]\nallowed_values: ["^4111111111111112$"]`,
    { ...INPUT, note: 'paid with ****' },
  ],
  [
    'masks whole values of blocked key patterns',
    'allow_all_keys: true\nblocked_key_patterns: [".*token.*", "^card$"]',
    { ...INPUT, 'api.token': '****', card: '****' },
  ],
  [
    'ignored keys pass untouched even when not allowed',
    'allowed_keys: [note]\nignored_keys: [safe]',
    { note: INPUT.note, safe: INPUT.safe },
  ],
  [
    'hashes instead of masking',
    'allow_all_keys: true\nblocked_key_patterns: ["token"]\nhash_function: md5',
    { ...INPUT, 'api.token': createHash('md5').update('abc').digest('hex') },
  ],
  [
    'summary info adds counts',
    `allowed_keys: [note, user.name]\nblocked_values: ["${CARD}"]\nsummary: info`,
    {
      'user.name': 'ada',
      note: 'paid with ****',
      'redaction.redacted.count': 4n,
      'redaction.masked.count': 1n,
    },
  ],
  [
    'summary debug adds sorted key names',
    `allowed_keys: [note, user.name]\nblocked_values: ["${CARD}"]\nsummary: debug`,
    {
      'user.name': 'ada',
      note: 'paid with ****',
      'redaction.redacted.keys': 'api.token,card,safe,user.email',
      'redaction.redacted.count': 4n,
      'redaction.masked.keys': 'note',
      'redaction.masked.count': 1n,
    },
  ],
];

describe('redaction processor', () => {
  for (const [what, yaml, expected] of CASES) {
    it(what, async () => {
      const out = await runProcessor(
        redactionProcessorFactory,
        yaml,
        batch([span({ attributes: attrs(INPUT) })]),
      );
      expect(plain(spansOf(out)[0].attributes)).toEqual(expected);
    });
  }

  it('redacts resource and span event attributes too', async () => {
    const data = batch(
      [
        span({
          events: [
            {
              name: 'e',
              timeUnixNano: 1n,
              attributes: attrs({ secret: 'x', ok: 'y' }),
              droppedAttributesCount: 0,
            },
          ],
        }),
      ],
      {
        'service.name': 'svc',
        'host.ip': '10.0.0.1',
      },
    );
    const out = await runProcessor(redactionProcessorFactory, 'allowed_keys: [service.name, ok]', data);
    expect(plain(out[0].resource.attributes)).toEqual({ 'service.name': 'svc' });
    expect(plain(spansOf(out)[0].events[0].attributes)).toEqual({ ok: 'y' });
  });

  it('has the Collector defaults and refuses a bad regex at start', () => {
    expect(parseProcessorConfig(redactionProcessorFactory, '{}')).toMatchObject({
      allowAllKeys: false,
      hashFunction: 'none',
      summary: 'silent',
    });
    expect(() => parseProcessorConfig(redactionProcessorFactory, 'blocked_values: ["(unclosed"]')).toThrow(
      /^processors\.redaction\.blocked_values\[0\]: invalid regular expression: /,
    );
  });
});
