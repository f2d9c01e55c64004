import { describe, expect, it } from 'vitest';
import { SpanKind, StatusCode } from '../../model/span.js';
import type { Span } from '../../model/span.js';
import { ConfigError } from '../../pipeline/config-error.js';
import {
  attrs,
  batch,
  parseProcessorConfig,
  plain,
  runProcessor,
  span,
  spansOf,
} from '../processor-test-support.js';
import { plainDecimal } from './rename-span.js';
import { spanProcessorFactory } from './span-config.js';

const run = async (yaml: string, input: Span): Promise<Span> =>
  spansOf(await runProcessor(spanProcessorFactory, yaml, batch([input])))[0];

/** [what, config, span in, expected name, expected attributes (absent: unchanged)] */
const RENAME_CASES: [string, string, Partial<Span>, string, Record<string, unknown>?][] = [
  [
    'from_attributes joins values with the separator',
    'name: { from_attributes: [db.svc, operation, id], separator: "::" }',
    { name: 'serviceA', attributes: attrs({ 'db.svc': 'location', operation: 'get', id: '1234' }) },
    'location::get::1234',
  ],
  [
    'from_attributes leaves the name when one attribute is missing',
    'name: { from_attributes: [db.svc, operation, id], separator: "::" }',
    { name: 'serviceA', attributes: attrs({ 'db.svc': 'location', id: '1234' }) },
    'serviceA',
  ],
  [
    'from_attributes without a separator concatenates',
    'name: { from_attributes: [a, b] }',
    { name: 'x', attributes: attrs({ a: 'get', b: '/users' }) },
    'get/users',
  ],
  [
    'from_attributes writes ints, doubles and bools as Go does',
    'name: { from_attributes: [i, d, b, tiny], separator: " " }',
    { name: 'x', attributes: attrs({ i: 42, d: 2.5, b: true, tiny: 1e-7 }) },
    '42 2.5 true 0.0000001',
  ],
  [
    'from_attributes marks structured values as unknown',
    'name: { from_attributes: [list] }',
    { name: 'x', attributes: [{ key: 'list', value: ['a'] }] },
    '<unknown-attribute-type>',
  ],
  [
    'to_attributes extracts named groups and leaves placeholders',
    'name: { to_attributes: { rules: ["^/api/v1/document/(?P<documentId>.*)/update$"] } }',
    { name: '/api/v1/document/12345678/update' },
    '/api/v1/document/{documentId}/update',
    { documentId: '12345678' },
  ],
  [
    'to_attributes overwrites an existing attribute',
    'name: { to_attributes: { rules: ["^/users/(?P<user>\\\\d+)$"] } }',
    { name: '/users/7', attributes: attrs({ user: 'old' }) },
    '/users/{user}',
    { user: '7' },
  ],
  [
    'to_attributes applies every rule to the previous result',
    'name: { to_attributes: { rules: ["^/(?P<a>\\\\w+)/", "/(?P<b>\\\\d+)$"] } }',
    { name: '/users/42' },
    '/{a}/{b}',
    { a: 'users', b: '42' },
  ],
  [
    'to_attributes break_after_match stops at the first matching rule',
    'name: { to_attributes: { break_after_match: true, rules: ["^/(?P<a>\\\\w+)/", "/(?P<b>\\\\d+)$"] } }',
    { name: '/users/42' },
    '/{a}/42',
    { a: 'users' },
  ],
  [
    'to_attributes keep_original_name extracts without renaming',
    'name: { to_attributes: { keep_original_name: true, rules: ["^/users/(?P<user>\\\\d+)$"] } }',
    { name: '/users/7' },
    '/users/7',
    { user: '7' },
  ],
  [
    'to_attributes skips a group that did not take part',
    'name: { to_attributes: { rules: ["^/(?P<kind>\\\\w+)(?:/(?P<id>\\\\d+))?$"] } }',
    { name: '/users' },
    '/{kind}',
    { kind: 'users' },
  ],
  [
    'to_attributes leaves a name that does not match',
    'name: { to_attributes: { rules: ["^/orders/(?P<id>\\\\d+)$"] } }',
    { name: '/users/7' },
    '/users/7',
    {},
  ],
  [
    'from_attributes runs before to_attributes',
    'name: { from_attributes: [route], to_attributes: { rules: ["/(?P<id>\\\\d+)$"] } }',
    { name: 'x', attributes: attrs({ route: '/users/9' }) },
    '/users/{id}',
    { route: '/users/9', id: '9' },
  ],
];

