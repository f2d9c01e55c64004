import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigNode } from '../../pipeline/config-node.js';
import { otlpHttpExporterFactory } from './otlphttp-exporter-factory.js';

const parse = (yaml: string) =>
  otlpHttpExporterFactory.parseConfig(new ConfigNode(parseYaml(yaml), 'exporters.otlphttp'));

describe('otlphttp exporter config', () => {
  it('has the Collector’s defaults: proto, gzip, 30s', () => {
    expect(parse('endpoint: https://tempo:4318')).toMatchObject({
      url: 'https://tempo:4318/v1/traces',
      encoding: 'proto',
      compression: 'gzip',
      timeoutMs: 30_000,
      retry: { enabled: true, initialIntervalMs: 5000 },
      queue: { enabled: true, queueSize: 1000 },
    });
  });

  it('appends /v1/traces after the base path, and takes traces_endpoint as given', () => {
    expect(parse('endpoint: http://gw:4318/otlp/').url).toBe('http://gw:4318/otlp/v1/traces');
    expect(parse('{ endpoint: "http://a:4318", traces_endpoint: "http://b:9999/ingest" }').url).toBe(
      'http://b:9999/ingest',
    );
  });

  it('refuses a config without an endpoint, or with one that is not an http(s) URL', () => {
    expect(() => parse('encoding: json')).toThrow(
      'exporters.otlphttp: either endpoint or traces_endpoint must be specified',
    );
    expect(() => parse('endpoint: tempo:4318')).toThrow(
      'exporters.otlphttp.endpoint: "tempo:4318" is not an http(s) URL, e.g. https://tempo:4318',
    );
    expect(() => parse('{ endpoint: "http://t:4318", encoding: protobuf }')).toThrow(
      'exporters.otlphttp.encoding: "protobuf" is not one of proto, json',
    );
  });
});
