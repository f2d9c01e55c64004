import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { openEmbeddedStore } from '../app/open-embedded-store.js';
import { createLogger } from '../logging/logger.js';
import { buildService } from '../pipeline/build-service.js';
import { builtinComponents } from '../pipeline/builtin-components.js';
import { ConfigError } from '../pipeline/config-error.js';
import { loadConfigFile } from '../pipeline/load-config.js';
import { singleStoreExporter } from '../pipeline/single-store-exporter.js';
import { InflightLimiter } from '../receivers/shared/inflight-limiter.js';
import { ShutdownOnSignal } from './shutdown-on-signal.js';
import { resolveStartConfig } from './start-options.js';
import { UsageError } from './usage-error.js';
import { resolveWorkerCount } from './workers-option.js';

const HELP = `Usage: tracehouse collector --config FILE

Runs a trace collector configured like the OpenTelemetry Collector: receivers, processors,
exporters, extensions and service.pipelines.traces from a YAML file, with \${env:VAR},
\${VAR} and \${VAR:-default} substituted. No query API. A "store" exporter writes to the
storage that 'tracehouse start' would use (TRACEHOUSE_DATA, TRACEHOUSE_STORAGE, ...).
Check a file without running it: tracehouse validate --config FILE.

Options:
  --config FILE    the YAML config (required)
  --workers N      worker threads that run each pipeline's consecutive stateless processors
                   (attributes, resource, redaction, filter, probabilistic_sampler, span,
                   transform), N for each such run: a number, or auto (one less than the cores,
                   at most 64); 0 runs everything on the main thread. env TRACEHOUSE_WORKERS,
                   default 0
  -h, --help       show this help`;

/** `tracehouse collector --config FILE`: the pipeline engine alone. */
export async function collectorCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string' },
      workers: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (values.config === undefined) throw new UsageError('collector: --config FILE is required');
  const workers = resolveWorkerCount(values.workers, process.env);
  let config;
  try {
    config = await loadConfigFile(values.config, process.env, builtinComponents());
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`tracehouse: invalid configuration: ${error.message}\n`);
    return 1;
  }
  const logger = createLogger(config.logLevel ?? 'info');
  const shutdown = new ShutdownOnSignal(logger);
  for (const warning of config.warnings) logger.warn(warning);
  // The store, opened only if a pipeline has a store exporter, from the same settings as `start`.
  const store: { close?: () => Promise<void> } = {};
  const host = {
    limiter: new InflightLimiter(64 * 1024 * 1024),
    openStoreExporter: singleStoreExporter(async () => {
      const settings = resolveStartConfig({}, process.env);
      await mkdir(settings.dataDir, { recursive: true });
      const opened = await openEmbeddedStore(settings, logger);
      store.close = () => opened.close();
      return opened.exporter;
    }),
    processorWorkers: { count: workers },
  };
  const service = await buildService(config, logger, host);
  try {
    await service.start();
  } catch (error) {
    await store.close?.();
    throw error;
  }
  logger.info({ config: values.config }, 'collector started');
  return shutdown.runUntilSignal(async () => {
    await service.shutdown();
    await store.close?.();
  });
}
