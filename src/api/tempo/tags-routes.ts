import type { FastifyInstance, FastifyReply } from 'fastify';
import { tenantFromHeader } from '../../model/tenant.js';
import type { TagScope } from '../../query/attribute-keys.js';
import { TAG_SCOPES, attributeKeys } from '../../query/attribute-keys.js';
import { tagValues } from '../../query/tag-values.js';
import type { TraceStore } from '../../store/trace-store.js';
import type { RawQueryString } from '../query-string.js';
import { singleParams } from '../query-string.js';
import { queryErrorResponse } from './query-error-response.js';
import { BadSearchParameter } from './search-errors.js';
import { autocompleteFilter, decodeTagName, scopedTag } from './tag-params.js';
import { unixSecondsRange } from './unix-seconds-params.js';

/** The parameters the tag routes read, each taking one value. */
const TAGS_PARAMS = ['scope', 'q', 'start', 'end', 'limit'] as const;

/**
 * Tempo's autocompletion endpoints, as Grafana's TraceQL editor calls them:
 *
 * - `GET /api/search/tags` → `{"tagNames": [...]}` (span and resource keys, unscoped);
 * - `GET /api/v2/search/tags?scope=&q=` → `{"scopes": [{"name": "span", "tags": [...]}, ...]}`;
 * - `GET /api/search/tag/<tag>/values` → `{"tagValues": ["..."]}`;
 * - `GET /api/v2/search/tag/<scoped.tag>/values?q=` → `{"tagValues": [{"type", "value"}]}`.
 *
 * `q` (the editor's TraceQL) narrows keys and values to matching spans; `start`/`end` are Unix
 * seconds (default: the last hour); the tenant is `X-Scope-OrgID`.
 */
export function registerTagsRoutes(app: FastifyInstance, store: TraceStore): void {
  app.get<{ Querystring: RawQueryString }>('/api/search/tags', (request, reply) =>
    answer(reply, async () => {
      const params = singleParams(request.query, TAGS_PARAMS);
      const tenant = tenantFromHeader(request.headers['x-scope-orgid']);
      const keys = await attributeKeys(store, tenant, {
        range: unixSecondsRange(params.start, params.end),
        scopes: ['span', 'resource'],
        limit: limit(params.limit),
      });
      return { tagNames: [...new Set(keys.scopes.flatMap((s) => s.keys))].sort() };
    }),
  );

  app.get<{ Querystring: RawQueryString }>('/api/v2/search/tags', (request, reply) =>
    answer(reply, async () => {
      const params = singleParams(request.query, TAGS_PARAMS);
      const tenant = tenantFromHeader(request.headers['x-scope-orgid']);
      const keys = await attributeKeys(store, tenant, {
        range: unixSecondsRange(params.start, params.end),
        scopes: scopes(params.scope),
        limit: limit(params.limit),
        filter: autocompleteFilter(params.q),
      });
      return { scopes: keys.scopes.map((s) => ({ name: s.scope, tags: s.keys })) };
    }),
  );

  app.get<{ Params: { tag: string }; Querystring: RawQueryString }>(
    '/api/search/tag/:tag/values',
    (request, reply) =>
      answer(reply, async () => {
        const params = singleParams(request.query, TAGS_PARAMS);
        const tenant = tenantFromHeader(request.headers['x-scope-orgid']);
        const tag = decodeTagName(request.params.tag);
        const found = await tagValues(store, tenant, {
          ...v1Tag(tag),
          range: unixSecondsRange(params.start, params.end),
          limit: limit(params.limit),
        });
        return { tagValues: [...new Set(found.values.map((v) => v.value))] };
      }),
  );

  app.get<{ Params: { tag: string }; Querystring: RawQueryString }>(
    '/api/v2/search/tag/:tag/values',
    (request, reply) =>
      answer(reply, async () => {
        const params = singleParams(request.query, TAGS_PARAMS);
        const tenant = tenantFromHeader(request.headers['x-scope-orgid']);
        const found = await tagValues(store, tenant, {
          ...scopedTag(decodeTagName(request.params.tag)),
          range: unixSecondsRange(params.start, params.end),
          limit: limit(params.limit),
          filter: autocompleteFilter(params.q),
        });
        return { tagValues: found.values.map((v) => ({ type: v.type, value: v.value })) };
      }),
  );
}

/** v1 names are unscoped attribute keys, except the intrinsics Tempo's v1 search knew. */
function v1Tag(tag: string): ReturnType<typeof scopedTag> {
  return tag === 'name' || tag === 'status' ? { scope: 'intrinsic', key: tag } : { scope: 'none', key: tag };
}

function scopes(scope: string | undefined): readonly TagScope[] {
  if (scope === undefined || scope === '' || scope === 'all') return TAG_SCOPES;
  const found = TAG_SCOPES.find((s) => s === scope);
  if (!found)
    throw new BadSearchParameter(`invalid scope "${scope}": expected one of ${TAG_SCOPES.join(', ')} or all`);
  return [found];
}

function limit(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^[1-9]\d{0,5}$/.test(text))
    throw new BadSearchParameter(`invalid limit: "${text}" is not a whole number from 1 to 999999`);
  return Number(text);
}

async function answer(reply: FastifyReply, body: () => Promise<object>): Promise<FastifyReply> {
  try {
    return await reply.type('application/json').send(JSON.stringify(await body()));
  } catch (error) {
    const response = queryErrorResponse(error);
    if (!response) throw error;
    return reply.code(response.status).type('text/plain').send(response.message);
  }
}
