import { describe, expect, it } from 'vitest';
import { PermanentError } from '../../consumer/errors.js';
import { SpanKind, StatusCode } from '../../model/span.js';
import type { TracesData } from '../../model/span.js';
import { attrs, batch, plain, runProcessor, span, spansOf } from '../processor-test-support.js';
import { transformProcessorFactory } from './transform-config.js';

const input = (): TracesData =>
  batch(
    [
      span({
        name: 'GET /users/42',
        kind: SpanKind.SERVER,
        attributes: [
          ...attrs({
            'http.url': 'https://shop/users/42?token=abc',
            'db.password': 'hunter2',
            'db.user': 'admin',
            note: 'héllo wörld',
            code: 200,
          }),
          { key: 'nested', value: { kvlistValue: attrs({ a: 'aaaa', b: 'bbbb' }) } },
        ],
      }),
    ],
    { 'service.name': 'shop', 'host.name': 'box-1' },
  );

interface Outcome {
  name?: string;
  kind?: number;
  status?: { code: number; message: string };
  attributes?: Record<string, unknown>;
  resource?: Record<string, unknown>;
}

const START = plain(spansOf(input())[0].attributes);

/** [what, statements (one span-context group), what must have changed] */
const SPAN_CASES: [string, string[], Outcome][] = [
  [
    'set an attribute from a literal',
    ['set(attributes["env"], "prod")'],
    { attributes: { ...START, env: 'prod' } },
  ],
  [
    'set an attribute from another path',
    ['set(attributes["service"], resource.attributes["service.name"])'],
    { attributes: { ...START, service: 'shop' } },
  ],
  ['set the name', ['set(name, "users")'], { name: 'users' }],
  ['set ignores a value of the wrong type', ['set(name, 3)'], { name: 'GET /users/42' }],
  ['set with nil does nothing', ['set(attributes["x"], attributes["missing"])'], { attributes: START }],
  [
    'set status with an enum',
    ['set(status.code, STATUS_CODE_ERROR)', 'set(status.message, "failed")'],
    { status: { code: StatusCode.ERROR, message: 'failed' } },
  ],
  ['set kind', ['set(kind, SPAN_KIND_CLIENT)'], { kind: SpanKind.CLIENT }],
  ['where true runs the statement', ['set(name, "hit") where attributes["code"] == 200'], { name: 'hit' }],
  ['where false skips it', ['set(name, "hit") where attributes["code"] >= 500'], { name: 'GET /users/42' }],
  [
    'statements run in order',
    ['set(attributes["a"], "1")', 'set(attributes["b"], attributes["a"])', 'delete_key(attributes, "a")'],
    { attributes: { ...START, b: '1' } },
  ],
  [
    'delete_key',
    ['delete_key(attributes, "db.password")'],
    { attributes: { ...START, 'db.password': undefined } },
  ],
  [
    'delete_matching_keys',
    ['delete_matching_keys(attributes, "^db\\\\.")'],
    { attributes: { ...START, 'db.password': undefined, 'db.user': undefined } },
  ],
  [
    'keep_keys',
    ['keep_keys(attributes, ["code", "note"])'],
    { attributes: { code: 200n, note: 'héllo wörld' } },
  ],
  [
    'replace_pattern with a Go group reference',
    ['replace_pattern(attributes["http.url"], "token=(\\\\w+)", "token=*** (was $1)")'],
    { attributes: { ...START, 'http.url': 'https://shop/users/42?token=*** (was abc)' } },
  ],
  [
    'replace_pattern on the name, every match',
    ['replace_pattern(name, "[0-9]", "#")'],
    { name: 'GET /users/##' },
  ],
  [
    'replace_pattern leaves a non-string alone',
    ['replace_pattern(attributes["code"], "2", "3")'],
    { attributes: START },
  ],
  [
    'replace_all_patterns on values',
    ['replace_all_patterns(attributes, "value", "^(admin|hunter2)$", "[redacted]")'],
    { attributes: { ...START, 'db.password': '[redacted]', 'db.user': '[redacted]' } },
  ],
  [
    'replace_all_patterns on keys with a named group',
    ['replace_all_patterns(attributes, "key", "^db\\\\.(?P<rest>.*)", "database.${rest}")'],
    {
      attributes: {
        'http.url': START['http.url'],
        'database.password': 'hunter2',
        'database.user': 'admin',
        note: 'héllo wörld',
        code: 200n,
        nested: START.nested,
      },
    },
  ],
  [
    'truncate_all cuts at UTF-8 bytes, never inside a character',
    ['truncate_all(attributes, 2)'],
    {
      attributes: { ...START, 'http.url': 'ht', 'db.password': 'hu', 'db.user': 'ad', note: 'h' },
    },
  ],
  [
    'truncate_all on a map-valued attribute',
    ['truncate_all(attributes["nested"], 1)'],
    { attributes: { ...START, nested: { kvlistValue: attrs({ a: 'a', b: 'b' }) } } },
  ],
  [
    'limit keeps the priority keys first, then the earliest',
    ['limit(attributes, 2, ["code"])'],
    { attributes: { 'http.url': START['http.url'], code: 200n } },
  ],
  [
    'resource.attributes from the span context',
    ['set(resource.attributes["seen"], true)'],
    { resource: { 'service.name': 'shop', 'host.name': 'box-1', seen: true } },
  ],
];

