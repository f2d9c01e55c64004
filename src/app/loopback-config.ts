import { DEFAULT_OTLP_GRPC_MAX_MESSAGE } from '../receivers/otlp/otlp-grpc-receiver.js';
import { DEFAULT_OTLP_HTTP_MAX_BODY } from '../receivers/otlp/otlp-http-receiver.js';
import type { AllInOneConfig } from './all-in-one.js';

const LOOPBACK = { host: '127.0.0.1', port: 0 };

/**
 * An all-in-one config with every listener on a free loopback port and the default limits: what
 * in-process tests and benchmarks start (they read the bound ports from the running receivers).
 */
export function loopbackAllInOneConfig(overrides: Partial<AllInOneConfig> = {}): AllInOneConfig {
  return {
    otlpGrpc: LOOPBACK,
    otlpHttp: LOOPBACK,
    zipkin: LOOPBACK,
    http: LOOPBACK,
    maxGrpcMessageBytes: DEFAULT_OTLP_GRPC_MAX_MESSAGE,
    maxHttpBodyBytes: DEFAULT_OTLP_HTTP_MAX_BODY,
    maxInflightBytes: 64 * 1024 * 1024,
    corsAllowedOrigins: [],
    ...overrides,
  };
}
