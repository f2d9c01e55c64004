import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ApiServer } from '../api/api-server.js';
import { AuthTokens, AuthTokensError } from '../auth/auth-tokens.js';
import { RequestIdentity } from '../auth/request-identity.js';
import { openEmbeddedStore } from '../app/open-embedded-store.js';
import { startPipelineConfig } from '../app/start-pipeline-config.js';
import { createLogger } from '../logging/logger.js';
import { buildService } from '../pipeline/build-service.js';
import { builtinComponents } from '../pipeline/builtin-components.js';
import { ConfigError } from '../pipeline/config-error.js';
import { loadConfigFile, parseConfigValue } from '../pipeline/load-config.js';
import { singleStoreExporter } from '../pipeline/single-store-exporter.js';
import { setDefaultTenant } from '../model/tenant.js';
import { loadTlsServerCredentials } from '../net/tls-credentials.js';
import { InflightLimiter } from '../receivers/shared/inflight-limiter.js';
import { ShutdownOnSignal } from './shutdown-on-signal.js';
import type { OptionSpec, StartOptionName } from './start-options.js';
import { resolveStartConfig, START_OPTIONS, startHelp } from './start-options.js';

/**
 * `tracehouse start`: the pipeline engine of `tracehouse collector` with the built-in config
 * (receivers → batch → store) or `--config`, plus the embedded store and the query API. Runs
 * until SIGINT/SIGTERM, then drains and exits 0.
 */
export async function startCommand(args: string[]): Promise<number> {
  const options: Record<string, { type: 'string' } | { type: 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const spec of Object.values(START_OPTIONS) as OptionSpec[])
    options[spec.flag] = { type: spec.boolean ? 'boolean' : 'string' };
  const { values } = parseArgs({ args, options, allowPositionals: false, strict: true });
  if (values.help === true) {
    process.stdout.write(`${startHelp()}\n`);
    return 0;
  }
  const flags: Partial<Record<StartOptionName, string>> = {};
  for (const [name, spec] of Object.entries(START_OPTIONS)) {
    const v = values[spec.flag];
    if (typeof v === 'string' || typeof v === 'boolean') flags[name as StartOptionName] = String(v);
  }
  const config = resolveStartConfig(flags, process.env);
  const registry = builtinComponents();
  let pipelines;
  let tokens;
  try {
    pipelines = config.configFile
      ? await loadConfigFile(config.configFile, process.env, registry)
      : parseConfigValue(startPipelineConfig(config), registry);
    tokens = config.authTokensFile ? await AuthTokens.load(config.authTokensFile) : undefined;
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof AuthTokensError)) throw error;
    const where = error instanceof AuthTokensError ? '--auth-tokens ' : '';
    process.stderr.write(`tracehouse: invalid configuration: ${where}${error.message}\n`);
    return 1;
  }
  const logger = createLogger(pipelines.logLevel ?? config.logLevel);
  const shutdown = new ShutdownOnSignal(logger);
  for (const warning of pipelines.warnings) logger.warn(warning);
  // Set once, before anything reads a tenant: every route and receiver sees the same default.
  setDefaultTenant(config.defaultTenant);
  const identity = new RequestIdentity({ multitenancyRequired: config.multitenancyRequired, tokens });
  if (tokens && !config.tls)
    logger.warn(
      'bearer tokens are configured without TLS (--tls-cert-file): they cross the network in clear text',
    );
  // Read before anything opens, so a bad certificate fails start-up in one line (a ListenError).
  const apiTls = config.tls ? await loadTlsServerCredentials(config.tls, 'http', config.http) : undefined;
  await mkdir(config.dataDir, { recursive: true });
  // Opening the engine and replaying the log can take a while (a signal meanwhile drains once it
  // is over). Debug, so that a start-up that fails (a port in use) stays one line.
  logger.debug({ data: config.dataDir }, 'opening the store');
  const storage = await openEmbeddedStore(config, logger);
  const host = {
    limiter: new InflightLimiter(config.maxInflightBytes),
    openStoreExporter: singleStoreExporter(() => Promise.resolve(storage.exporter)),
    identity,
    processorWorkers: { count: config.workers },
  };
  const api = new ApiServer({
    endpoint: config.http,
    store: storage.store,
    identity,
    tls: apiTls,
    corsAllowedOrigins: config.apiCorsAllowedOrigins,
    queryTimeoutMs: config.queryTimeoutMs,
    maxSearchLimit: config.maxSearchLimit,
    logger,
  });
  let service;
  try {
    service = await buildService(pipelines, logger, host);
    await Promise.all([service.start(), api.start()]);
  } catch (error) {
    await Promise.allSettled([service?.shutdown(), api.shutdown()]);
    await storage.exporter.shutdown();
    await storage.close();
    throw error;
  }
  api.markReady();
  const running = service;
  // Before the drain that a signal during start-up begins at once.
  logger.info({ component: api.component, address: api.address() }, 'listening');
  // The server's URL and database, never its password.
  const storageText =
    config.storage.kind === 'server'
      ? `${config.storage.server.url}/${config.storage.server.database}`
      : 'embedded';
  logger.info(
    { data: config.dataDir, storage: storageText, config: config.configFile },
    'tracehouse started',
  );
  return shutdown.runUntilSignal(async () => {
    await Promise.allSettled([running.shutdown(), api.shutdown()]);
    // Idempotent; closes the log even when no pipeline used the store.
    await storage.exporter.shutdown();
    await storage.close();
  });
}
