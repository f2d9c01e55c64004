import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthTokens } from '../auth/auth-tokens.js';
import { RequestIdentity } from '../auth/request-identity.js';
import { encodeExportTraceServiceRequestJson } from '../otlp/json/encode-traces-json.js';
import { encodeExportTraceServiceRequest } from '../otlp/protobuf/encode-traces.js';
import {
  receiverAcceptedSpans,
  receiverRefusedRequests,
  receiverRefusedSpans,
} from '../observability/self-metrics.js';
import { rawGrpcExport } from '../../test/support/exporters.js';
import { oneSpanRequest } from '../../test/support/one-span-request.js';
import type { TestTracehouse } from '../../test/support/test-tracehouse.js';
import { startTestTracehouse } from '../../test/support/test-tracehouse.js';

/*
 * The same identity rules on the three ingest protocols: 401 / UNAUTHENTICATED for a missing or
 * unknown bearer token (or no X-Scope-OrgID when multitenancy is required), 403 /
 * PERMISSION_DENIED for a token of another tenant or without the ingest scope; the token's tenant
 * otherwise, and a refused sender's spans never reach the pipeline.
 */

const TOKENS = AuthTokens.parse(
  `
ingest-token-a-00000001: { tenant: tenant-a, scopes: [ingest] }
ingest-token-b-00000002: tenant-b
query-token-a-000000003: { tenant: tenant-a, scopes: [query] }
`,
  'test tokens',
);

let th: TestTracehouse | undefined;
afterEach(async () => {
  await th?.stop();
  th = undefined;
});

const withTokens = (): Promise<TestTracehouse> =>
  startTestTracehouse({ identity: new RequestIdentity({ multitenancyRequired: false, tokens: TOKENS }) });

interface Sent {
  status: number;
  message: string;
  challenge: string | null;
}

type Send = (th: TestTracehouse, headers: Record<string, string>) => Promise<Sent>;

const otlpHttp: Send = async (t, headers) => {
  const response = await fetch(`${t.httpBase}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(encodeExportTraceServiceRequestJson(oneSpanRequest())),
  });
  const body = (await response.json()) as { message?: string; code?: number };
  return {
    status: response.status,
    message: body.message ?? '',
    challenge: response.headers.get('www-authenticate'),
  };
};

const zipkin: Send = async (t, headers) => {
  const span = {
    traceId: '5b8efff798038103d269b633813fc60c',
    id: 'eee19b7ec3c1b174',
    name: 'z',
    timestamp: 1,
    duration: 1,
  };
  const response = await fetch(`${t.zipkinBase}/api/v2/spans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify([span]),
  });
  return {
    status: response.status,
    message: await response.text(),
    challenge: response.headers.get('www-authenticate'),
  };
};

const GRPC_TO_HTTP: Partial<Record<number, number>> = {
  [grpc.status.UNAUTHENTICATED]: 401,
  [grpc.status.PERMISSION_DENIED]: 403,
};

/** gRPC answers as the HTTP status the same refusal has, to share the cases below. */
const otlpGrpc: Send = async (t, headers) => {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
  const { error } = await rawGrpcExport(t.grpcAddress, encodeExportTraceServiceRequest(oneSpanRequest()), {
    metadata,
  });
  if (!error) return { status: 200, message: '', challenge: null };
  return { status: GRPC_TO_HTTP[error.code] ?? 500 + error.code, message: error.details, challenge: null };
};

const PROTOCOLS: [string, Send][] = [
  ['otlp-http', otlpHttp],
  ['zipkin', zipkin],
  ['otlp-grpc', otlpGrpc],
];

