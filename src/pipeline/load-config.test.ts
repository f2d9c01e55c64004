import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinComponents } from './builtin-components.js';
import { ConfigError } from './config-error.js';
import { loadConfigFile, parseConfigText } from './load-config.js';

const invalidDir = fileURLToPath(new URL('testdata/invalid/', import.meta.url));
const registry = builtinComponents();

/** Every broken config under testdata/invalid, with the exact error it must produce. */
const INVALID: Record<string, string> = {
  'unknown-receiver-type.yaml': 'receivers.otlpp: unknown receiver type "otlpp"; known types: otlp, zipkin',
  'unknown-processor-key.yaml':
    'processors.batch: unknown key "send_batch_sise"; known keys: send_batch_max_size, send_batch_size, timeout',
  'bad-duration.yaml': 'processors.batch.timeout: expected a duration such as 200ms, 5s or 1m30s, got "fast"',
  'undefined-exporter.yaml':
    'service.pipelines.traces.exporters[0]: exporter "otlp/backend" is not defined under exporters:; defined: debug',
  'no-receivers.yaml': 'service.pipelines.traces/empty: must have at least one receiver',
  'metrics-pipeline.yaml':
    'service.pipelines.metrics: unsupported pipeline type "metrics"; known pipeline types: traces',
  'yaml-syntax.yaml':
    'yaml-syntax.yaml:4:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
  'missing-service.yaml': 'service: is required: it lists the pipelines to run',
  'otlp-exporter-without-endpoint.yaml': 'exporters.otlp.endpoint: is required',
  'batch-size-not-exact.yaml':
    'processors.batch.send_batch_size: expected a whole number of at most 9007199254740991, got 1e+99',
  'batch-max-below-size.yaml':
    'processors.batch.send_batch_max_size: must be 0 or at least send_batch_size (1000), got 10',
  'unsupported-config-source.yaml':
    'receivers.otlp.protocols.grpc.endpoint: unsupported config source "http" in ${http:example.com/endpoint}; known sources: env',
  'otlp-receiver-without-protocols.yaml':
    'receivers.otlp.protocols: must specify at least one protocol: grpc or http',
  'empty-component-name.yaml':
    'receivers.otlp/: "otlp/" is not a component id: the name after "/" must not be empty',
  'connectors.yaml':
    'unknown key "connectors"; known keys: exporters, extensions, processors, receivers, service',
  'bad-verbosity.yaml': 'exporters.debug.verbosity: "loud" is not one of basic, normal, detailed',
  'bad-listen-endpoint.yaml':
    'receivers.otlp.protocols.http.endpoint: "localhost" is not a listen address: expected HOST:PORT, e.g. 0.0.0.0:4317 or :4317',
  'bool-as-string.yaml': 'exporters.otlp.tls.insecure: expected true or false, got "yes"',
  'tail-sampling-threshold.yaml':
    'processors.tail_sampling.policies[2].latency.threshold_ms: expected a number',
  'tail-sampling-policy-type.yaml':
    'processors.tail_sampling.policies[0].type: "span_count" is not one of always_sample, latency, status_code, string_attribute, numeric_attribute, probabilistic, rate_limiting, and, composite',
  'duplicate-key.yaml': 'duplicate-key.yaml:6:9: invalid YAML: Map keys must be unique',
  'alias-bomb.yaml':
    'alias-bomb.yaml: invalid YAML: Excessive alias count indicates a resource exhaustion attack',
  'unresolved-alias.yaml':
    'unresolved-alias.yaml: invalid YAML: Unresolved alias (the anchor must be set before the alias): exporters',
};

describe('invalid configs', () => {
  it('has an expected error for every file in testdata/invalid', () => {
    expect(readdirSync(invalidDir).sort()).toEqual(Object.keys(INVALID).sort());
  });

  for (const [file, message] of Object.entries(INVALID)) {
    it(`refuses ${file}`, async () => {
      const error = await loadConfigFile(`${invalidDir}${file}`, {}, registry).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message.replace(invalidDir, '')).toBe(message);
    });
  }
});

describe('environment substitution', () => {
  const config = `
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: \${env:GRPC_ENDPOINT}
      http:
        endpoint: \${HTTP_HOST:-127.0.0.1}:\${HTTP_PORT:-4318}
processors:
  batch:
    send_batch_size: \${env:BATCH_SIZE}
    timeout: \${TIMEOUT:-1s}
exporters:
  otlp:
    endpoint: backend:4317
    headers:
      authorization: "Bearer \${env:TOKEN}"
      literal: "$$HOME"
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [otlp]
`;
  it('expands ${env:X}, ${X} and ${X:-default}, keeping a whole-value number a number', () => {
    const parsed = parseConfigText(
      config,
      { GRPC_ENDPOINT: '127.0.0.1:5317', BATCH_SIZE: '64', TOKEN: 's3cret' },
      registry,
    );
    expect(parsed.receivers.get('otlp')?.config).toMatchObject({
      grpc: { endpoint: { host: '127.0.0.1', port: 5317 } },
      http: { endpoint: { host: '127.0.0.1', port: 4318 } },
    });
    expect(parsed.processors.get('batch')?.config).toEqual({
      sendBatchSize: 64,
      sendBatchMaxSize: 0,
      timeoutMs: 1000,
    });
    expect(parsed.exporters.get('otlp')?.config).toMatchObject({
      headers: { authorization: 'Bearer s3cret', literal: '$HOME' },
    });
    expect(parsed.warnings).toEqual([]);
  });

  it('expands an unset variable without a default to empty, as the Collector does, and says so', () => {
    const parsed = parseConfigText(config, { GRPC_ENDPOINT: '127.0.0.1:5317', BATCH_SIZE: '64' }, registry);
    expect(parsed.exporters.get('otlp')?.config).toMatchObject({ headers: { authorization: 'Bearer ' } });
    expect(parsed.warnings).toEqual([
      'exporters.otlp.headers.authorization: ${TOKEN} is not set; using an empty value',
    ]);
  });
});

describe('pipelines', () => {
  it('accepts several named traces pipelines sharing components', () => {
    const parsed = parseConfigText(
      `
receivers:
  otlp:
    protocols: { grpc: {}, http: {} }
  zipkin:
processors:
  batch:
  batch/small: { send_batch_size: 10 }
exporters:
  debug:
  otlp/tempo: { endpoint: "https://tempo.example:4317" }
service:
  pipelines:
    traces:
      receivers: [otlp, zipkin]
      processors: [batch]
      exporters: [debug]
    traces/tempo:
      receivers: [otlp]
      processors: [batch/small]
      exporters: [otlp/tempo, debug]
`,
      {},
      registry,
    );
    expect(parsed.pipelines.map((p) => p.id)).toEqual(['traces', 'traces/tempo']);
    expect(parsed.exporters.get('otlp/tempo')?.config).toMatchObject({
      target: 'tempo.example:4317',
      tls: { insecure: false },
    });
  });
});
