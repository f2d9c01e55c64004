import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SpanKind, StatusCode } from '../../model/span.js';
import { configErrorOf, processorChainOf } from '../config-chain.test-support.js';
import { attrs, batch, plain, span } from '../processor-test-support.js';

const testdata = fileURLToPath(new URL('testdata/', import.meta.url));

describe('transform processor: testdata/config.yaml', () => {
  it('runs every group in order', async () => {
    const run = await processorChainOf(`${testdata}config.yaml`);
    const [rs] = await run(
      batch(
        [
          span({
            name: 'GET /pay',
            kind: SpanKind.SERVER,
            attributes: attrs({
              'http.status_code': 503,
              'http.url': 'https://shop/pay?token=s3cret&x=1',
              'db.Password': 'hunter2',
              'http.route': '/pay',
            }),
          }),
          span({ name: 'query', kind: SpanKind.CLIENT, attributes: attrs({ 'http.status_code': 503 }) }),
        ],
        { 'service.name': 'shop', 'host.name': 'box-1', 'host.ip': '10.1.2.3' },
      ),
    );
    expect(plain(rs.resource.attributes)).toEqual({
      'service.name': 'shop',
      'host.ip': '10.1.x.x',
      'deployment.environment': 'prod',
    });
    const [server, client] = rs.scopeSpans[0].spans;
    expect(server.status.code).toBe(StatusCode.ERROR);
    expect(plain(server.attributes)).toEqual({
      'http.status_code': 503n,
      'http.url': 'https://shop/pay?token=***&x=1',
      'http.route': '/pay',
    });
    expect(client.status.code).toBe(StatusCode.UNSET);
  });
});

const SUPPORTED =
  'set(target, value), delete_key(map, "key"), delete_matching_keys(map, "regex"), keep_keys(map, ["key", ...]), replace_pattern(target, "regex", "replacement"), replace_all_patterns(map, "key" | "value", "regex", "replacement"), truncate_all(map, limit), limit(map, limit, ["priority key", ...])';

const INVALID: Record<string, string> = {
  'unsupported-function.yaml': `processors.transform.trace_statements[0].statements[1]: invalid OTTL "merge_maps(attributes, resource.attributes, \\"upsert\\")": function merge_maps is not supported; supported: ${SUPPORTED}`,
  'flat-without-prefix.yaml':
    'processors.transform.trace_statements[0]: cannot infer the context of path attributes: prefix every path with its context (resource., scope., span. or spanevent., e.g. span.name, resource.attributes["k"]), or give the group a context',
  'spanlink-context.yaml':
    'processors.transform.trace_statements[0].context: "spanlink" is not one of resource, scope, span, spanevent',
};

describe('transform processor: testdata/invalid', () => {
  it('has an expected error for every file', () => {
    expect(readdirSync(`${testdata}invalid`).sort()).toEqual(Object.keys(INVALID).sort());
  });
  for (const [file, message] of Object.entries(INVALID)) {
    it(`refuses ${file}`, async () => {
      expect(await configErrorOf(`${testdata}invalid/${file}`)).toBe(message);
    });
  }
});
