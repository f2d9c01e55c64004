import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { makeRealisticBatch } from '../../../bench/realistic-batch.js';
import { everyKindBatch } from '../../../test/support/every-kind-batch.js';
import { NO_REWRITES, nonCanonicalRequest } from '../../../test/support/non-canonical-request.js';
import { compileProcessorWorker } from '../../../test/support/processor-worker-build.js';
import { silentLogger } from '../../logging/logger.js';
import type { TracesData } from '../../model/span.js';
import { decodeExportTraceServiceRequest } from '../../otlp/protobuf/decode-traces.js';
import { encodeExportTraceServiceRequest } from '../../otlp/protobuf/encode-traces.js';
import { runProcessor } from '../../processors/processor-test-support.js';
import { createRng } from '../../traceql/fuzz/random.js';
import { ProcessorWorkerPool } from './processor-worker-pool.js';
import { WORKER_PROCESSOR_FACTORIES } from './worker-processor-factories.js';

/*
 * A processor worker copies from the request what its processors left unchanged (span heads,
 * attributes, events, links: encode-traces.ts, encodeExportTraceServiceRequestFromSource). Its
 * output bytes must be those of a fresh encode of what the same processors make of the request on
 * the main thread — for processors that rename spans (span, transform), set status and kind
 * (transform), change attributes (attributes, redaction), and for requests that were not encoded
 * canonically.
 */

const PROCESSORS: readonly [type: string, yaml: string][] = [
  [
    'attributes',
    `actions:
  - { key: deployment.environment, value: production, action: insert }
  - { key: url.path, action: hash }
  - { key: user_agent.original, action: delete }`,
  ],
  [
    'redaction',
    `allow_all_keys: true\nblocked_values: ['\\b\\d{4}[- ]?\\d{4}[- ]?\\d{4}[- ]?\\d{4}\\b', '☃']`,
  ],
  ['span', `name: { from_attributes: [http.request.method, http.route], separator: " " }`],
  [
    'transform',
    `trace_statements:
  - context: span
    statements:
      - 'set(status.code, STATUS_CODE_ERROR) where attributes["http.response.status_code"] == 500'
      - 'set(kind, SPAN_KIND_INTERNAL) where name == "typed"'
      - 'set(name, "db query") where attributes["db.system"] == "postgresql" and kind == SPAN_KIND_CLIENT'`,
  ],
];

async function onMainThread(request: Buffer): Promise<TracesData> {
  let data = decodeExportTraceServiceRequest(request);
  for (const [type, yaml] of PROCESSORS)
    data = await runProcessor(WORKER_PROCESSOR_FACTORIES.get(type)!, yaml, data);
  return data;
}

function requests(): Buffer[] {
  const card = makeRealisticBatch(40, 7);
  card[0].scopeSpans[0].spans[0].attributes.push({ key: 'card', value: 'paid with 4111 1111 1111 1111' });
  const canonical = [
    everyKindBatch('0af7651916cd43dd8448eb211c80319c'),
    makeRealisticBatch(200, 1),
    card,
  ].map(encodeExportTraceServiceRequest);
  const rng = createRng(11);
  const rewritten = canonical.map((bytes) =>
    nonCanonicalRequest(bytes, rng, { ...NO_REWRITES, reorder: 0.1, repeat: 0.1, pad: 0.05, defaults: 0.05 }),
  );
  return [...canonical, ...rewritten];
}

let worker: Awaited<ReturnType<typeof compileProcessorWorker>>;
let pool: ProcessorWorkerPool;
beforeAll(async () => {
  worker = await compileProcessorWorker();
  pool = new ProcessorWorkerPool({
    count: 1,
    setup: {
      processors: PROCESSORS.map(([type, yaml]) => ({
        id: `${type} in traces`,
        type,
        value: parseYaml(yaml) as unknown,
        path: `processors.${type}`,
      })),
      logLevel: 'silent',
    },
    logger: silentLogger(),
    processorLoggers: new Map(),
    entry: worker.entry,
  });
  await pool.start();
}, 60_000);
afterAll(async () => {
  await pool.shutdown();
  await worker.remove();
});

describe('a processor worker copying unchanged parts of spans', () => {
  it('answers with the bytes of a fresh encode of what the processors make on the main thread', async () => {
    for (const [i, request] of requests().entries()) {
      const { bytes } = await pool.process([request], 'tenant');
      const expected = encodeExportTraceServiceRequest(await onMainThread(request));
      expect({ request: i, same: bytes.equals(expected) }).toEqual({ request: i, same: true });
    }
  });

  it('renames, re-kinds and fails spans as the processors say', async () => {
    const { bytes } = await pool.process([encodeExportTraceServiceRequest(makeRealisticBatch(200, 1))], 't');
    const spans = decodeExportTraceServiceRequest(bytes).flatMap((rs) =>
      rs.scopeSpans.flatMap((ss) => ss.spans),
    );
    expect(spans.some((s) => s.name === 'db query')).toBe(true);
    expect(spans.some((s) => /^(GET|POST) \//.test(s.name))).toBe(true);
    for (const s of spans) {
      const status = s.attributes.find((kv) => kv.key === 'http.response.status_code')?.value;
      if (status === 500n) expect(s.status.code).toBe(2);
    }
  });
});
