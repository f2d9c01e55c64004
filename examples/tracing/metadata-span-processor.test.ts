import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { describe, expect, it } from 'vitest';
import { MetadataSpanProcessor } from './metadata-span-processor.js';

describe('MetadataSpanProcessor', () => {
  const metadata = { environment: 'staging', version: '2.3.4', instanceId: 'instance-7' };

  it('stamps every span with environment, version and instance id, which the code can still override', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new MetadataSpanProcessor(metadata), new SimpleSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('test');
    tracer.startSpan('plain').end();
    const overridden = tracer.startSpan('overridden');
    overridden.setAttribute('deployment.environment', 'canary');
    overridden.end();

    const [plain, second] = exporter.getFinishedSpans();
    expect(plain.attributes).toEqual({
      'deployment.environment': 'staging',
      'service.version': '2.3.4',
      'service.instance.id': 'instance-7',
    });
    expect(second.attributes['deployment.environment']).toBe('canary');
    expect(second.attributes['service.instance.id']).toBe('instance-7');
  });

  it('leaves attributes given at span start in place beside its own', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new MetadataSpanProcessor(metadata), new SimpleSpanProcessor(exporter)],
    });
    provider
      .getTracer('test')
      .startSpan('with', { attributes: { 'app.step': 'one' } })
      .end();
    expect(exporter.getFinishedSpans()[0].attributes).toMatchObject({
      'app.step': 'one',
      'service.version': '2.3.4',
    });
  });
});
