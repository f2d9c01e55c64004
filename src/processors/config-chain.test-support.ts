import type { TracesConsumer } from '../consumer/traces-consumer.js';
import { silentLogger } from '../logging/logger.js';
import type { TracesData } from '../model/span.js';
import { builtinComponents } from '../pipeline/builtin-components.js';
import { ConfigError } from '../pipeline/config-error.js';
import { loadConfigFile } from '../pipeline/load-config.js';
import { InflightLimiter } from '../receivers/shared/inflight-limiter.js';

/**
 * Loads a whole collector config file (a processor's `testdata/`) and returns a function that
 * runs one batch through the first pipeline's processors, in order, as the builder wires them.
 */
export async function processorChainOf(file: string): Promise<(data: TracesData) => Promise<TracesData>> {
  const config = await loadConfigFile(file, {}, builtinComponents());
  const ids = config.pipelines[0].processors;
  return async (data) => {
    const out: TracesData = [];
    let next: TracesConsumer = {
      consumeTraces: (d) => {
        out.push(...d);
        return Promise.resolve();
      },
    };
    for (const id of [...ids].reverse()) {
      const configured = config.processors.get(id)!;
      const host = { limiter: new InflightLimiter(1 << 20) };
      next = configured.factory.createTraces({ id, logger: silentLogger(), host }, configured.config, next);
    }
    await next.consumeTraces(data, { tenant: 'single-tenant' });
    return out;
  };
}

/** The message of the ConfigError a config file is refused with, its directory removed. */
export async function configErrorOf(file: string): Promise<string> {
  const error = await loadConfigFile(file, {}, builtinComponents()).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ConfigError)) throw new Error(`${file} was not refused with a ConfigError`);
  return error.message;
}
