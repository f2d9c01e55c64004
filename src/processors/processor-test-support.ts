import { parse as parseYaml } from 'yaml';
import type { ConsumeContext, TracesConsumer } from '../consumer/traces-consumer.js';
import type { AnyValue, KeyValue } from '../model/attributes.js';
import { emptyScope, emptySpan } from '../model/factories.js';
import type { Span, TracesData } from '../model/span.js';
import { silentLogger } from '../logging/logger.js';
import type { ProcessorFactory } from '../pipeline/component-factory.js';
import { ConfigNode } from '../pipeline/config-node.js';
import { InflightLimiter } from '../receivers/shared/inflight-limiter.js';

/** Attributes from a plain object: numbers that are whole become ints, as the SDKs send them. */
export function attrs(values: Record<string, AnyValue | number>): KeyValue[] {
  return Object.entries(values).map(([key, value]) => ({
    key,
    value: typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : value,
  }));
}

export function span(fields: Partial<Span> = {}): Span {
  return { ...emptySpan(), traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name: 'span', ...fields };
}

/** One resource (with `resource` attributes) and one scope holding `spans`. */
export function batch(
  spans: Span[],
  resource: Record<string, AnyValue | number> = { 'service.name': 'svc' },
): TracesData {
  return [
    {
      resource: { attributes: attrs(resource), droppedAttributesCount: 0 },
      scopeSpans: [{ scope: emptyScope(), spans, schemaUrl: '' }],
      schemaUrl: '',
    },
  ];
}

/** Parses a processor's YAML config the way the loader does, refusing unknown keys. */
export function parseProcessorConfig<C>(
  factory: ProcessorFactory<C>,
  yaml: string,
  path = `processors.${factory.type}`,
): C {
  const node = new ConfigNode(parseYaml(yaml) as unknown, path);
  node.expectMapping();
  const config = factory.parseConfig(node);
  node.checkUnknownKeys();
  return config;
}

/** Runs one batch through a processor built from YAML and returns what reached the next consumer. */
export async function runProcessor<C>(
  factory: ProcessorFactory<C>,
  yaml: string,
  data: TracesData,
): Promise<TracesData> {
  const out: TracesData = [];
  const next: TracesConsumer = {
    consumeTraces: (d: TracesData, _c: ConsumeContext) => {
      out.push(...d);
      return Promise.resolve();
    },
  };
  const processor = factory.createTraces(
    { id: factory.type, logger: silentLogger(), host: { limiter: new InflightLimiter(1 << 20) } },
    parseProcessorConfig(factory, yaml),
    next,
  );
  await processor.start();
  await processor.consumeTraces(data, { tenant: 'single-tenant' });
  await processor.shutdown();
  return out;
}

export function spansOf(data: TracesData): Span[] {
  return data.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
}

/** Attributes as a plain object, for readable expectations. */
export function plain(attributes: readonly KeyValue[]): Record<string, unknown> {
  return Object.fromEntries(attributes.map((kv) => [kv.key, kv.value]));
}
