import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startAllInOne } from '../app/all-in-one.js';
import { DebugExporter } from '../exporters/debug/debug-exporter.js';
import { createLogger } from '../logging/logger.js';
import { openEmbeddedStore } from '../app/open-embedded-store.js';
import type { TracesExporter } from '../exporters/traces-exporter.js';
import type { StartOptionName } from './start-options.js';
import { resolveStartConfig, START_OPTIONS, startHelp } from './start-options.js';

/** `tracehouse start`: runs until SIGINT/SIGTERM, then drains and exits 0. */
export async function startCommand(args: string[]): Promise<number> {
  const options: Record<string, { type: 'string' } | { type: 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const spec of Object.values(START_OPTIONS)) options[spec.flag] = { type: 'string' };
  const { values } = parseArgs({ args, options, allowPositionals: false, strict: true });
  if (values.help === true) {
    process.stdout.write(`${startHelp()}\n`);
    return 0;
  }
  const flags: Partial<Record<StartOptionName, string>> = {};
  for (const [name, spec] of Object.entries(START_OPTIONS)) {
    const v = values[spec.flag];
    if (typeof v === 'string') flags[name as StartOptionName] = v;
  }
  const config = resolveStartConfig(flags, process.env);
  const logger = createLogger(config.logLevel);
  await mkdir(config.dataDir, { recursive: true });

  const storage = await openEmbeddedStore(config, logger);
  const exporters: TracesExporter[] = [storage.exporter];
  if (config.debugVerbosity !== 'off')
    exporters.push(new DebugExporter({ verbosity: config.debugVerbosity }));
  let running;
  try {
    running = await startAllInOne({ ...config, store: storage.store }, exporters, logger);
  } catch (error) {
    await storage.close();
    throw error;
  }
  // The server's URL and database, never its password.
  const storageText =
    config.storage.kind === 'server'
      ? `${config.storage.server.url}/${config.storage.server.database}`
      : 'embedded';
  logger.info({ data: config.dataDir, storage: storageText }, 'tracehouse started');
  const stop = async (): Promise<void> => {
    await running.shutdown();
    await storage.close();
  };

  return new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals++;
      if (signals > 1) {
        logger.warn({ signal }, 'second signal: exiting without draining');
        resolve(1);
        return;
      }
      logger.info({ signal }, 'shutting down: draining accepted requests');
      void stop().then(() => {
        logger.info('stopped');
        resolve(0);
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
