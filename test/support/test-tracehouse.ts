import type { AllInOneConfig, RunningTracehouse } from '../../src/app/all-in-one.js';
import { startAllInOne } from '../../src/app/all-in-one.js';
import { loopbackAllInOneConfig } from '../../src/app/loopback-config.js';
import { silentLogger } from '../../src/logging/logger.js';
import { CaptureExporter } from './capture-exporter.js';

export interface TestTracehouse {
  running: RunningTracehouse;
  exporter: CaptureExporter;
  grpcAddress: string;
  httpBase: string;
  zipkinBase: string;
  apiBase: string;
  stop(): Promise<void>;
}

/** Starts the all-in-one wiring in-process on free loopback ports, with a capturing sink. */
export async function startTestTracehouse(overrides: Partial<AllInOneConfig> = {}): Promise<TestTracehouse> {
  const exporter = new CaptureExporter();
  const running = await startAllInOne(
    loopbackAllInOneConfig({ corsAllowedOrigins: ['*'], ...overrides }),
    [exporter],
    silentLogger(),
  );
  const address = (component: string): string => {
    const receiver = running.receivers.find((r) => r.component === component);
    if (!receiver) throw new Error(`no ${component} receiver`);
    return receiver.address();
  };
  return {
    running,
    exporter,
    grpcAddress: address('otlp-grpc'),
    httpBase: `http://${address('otlp-http')}`,
    zipkinBase: `http://${address('zipkin')}`,
    apiBase: `http://${running.api.address()}`,
    stop: () => running.shutdown(),
  };
}
