import type { FixtureApp } from '../../../test/support/fixture-store.js';
import { openFixtureApp } from '../../../test/support/fixture-store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceqlFixture } from '../../../test/support/traceql-fixture.js';
import { registerTagsRoutes } from './tags-routes.js';

const baseMs = Date.now() - 10 * 60_000;
const range = { start: String(Math.floor(baseMs / 1000) - 60), end: String(Math.floor(baseMs / 1000) + 120) };
let fixture: FixtureApp;

beforeAll(async () => {
  fixture = await openFixtureApp({ 'single-tenant': traceqlFixture(baseMs) }, (app, store) =>
    registerTagsRoutes(app, store),
  );
});

afterAll(async () => {
  await fixture?.close();
});

async function get<T>(url: string, query: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const response = await fixture.app.inject({ method: 'GET', url, query: { ...range, ...query }, headers });
  return { status: response.statusCode, body: response.body, json: () => response.json<T>() };
}

type Scopes = { scopes: { name: string; tags: string[] }[] };
type Values = { tagValues: { type: string; value: string }[] };

describe("Tempo's tag autocompletion", () => {
  it('v2 tags: keys per scope, intrinsics included', async () => {
    const { scopes } = (await get<Scopes>('/api/v2/search/tags')).json();
    const byName = Object.fromEntries(scopes.map((s) => [s.name, s.tags]));
    expect(byName.span).toEqual(
      expect.arrayContaining(['http.status_code', 'username', 'db.system', 'item.index']),
    );
    expect(byName.resource).toEqual(
      expect.arrayContaining(['service.name', 'deployment.environment', 'team.name']),
    );
    expect(byName.event).toEqual(['exception.message']);
    expect(byName.link).toEqual(['link.reason']);
    expect(byName.intrinsic).toEqual(
      expect.arrayContaining(['name', 'status', 'duration', 'rootServiceName']),
    );
    expect(byName.span).not.toContain('service.name');
  });

  it('v2 tags: one scope, and q narrows to the spans it matches', async () => {
    const resource = (await get<Scopes>('/api/v2/search/tags', { scope: 'resource' })).json();
    expect(resource.scopes.map((s) => s.name)).toEqual(['resource']);
    const narrowed = (
      await get<Scopes>('/api/v2/search/tags', {
        scope: 'span',
        q: '{ resource.service.name = "batch-service" }',
      })
    ).json();
    expect(narrowed.scopes).toEqual([{ name: 'span', tags: ['item.index'] }]);
    // A half-typed query narrows nothing instead of failing the editor.
    const partial = (
      await get<Scopes>('/api/v2/search/tags', {
        scope: 'span',
        q: '{ resource.service.name = "batch-service" && ',
      })
    ).json();
    expect(partial.scopes[0].tags.length).toBeGreaterThan(1);
  });

  it('v1 tags: span and resource keys, unscoped', async () => {
    const { tagNames } = (await get<{ tagNames: string[] }>('/api/search/tags')).json();
    expect(tagNames).toEqual(expect.arrayContaining(['service.name', 'http.status_code', 'username']));
  });

  it('v2 values: typed, most frequent first, narrowed by q; the tag name may be encoded twice', async () => {
    const services = (await get<Values>('/api/v2/search/tag/resource.service%252Ename/values')).json();
    expect(services.tagValues[0]).toEqual({ type: 'string', value: 'batch-service' });
    expect(services.tagValues).toEqual(expect.arrayContaining([{ type: 'string', value: 'user-service' }]));
    const codes = (
      await get<Values>('/api/v2/search/tag/span.http.status_code/values', {
        q: '{ resource.service.name = "user-service" }',
      })
    ).json();
    expect(codes.tagValues).toEqual([
      { type: 'int', value: '200' },
      { type: 'int', value: '404' },
    ]);
    const prices = (await get<Values>('/api/v2/search/tag/.price/values')).json();
    expect(prices.tagValues).toEqual([{ type: 'float', value: '9.5' }]);
    const status = (await get<Values>('/api/v2/search/tag/status/values')).json();
    expect(status.tagValues.map((v) => v.type)).toEqual(['keyword', 'keyword', 'keyword']);
    expect(status.tagValues.map((v) => v.value).sort()).toEqual(['error', 'ok', 'unset']);
  });

  it('v1 values: plain strings', async () => {
    const { tagValues } = (await get<{ tagValues: string[] }>('/api/search/tag/service.name/values')).json();
    expect(tagValues).toEqual(
      expect.arrayContaining(['reservations-service', 'user-service', 'notification-service']),
    );
    expect(tagValues.every((v) => typeof v === 'string')).toBe(true);
  });

  it('reads only the X-Scope-OrgID tenant', async () => {
    const { scopes } = (
      await get<Scopes>('/api/v2/search/tags', { scope: 'span' }, { 'x-scope-orgid': 'empty' })
    ).json();
    expect(scopes).toEqual([{ name: 'span', tags: [] }]);
  });

  it.each([
    ['/api/v2/search/tags', { scope: 'everything' }, /^invalid scope/],
    ['/api/v2/search/tags', { limit: 'lots' }, /^invalid limit/],
    ['/api/search/tags', { start: 'then' }, /^invalid start/],
    ['/api/v2/search/tag/span.x/values', { start: '10', end: '5' }, /^invalid start/],
    ['/api/v2/search/tag/%25E0%25A4%25A/values', {}, /^invalid tag name/],
  ])('%s %j → 400', async (url, query, message) => {
    const response = await get(url, query);
    expect(response.status).toBe(400);
    expect(response.body).toMatch(message);
  });
});
