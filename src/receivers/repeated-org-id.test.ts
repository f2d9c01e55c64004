import * as grpc from '@grpc/grpc-js';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeExportTraceServiceRequestJson } from '../otlp/json/encode-traces-json.js';
import { encodeExportTraceServiceRequest } from '../otlp/protobuf/encode-traces.js';
import { rawGrpcExport } from '../../test/support/exporters.js';
import { oneSpanRequest } from '../../test/support/one-span-request.js';
import type { TestTracehouse } from '../../test/support/test-tracehouse.js';
import { startTestTracehouse } from '../../test/support/test-tracehouse.js';

/*
 * X-Scope-OrgID sent twice (two header lines, two metadata entries) with different values names
 * no one tenant: every ingest protocol refuses it with 400 / INVALID_ARGUMENT rather than writing
 * to the first (or to "a, b", as Node joins the lines). The same value twice is that tenant.
 */

let th: TestTracehouse | undefined;
afterEach(async () => {
  await th?.stop();
  th = undefined;
});

/** A POST whose X-Scope-OrgID goes as one header line per value (fetch would join them). */
function postWithOrgIds(
  url: string,
  contentType: string,
  body: string,
  orgIds: string[],
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': contentType, 'x-scope-orgid': orgIds } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const REFUSAL = 'X-Scope-OrgID given 2 times with different values ("team-a", "team-b"): send one tenant';

type Send = (th: TestTracehouse, orgIds: string[]) => Promise<{ status: number; message: string }>;

const otlpHttp: Send = async (t, orgIds) => {
  const body = JSON.stringify(encodeExportTraceServiceRequestJson(oneSpanRequest()));
  const res = await postWithOrgIds(`${t.httpBase}/v1/traces`, 'application/json', body, orgIds);
  return { status: res.status, message: (JSON.parse(res.body) as { message?: string }).message ?? '' };
};

const zipkin: Send = async (t, orgIds) => {
  const span = {
    traceId: '5b8efff798038103d269b633813fc60c',
    id: 'eee19b7ec3c1b174',
    name: 'z',
    timestamp: 1,
  };
  const res = await postWithOrgIds(
    `${t.zipkinBase}/api/v2/spans`,
    'application/json',
    JSON.stringify([span]),
    orgIds,
  );
  return { status: res.status, message: res.body };
};

/** gRPC answers as its HTTP equivalent, to share the cases. */
const otlpGrpc: Send = async (t, orgIds) => {
  const metadata = new grpc.Metadata();
  for (const orgId of orgIds) metadata.add('x-scope-orgid', orgId);
  const { error } = await rawGrpcExport(t.grpcAddress, encodeExportTraceServiceRequest(oneSpanRequest()), {
    metadata,
  });
  if (!error) return { status: 200, message: '' };
  return {
    status: error.code === grpc.status.INVALID_ARGUMENT ? 400 : 500 + error.code,
    message: error.details,
  };
};

describe.each([
  ['otlp-http', otlpHttp, 200],
  ['zipkin', zipkin, 202],
  ['otlp-grpc', otlpGrpc, 200],
] as const)('%s receiver, X-Scope-OrgID given twice', (_receiver, send, ok) => {
  it('refuses two different tenants with 400 (INVALID_ARGUMENT), naming both', async () => {
    th = await startTestTracehouse();
    expect(await send(th, ['team-a', 'team-b'])).toEqual({ status: 400, message: REFUSAL });
    expect(th.exporter.spanCount()).toBe(0);
  });

  it('takes the same tenant given twice as that tenant', async () => {
    th = await startTestTracehouse();
    expect((await send(th, ['team-a', 'team-a'])).status).toBe(ok);
    expect(th.exporter.batches.map((b) => b.context.tenant)).toEqual(['team-a']);
  });
});
