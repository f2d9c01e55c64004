import { parseArgs } from 'node:util';
import { builtinComponents } from '../pipeline/builtin-components.js';
import { ConfigError } from '../pipeline/config-error.js';
import { loadConfigFile } from '../pipeline/load-config.js';
import { UsageError } from './usage-error.js';

/**
 * `tracehouse validate --config FILE`: parses, substitutes and validates a config without
 * starting anything (the Collector's `validate` subcommand). Exit 0 and "config is valid", or
 * exit 1 and the error naming the path of the bad value.
 */
export async function validateCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(
      'Usage: tracehouse validate --config FILE\n\nChecks a collector config without running it.\n',
    );
    return 0;
  }
  if (values.config === undefined) throw new UsageError('validate: --config FILE is required');
  try {
    const config = await loadConfigFile(values.config, process.env, builtinComponents());
    for (const warning of config.warnings) process.stderr.write(`tracehouse: warning: ${warning}\n`);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`tracehouse: invalid configuration: ${error.message}\n`);
    return 1;
  }
  process.stdout.write(`${values.config}: config is valid\n`);
  return 0;
}
