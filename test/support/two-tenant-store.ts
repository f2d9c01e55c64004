import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyResourceSpans, emptySpan } from '../../src/model/factories.js';
import type { Span, TracesData } from '../../src/model/span.js';
import { SpanKind } from '../../src/model/span.js';
import { EmbeddedDriver } from '../../src/store/driver/embedded-driver.js';
import { encodeSpanBlocks } from '../../src/store/rows/span-blocks.js';
import { TraceStore } from '../../src/store/trace-store.js';

/**
 * Two tenants' data for tenancy tests: the same shape in each (a frontend SERVER span calling a
 * backend through a CLIENT span), but every name that can appear in an answer — services, span
 * names, attribute keys and values — starts with the tenant's word, so a body containing the
 * other tenant's word is a leak, whatever the endpoint's format.
 */
export interface TenantData {
  readonly tenant: string;
  /** Appears in every name of this tenant's data and nowhere else. */
  readonly word: string;
  readonly traceId: string;
  readonly frontend: string;
  readonly backend: string;
}

export const TENANT_A: TenantData = {
  tenant: 'tenant-a',
  word: 'alpha',
  traceId: 'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1',
  frontend: 'alpha-frontend',
  backend: 'alpha-backend',
};

export const TENANT_B: TenantData = {
  tenant: 'tenant-b',
  word: 'bravo',
  traceId: 'b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2',
  frontend: 'bravo-frontend',
  backend: 'bravo-backend',
};

/** One trace of three spans for a tenant, starting at `startMs`. */
export function tenantTrace(t: TenantData, startMs: number): TracesData {
  const ns = (ms: number): bigint => BigInt(Math.round(startMs + ms)) * 1_000_000n;
  const span = (
    id: string,
    parent: string,
    name: string,
    kind: Span['kind'],
    from: number,
    to: number,
  ): Span => ({
    ...emptySpan(),
    traceId: t.traceId,
    spanId: id,
    parentSpanId: parent,
    name,
    kind,
    startTimeUnixNano: ns(from),
    endTimeUnixNano: ns(to),
    attributes: [{ key: `${t.word}.key`, value: `${t.word}-value` }],
  });
  const service = (name: string, spans: Span[]) => ({
    ...emptyResourceSpans(),
    resource: { attributes: [{ key: 'service.name', value: name }], droppedAttributesCount: 0 },
    scopeSpans: [
      {
        scope: { name: `${t.word}-scope`, version: '', attributes: [], droppedAttributesCount: 0 },
        schemaUrl: '',
        spans,
      },
    ],
  });
  return [
    service(t.frontend, [
      span('0000000000000001', '', `${t.word}-handler`, SpanKind.SERVER, 0, 300),
      span('0000000000000002', '0000000000000001', `${t.word}-call`, SpanKind.CLIENT, 10, 200),
    ]),
    service(t.backend, [
      span('0000000000000003', '0000000000000002', `${t.word}-work`, SpanKind.SERVER, 20, 190),
    ]),
  ];
}

export interface TwoTenantStore {
  store: TraceStore;
  /** When the traces start (ms), ten minutes ago: inside every endpoint's default lookback. */
  startMs: number;
  close(): Promise<void>;
}

/** An embedded engine in a temporary folder holding {@link TENANT_A}'s and {@link TENANT_B}'s traces. */
export async function openTwoTenantStore(options: { maxTraceSpans?: number } = {}): Promise<TwoTenantStore> {
  const dir = mkdtempSync(join(tmpdir(), 'tracehouse-tenants-'));
  const driver = await EmbeddedDriver.open(dir);
  const store = new TraceStore(driver, { retentionSeconds: 0, ...options });
  const startMs = Date.now() - 10 * 60_000;
  for (const t of [TENANT_A, TENANT_B])
    await store.insertSpans(t.tenant, encodeSpanBlocks(tenantTrace(t, startMs)));
  return {
    store,
    startMs,
    close: async () => {
      await driver.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