const outcome = (data: TracesData): Outcome => {
  const s = spansOf(data)[0];
  return {
    name: s.name,
    kind: s.kind,
    status: s.status,
    attributes: plain(s.attributes),
    resource: plain(data[0].resource.attributes),
  };
};

const withoutUndefined = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

describe('transform processor statements (span context)', () => {
  const before = outcome(input());
  for (const [what, statements, changed] of SPAN_CASES) {
    it(what, async () => {
      const yaml = `trace_statements:\n  - context: span\n    statements:\n${statements.map((s) => `      - ${JSON.stringify(s)}`).join('\n')}`;
      const expected = { ...before, ...changed };
      if (changed.attributes) expected.attributes = withoutUndefined(changed.attributes);
      expect(outcome(await runProcessor(transformProcessorFactory, yaml, input()))).toEqual(expected);
    });
  }
});

describe('transform processor groups and forms', () => {
  const run = async (yaml: string): Promise<Outcome> =>
    outcome(await runProcessor(transformProcessorFactory, yaml, input()));

  it('resource context edits resource attributes once per resource', async () => {
    const out = await run(
      'trace_statements: [{ context: resource, statements: [\'delete_key(attributes, "host.name")\', \'set(attributes["env"], "prod")\'] }]',
    );
    expect(out.resource).toEqual({ 'service.name': 'shop', env: 'prod' });
  });

  it('group conditions: statements run where any holds', async () => {
    const yes = await run(
      "trace_statements: [{ context: span, conditions: ['name == \"nope\"', 'kind == SPAN_KIND_SERVER'], statements: ['set(name, \"server\")'] }]",
    );
    const no = await run(
      'trace_statements: [{ context: span, conditions: [\'name == "nope"\'], statements: [\'set(name, "server")\'] }]',
    );
    expect([yes.name, no.name]).toEqual(['server', 'GET /users/42']);
  });

  it('flat statements infer their context from path prefixes', async () => {
    const out = await run(
      'trace_statements:\n  - \'set(resource.attributes["env"], "prod")\'\n  - \'set(span.name, resource.attributes["env"]) where span.kind == SPAN_KIND_SERVER\'',
    );
    expect([out.name, out.resource?.env]).toEqual(['prod', 'prod']);
  });

  it('a group without context infers it too', async () => {
    const out = await run('trace_statements: [{ statements: [\'set(span.attributes["x"], span.name)\'] }]');
    expect(out.attributes?.x).toBe('GET /users/42');
  });
});

describe('transform processor error_mode', () => {
  const statement = 'truncate_all(attributes["db.user"], 1)'; // not a map: fails at run time
  const yaml = (mode: string): string =>
    `error_mode: ${mode}\ntrace_statements: [{ context: span, statements: [${JSON.stringify(statement)}, 'set(name, "after")'] }]`;

  it('propagate refuses the batch with a permanent error', async () => {
    const error = await runProcessor(transformProcessorFactory, yaml('propagate'), input()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toBe(
      `transform: statement ${JSON.stringify(statement)} failed: attributes["db.user"] is not a map`,
    );
  });

  it.each(['ignore', 'silent'])('%s goes on with the next statement', async (mode) => {
    expect(outcome(await runProcessor(transformProcessorFactory, yaml(mode), input())).name).toBe('after');
  });

  it('a group error_mode overrides the processor one', async () => {
    const out = await runProcessor(
      transformProcessorFactory,
      `error_mode: propagate\ntrace_statements: [{ context: span, error_mode: ignore, statements: [${JSON.stringify(statement)}] }]`,
      input(),
    );
    expect(spansOf(out)).toHaveLength(1);
  });
});