describe.each(PROTOCOLS)('%s receiver identity', (receiver, send) => {
  const ok = receiver === 'zipkin' ? 202 : 200;

  it('refuses a missing, unknown or non-Bearer token with 401 (UNAUTHENTICATED) and a Bearer challenge', async () => {
    th = await withTokens();
    const before = receiverRefusedRequests.get({ receiver, reason: 'unauthenticated' });
    const missing = await send(th, { 'x-scope-orgid': 'tenant-a' });
    expect(missing).toMatchObject({
      status: 401,
      message: expect.stringContaining('missing bearer token') as unknown,
    });
    if (receiver !== 'otlp-grpc') expect(missing.challenge).toBe('Bearer realm="tracehouse"');
    for (const authorization of ['Bearer wrong-token', 'Basic ingest-token-a-00000001']) {
      const wrong = await send(th, { authorization });
      expect({ authorization, status: wrong.status }).toEqual({ authorization, status: 401 });
      if (receiver !== 'otlp-grpc') expect(wrong.challenge).toMatch(/^Bearer realm="tracehouse"/);
    }
    expect(th.exporter.spanCount()).toBe(0);
    expect(receiverRefusedRequests.get({ receiver, reason: 'unauthenticated' })).toBe(before + 3);
  });

  it("refuses another tenant's token and a token without the ingest scope with 403 (PERMISSION_DENIED)", async () => {
    th = await withTokens();
    const otherTenant = await send(th, {
      authorization: 'Bearer ingest-token-b-00000002',
      'x-scope-orgid': 'tenant-a',
    });
    expect(otherTenant).toMatchObject({
      status: 403,
      message: 'this token is not valid for tenant "tenant-a" (X-Scope-OrgID)',
    });
    const queryOnly = await send(th, { authorization: 'Bearer query-token-a-000000003' });
    expect(queryOnly).toMatchObject({
      status: 403,
      message: expect.stringContaining('may not send spans') as unknown,
    });
    expect(th.exporter.spanCount()).toBe(0);
  });

  it("writes to the token's tenant, named in X-Scope-OrgID or not, and counts the spans", async () => {
    th = await withTokens();
    const before = receiverAcceptedSpans.get({ receiver, tenant: 'tenant-a' });
    expect((await send(th, { authorization: 'Bearer ingest-token-a-00000001' })).status).toBe(ok);
    expect(
      (await send(th, { authorization: 'bearer ingest-token-a-00000001', 'x-scope-orgid': 'tenant-a' }))
        .status,
    ).toBe(ok);
    expect(th.exporter.batches.map((b) => b.context.tenant)).toEqual(['tenant-a', 'tenant-a']);
    expect(receiverAcceptedSpans.get({ receiver, tenant: 'tenant-a' })).toBe(before + 2);
  });

  it('refuses a request without X-Scope-OrgID with 401 "no org id" when multitenancy is required', async () => {
    th = await startTestTracehouse({ identity: new RequestIdentity({ multitenancyRequired: true }) });
    expect(await send(th, {})).toMatchObject({ status: 401, message: 'no org id', challenge: null });
    expect((await send(th, { 'x-scope-orgid': 'team-x' })).status).toBe(ok);
    expect(th.exporter.batches.map((b) => b.context.tenant)).toEqual(['team-x']);
  });
});

describe('receiver span counters', () => {
  it('count spans dropped as invalid, and a tenant the store would refuse as tenant="invalid"', async () => {
    th = await startTestTracehouse();
    const data = oneSpanRequest();
    data[0].scopeSpans[0].spans.push({ ...data[0].scopeSpans[0].spans[0], traceId: 'abcd' });
    const post = (tenant: string, body: unknown) =>
      fetch(`${th?.httpBase}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-scope-orgid': tenant },
        body: JSON.stringify(body),
      });
    expect((await post('team-m', encodeExportTraceServiceRequestJson(data))).status).toBe(200);
    expect(
      receiverRefusedSpans.get({ receiver: 'otlp-http', tenant: 'team-m', reason: 'invalid_span' }),
    ).toBe(1);
    expect(receiverAcceptedSpans.get({ receiver: 'otlp-http', tenant: 'team-m' })).toBe(1);
    const before = receiverAcceptedSpans.get({ receiver: 'otlp-http', tenant: 'invalid' });
    await post('made/up', encodeExportTraceServiceRequestJson(oneSpanRequest()));
    expect(receiverAcceptedSpans.get({ receiver: 'otlp-http', tenant: 'invalid' })).toBe(before + 1);
  });
});
