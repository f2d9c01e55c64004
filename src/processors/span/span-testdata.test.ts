import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SpanKind, StatusCode } from '../../model/span.js';
import { configErrorOf, processorChainOf } from '../config-chain.test-support.js';
import { attrs, batch, plain, span, spansOf } from '../processor-test-support.js';

const testdata = fileURLToPath(new URL('testdata/', import.meta.url));

describe('span processor: testdata/config.yaml', () => {
  it('renames, extracts and sets status as its comments say', async () => {
    const run = await processorChainOf(`${testdata}config.yaml`);
    const out = spansOf(
      await run(
        batch(
          [
            span({
              name: 'serviceA',
              attributes: attrs({ 'db.svc': 'location', operation: 'get', id: '1234' }),
            }),
            span({ name: 'serviceA', attributes: attrs({ 'db.svc': 'location', id: '1234' }) }),
            span({ name: '/api/v1/document/12345678/update' }),
            span({ name: 'pay', kind: SpanKind.SERVER, attributes: attrs({ error: true }) }),
            span({ name: 'pay', kind: SpanKind.CLIENT, attributes: attrs({ error: true }) }),
          ],
          { 'service.name': 'checkout' },
        ),
      ),
    );
    expect(out.map((s) => s.name)).toEqual([
      'location::get::1234',
      'serviceA',
      '/api/v1/document/{documentId}/update',
      'pay',
      'pay',
    ]);
    expect(plain(out[2].attributes)).toEqual({ documentId: '12345678' });
    expect(out.map((s) => s.status.code)).toEqual([0, 0, 0, StatusCode.ERROR, 0]);
    expect(out[3].status.message).toBe('flagged by the error attribute');
  });
});

const INVALID: Record<string, string> = {
  'status-description.yaml': 'processors.span.status.description: can be set only with code Error, not Ok',
  'unnamed-group.yaml':
    'processors.span/ids.name.to_attributes.rules[0]: needs at least one named group, e.g. ^/api/(?P<version>v\\d+)/',
  'nothing-to-do.yaml': 'processors.span: needs name.from_attributes, name.to_attributes.rules or status',
};

describe('span processor: testdata/invalid', () => {
  it('has an expected error for every file', () => {
    expect(readdirSync(`${testdata}invalid`).sort()).toEqual(Object.keys(INVALID).sort());
  });
  for (const [file, message] of Object.entries(INVALID)) {
    it(`refuses ${file}`, async () => {
      expect(await configErrorOf(`${testdata}invalid/${file}`)).toBe(message);
    });
  }
});