describe('span processor: name', () => {
  for (const [what, yaml, input, name, attributes] of RENAME_CASES) {
    it(what, async () => {
      const out = await run(yaml, span(input));
      expect(out.name).toBe(name);
      if (attributes)
        expect(plain(out.attributes)).toEqual({ ...plain(input.attributes ?? []), ...attributes });
    });
  }
});

describe('span processor: status', () => {
  const failed = { code: StatusCode.ERROR, message: 'boom' };
  it.each([
    [
      'Error with a description',
      'status: { code: Error, description: "bad request" }',
      { code: StatusCode.ERROR, message: 'bad request' },
    ],
    ['Error without a description', 'status: { code: Error }', { code: StatusCode.ERROR, message: '' }],
    ['Ok clears the description', 'status: { code: Ok }', { code: StatusCode.OK, message: '' }],
    ['Unset', 'status: { code: Unset }', { code: StatusCode.UNSET, message: '' }],
  ])('%s', async (_what, yaml, status) => {
    expect((await run(yaml, span({ status: failed }))).status).toEqual(status);
  });
});

describe('span processor: include / exclude', () => {
  const renamed = async (yaml: string): Promise<string[]> =>
    spansOf(
      await runProcessor(
        spanProcessorFactory,
        `name: { from_attributes: [op] }\n${yaml}`,
        batch([
          span({ name: 'a', kind: SpanKind.SERVER, attributes: attrs({ op: 'A' }) }),
          span({ name: 'b', kind: SpanKind.CLIENT, attributes: attrs({ op: 'B' }) }),
        ]),
      ),
    ).map((s) => s.name);

  it.each([
    ['no filter renames all', '', ['A', 'B']],
    ['include by kind', 'include: { match_type: strict, span_kinds: [SPAN_KIND_CLIENT] }', ['a', 'B']],
    ['exclude by name regexp', 'exclude: { match_type: regexp, span_names: ["^a$"] }', ['a', 'B']],
    ['include by service', 'include: { match_type: strict, services: [other] }', ['a', 'b']],
  ])('%s', async (_what, yaml, names) => {
    expect(await renamed(yaml)).toEqual(names);
  });
});

describe('span processor config', () => {
  it.each([
    ['', 'processors.span: needs name.from_attributes, name.to_attributes.rules or status'],
    ['name: { separator: "::" }', 'processors.span.name.separator: is used only with from_attributes'],
    [
      'name: { to_attributes: { break_after_match: true } }',
      'processors.span.name.to_attributes.rules: at least one rule is required',
    ],
    [
      'name: { to_attributes: { rules: ["^/users/\\\\d+$"] } }',
      'processors.span.name.to_attributes.rules[0]: needs at least one named group, e.g. ^/api/(?P<version>v\\d+)/',
    ],
    [
      'name: { to_attributes: { rules: ["^/(\\\\w+)/(?P<id>\\\\d+)$"] } }',
      'processors.span.name.to_attributes.rules[0]: every capturing group must be named (use (?:...) to group without capturing)',
    ],
    [
      'name: { to_attributes: { rules: ["(?P<x>["] } }',
      'processors.span.name.to_attributes.rules[0]: invalid regular expression: Invalid regular expression: /(?<x>[/d: Unterminated character class',
    ],
    ['status: { code: Failed }', 'processors.span.status.code: "Failed" is not one of Ok, Error, Unset'],
    ['status: { description: x }', 'processors.span.status.code: is required'],
    [
      'status: { code: Ok, description: fine }',
      'processors.span.status.description: can be set only with code Error, not Ok',
    ],
    [
      'status: { code: Error, reason: x }',
      'processors.span.status: unknown key "reason"; known keys: code, description',
    ],
    [
      'status: { code: Ok }\nname: { from_attribute: [a] }',
      'processors.span.name: unknown key "from_attribute"; known keys: from_attributes, separator, to_attributes',
    ],
    [
      'status: { code: Ok }\ninclude: { match_type: exact, services: [a] }',
      'processors.span.include.match_type: "exact" is not one of strict, regexp',
    ],
  ])('refuses %j', (yaml, message) => {
    let error: unknown;
    try {
      parseProcessorConfig(spanProcessorFactory, yaml);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(message);
  });
});

describe('plainDecimal (Go FormatFloat f, -1)', () => {
  it.each([
    [2.5, '2.5'],
    [1e21, '1000000000000000000000'],
    [1.25e-7, '0.000000125'],
    [-3e-7, '-0.0000003'],
    [123456789012345680000, '123456789012345680000'],
    [Infinity, '+Inf'],
  ])('%d → %s', (n, text) => {
    expect(plainDecimal(n)).toBe(text);
  });
});
