import { describe, expect, it } from 'vitest';
import { SpanKind } from '../../model/span.js';
import { attrs, batch, plain, runProcessor, span, spansOf } from '../processor-test-support.js';
import { attributesProcessorFactory } from './attributes-config.js';
import { resourceProcessorFactory } from '../resource/resource-config.js';

const START = {
  'http.url': 'https://shop/users/42/cart?id=7',
  env: 'dev',
  'db.password': 'hunter2',
  'http.status_code': '200',
};

const CASES: [string, string, Record<string, unknown>][] = [
  [
    'insert adds a missing key',
    'actions: [{ key: region, value: eu, action: insert }]',
    { ...START, region: 'eu' },
  ],
  ['insert leaves an existing key', 'actions: [{ key: env, value: prod, action: insert }]', START],
  [
    'update changes an existing key',
    'actions: [{ key: env, value: prod, action: update }]',
    { ...START, env: 'prod' },
  ],
  ['update ignores a missing key', 'actions: [{ key: region, value: eu, action: update }]', START],
  ['upsert inserts', 'actions: [{ key: region, value: 3, action: upsert }]', { ...START, region: 3n }],
  [
    'upsert updates from another attribute',
    'actions: [{ key: env, from_attribute: http.status_code, action: upsert }]',
    { ...START, env: '200' },
  ],
  [
    'delete by key',
    'actions: [{ key: db.password, action: delete }]',
    { 'http.url': START['http.url'], env: 'dev', 'http.status_code': '200' },
  ],
  [
    'delete by pattern',
    'actions: [{ pattern: ^http\\., action: delete }]',
    { env: 'dev', 'db.password': 'hunter2' },
  ],
  [
    'hash by key (SHA-256 hex)',
    'actions: [{ key: db.password, action: hash }]',
    // SHA-256 of "hunter2", as `printf hunter2 | sha256sum` prints it.
    { ...START, 'db.password': 'f52fbd32b2b3b86ff88ef6c490628285f482af15ddcb29541f94bcf526a3f6c7' },
  ],
  [
    'extract with named groups (Go (?P<name>) syntax)',
    'actions: [{ key: http.url, pattern: "^https://[^/]+/users/(?P<user_id>\\\\d+)/(?P<page>\\\\w+)", action: extract }]',
    { ...START, user_id: '42', page: 'cart' },
  ],
  [
    'convert a string to int',
    'actions: [{ key: http.status_code, converted_type: int, action: convert }]',
    { ...START, 'http.status_code': 200n },
  ],
  [
    'convert leaves what cannot convert',
    'actions: [{ key: env, converted_type: double, action: convert }]',
    START,
  ],
  [
    'actions run in order',
    'actions: [{ key: a, value: x, action: insert }, { key: b, from_attribute: a, action: insert }, { key: a, action: delete }]',
    { ...START, b: 'x' },
  ],
];

describe('attributes processor actions', () => {
  for (const [what, yaml, expected] of CASES) {
    it(what, async () => {
      const out = await runProcessor(
        attributesProcessorFactory,
        yaml,
        batch([span({ attributes: attrs(START) })]),
      );
      expect(plain(spansOf(out)[0].attributes)).toEqual(expected);
    });
  }

  it('applies to resource attributes in the resource processor', async () => {
    const out = await runProcessor(
      resourceProcessorFactory,
      'attributes: [{ key: deployment.environment, value: prod, action: upsert }, { key: host.name, action: delete }]',
      batch([span()], { 'service.name': 'svc', 'host.name': 'box' }),
    );
    expect(plain(out[0].resource.attributes)).toEqual({
      'service.name': 'svc',
      'deployment.environment': 'prod',
    });
  });
});

describe('attributes processor include/exclude', () => {
  const spans = () =>
    batch([
      span({ name: 'GET /health', kind: SpanKind.SERVER, attributes: attrs({ route: '/health' }) }),
      span({ name: 'SELECT', kind: SpanKind.CLIENT, attributes: attrs({ 'db.system': 'postgresql' }) }),
    ]);
  const tagged = async (yaml: string): Promise<string[]> =>
    spansOf(
      await runProcessor(
        attributesProcessorFactory,
        `actions: [{ key: t, value: x, action: insert }]\n${yaml}`,
        spans(),
      ),
    )
      .filter((s) => s.attributes.some((kv) => kv.key === 't'))
      .map((s) => s.name);

  it.each([
    ['include by span kind', 'include: { match_type: strict, span_kinds: [SPAN_KIND_CLIENT] }', ['SELECT']],
    [
      'include by span name regexp',
      'include: { match_type: regexp, span_names: ["^GET "] }',
      ['GET /health'],
    ],
    [
      'include by attribute value',
      'include: { match_type: strict, attributes: [{ key: db.system, value: postgresql }] }',
      ['SELECT'],
    ],
    ['include by service', 'include: { match_type: strict, services: [svc] }', ['GET /health', 'SELECT']],
    ['exclude by service', 'exclude: { match_type: strict, services: [svc] }', []],
    [
      'exclude by attribute presence',
      'exclude: { match_type: strict, attributes: [{ key: route }] }',
      ['SELECT'],
    ],
  ])('%s', async (_what, yaml, expected) => {
    expect(await tagged(yaml)).toEqual(expected);
  });
});
