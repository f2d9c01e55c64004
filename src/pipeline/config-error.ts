/**
 * A bad configuration, found before anything starts. The message begins with the path of the
 * offending value (`processors.tail_sampling.policies[2].latency.threshold_ms: expected a number`)
 * so the user can find it in their YAML, as the Collector's `cannot unmarshal` errors do.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(path === '' ? problem : `${path}: ${problem}`);
  }
}
