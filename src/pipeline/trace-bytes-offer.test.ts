import { describe, expect, it } from 'vitest';
import type { TracesConsumer } from '../consumer/traces-consumer.js';
import { silentLogger } from '../logging/logger.js';
import { InflightLimiter } from '../receivers/shared/inflight-limiter.js';
import { buildService } from './build-service.js';
import { builtinComponents } from './builtin-components.js';
import type { ReceiverFactory } from './component-factory.js';
import { registryOf } from './component-factory.js';
import { parseConfigText } from './load-config.js';

/*
 * Which pipelines the builder lets receivers hand undecoded requests to
 * (TracesConsumer.consumeTraceBytes): only those whose every processor and exporter takes them.
 * Offering them wrongly would send spans past a processor meant to change them, or give an
 * exporter that needs spans nothing to read; so every case here is one where a wrong offer
 * would lose or corrupt data, or one where a missing offer loses the fast path.
 */
async function headOf(
  processors: string[],
  exporters: string[],
  pipelines = 1,
  workers = 0,
): Promise<TracesConsumer> {
  const heads: TracesConsumer[] = [];
  const probe: ReceiverFactory<Record<string, never>> = {
    type: 'probe',
    createDefaultConfig: () => ({}),
    parseConfig: () => ({}),
    createTraces: (_settings, _config, next) => {
      heads.push(next);
      return [];
    },
  };
  const builtin = builtinComponents();
  const registry = registryOf({
    receivers: [probe],
    processors: [...builtin.processors.values()],
    exporters: [...builtin.exporters.values()],
  });
  const pipelineLines = Array.from(
    { length: pipelines },
    (_, i) =>
      `traces/${i}: { receivers: [probe], processors: [${processors.join(', ')}], exporters: [${exporters.join(', ')}] }`,
  );
  const text = `
receivers: { probe: {} }
processors:
  batch: {}
  memory_limiter: { check_interval: 1s, limit_mib: 100000 }
  attributes: { actions: [{ key: a, value: b, action: insert }] }
  filter: { traces: { span: ['name == "x"'] } }
  tail_sampling: { decision_wait: 1s, policies: [{ name: all, type: always_sample }] }
exporters:
  nop: {}
  debug: {}
  otlp: { endpoint: 127.0.0.1:1, tls: { insecure: true } }
  otlphttp: { endpoint: http://127.0.0.1:1 }
  otlphttp/json: { endpoint: http://127.0.0.1:1, encoding: json }
service:
  pipelines:
    ${pipelineLines.join('\n    ')}
`;
  // Never started: no worker thread is spawned, so no compiled worker is needed.
  const service = await buildService(parseConfigText(text, {}, registry), silentLogger(), {
    limiter: new InflightLimiter(1 << 20),
    processorWorkers: { count: workers },
  });
  await service.shutdown();
  expect(heads).toHaveLength(1);
  return heads[0];
}

const offers = async (
  processors: string[],
  exporters: string[],
  pipelines = 1,
  workers = 0,
): Promise<boolean> =>
  (await headOf(processors, exporters, pipelines, workers)).consumeTraceBytes !== undefined;

describe('the pipeline builder offers undecoded requests', () => {
  it('where every processor and exporter takes them: batch, memory_limiter; otlp, otlphttp (proto), nop', async () => {
    expect(await offers(['batch'], ['otlp'])).toBe(true);
    expect(await offers(['memory_limiter', 'batch'], ['otlp', 'otlphttp', 'nop'])).toBe(true);
    expect(await offers([], ['otlp'])).toBe(true);
    // One receiver feeding two such pipelines: shared bytes, as nobody changes them.
    expect(await offers(['batch'], ['otlp'], 2)).toBe(true);
    // tail_sampling reads what its policies need from the bytes, where spans wait as bytes.
    expect(await offers(['tail_sampling', 'batch'], ['otlp'])).toBe(true);
  });

  it('nowhere a processor may change spans', async () => {
    expect(await offers(['attributes', 'batch'], ['otlp'])).toBe(false);
    expect(await offers(['batch', 'filter'], ['otlp'])).toBe(false);
  });

  it('nowhere an exporter needs spans or another encoding: debug, otlphttp JSON — even beside one that takes bytes', async () => {
    expect(await offers(['batch'], ['debug'])).toBe(false);
    expect(await offers(['batch'], ['otlphttp/json'])).toBe(false);
    expect(await offers(['batch'], ['otlp', 'debug'])).toBe(false);
    expect(await offers([], ['nop', 'debug'])).toBe(false);
    // tail_sampling holds whole spans for an exporter that needs them: the receiver decodes.
    expect(await offers(['tail_sampling'], ['debug'])).toBe(false);
  });
});

describe('with processor workers, the pipeline builder offers undecoded requests', () => {
  it('where the processors that change spans run on the workers (they decode, and encode what goes on)', async () => {
    expect(await offers(['attributes', 'batch'], ['otlp'], 1, 1)).toBe(true);
    expect(await offers(['memory_limiter', 'attributes', 'filter'], ['otlp'], 1, 1)).toBe(true);
    // The segment decodes its output for an exporter that needs spans.
    expect(await offers(['attributes'], ['debug'], 1, 1)).toBe(true);
  });

  it('through tail_sampling on the main thread before them: it reads what its policies need from the bytes', async () => {
    expect(await offers(['tail_sampling', 'attributes'], ['otlp'], 1, 1)).toBe(true);
    expect(await offers(['attributes', 'tail_sampling', 'batch'], ['otlp'], 1, 1)).toBe(true);
  });
});
