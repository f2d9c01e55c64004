import type { FastifyInstance } from 'fastify';
import { IdentityError, rawHeaderValues } from '../auth/request-identity.js';
import type { RequestIdentity } from '../auth/request-identity.js';
import { isQueryRequest } from './query-paths.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant a query acts as, resolved once by the identity hook. */
    tenant: string;
  }
}

const IDENTITY_STATUS: Record<IdentityError['kind'], number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
};

/**
 * Resolves every query request's tenant before its route runs (Tempo's tenant middleware): 401
 * `no org id` without `X-Scope-OrgID` when multitenancy is required, 401 with a Bearer challenge
 * for a missing or unknown token, 403 for a token of another tenant or without the `query` scope,
 * 400 for `X-Scope-OrgID` given twice with different values.
 *
 * The resolved tenant is put on the request (`request.tenant`) and written back into
 * `X-Scope-OrgID`, so routes that read the header themselves (`tenantFromHeader`) see the same
 * tenant — including a token's tenant when the client sent the token alone.
 */
export function registerIdentityHook(app: FastifyInstance, identity: RequestIdentity): void {
  app.decorateRequest('tenant', '');
  app.addHook('onRequest', (request, reply, done) => {
    // CORS preflights carry no credentials (Fetch standard); @fastify/cors answers them.
    if (request.method === 'OPTIONS' || !isQueryRequest(request)) return done();
    try {
      request.tenant = identity.tenantOf(
        rawHeaderValues(request.raw.rawHeaders, 'x-scope-orgid'),
        request.headers.authorization,
        'query',
      );
    } catch (error) {
      if (!(error instanceof IdentityError)) return done(error as Error);
      if (error.challenge !== undefined) void reply.header('www-authenticate', error.challenge);
      void reply.code(IDENTITY_STATUS[error.kind]).type('text/plain').send(error.message);
      return;
    }
    request.headers['x-scope-orgid'] = request.tenant;
    done();
  });
}
