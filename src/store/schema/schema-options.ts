import { TEXT_INDEX_MIN_VERSION } from './collector-traces-schema.js';
import { DEFAULT_RETENTION_SECONDS, checkRetention } from './retention-ttl.js';
import type { SqlRunner } from './sql-runner.js';

export interface SchemaOptions {
  /** Retention in whole seconds; default 7 days; 0 keeps spans forever (no TTL). */
  readonly retention?: number;
  /**
   * `text` skip indexes instead of bloom filters. Default: what the collector's exporter picks for
   * the server it talks to — text indexes from ClickHouse 26.2 on.
   */
  readonly textIndexes?: boolean;
}

export interface ResolvedSchemaOptions {
  readonly retention: number;
  readonly textIndexes: boolean;
}

/** True when a `version()` string like `26.7.2.1` is at least `[major, minor]`. */
export function versionAtLeast(
  serverVersion: string,
  [minMajor, minMinor]: readonly [number, number],
): boolean {
  const [major = 0, minor = 0] = serverVersion.split('.').map((part) => Number.parseInt(part, 10));
  return major > minMajor || (major === minMajor && minor >= minMinor);
}

/** True when a `version()` string like `26.7.2.1` is at least 26.2. */
export function supportsTextIndexes(serverVersion: string): boolean {
  return versionAtLeast(serverVersion, TEXT_INDEX_MIN_VERSION);
}

/** Fills defaults once; asks the server its version only when `textIndexes` is not given. */
export async function resolveSchemaOptions(
  run: SqlRunner,
  options: SchemaOptions,
): Promise<ResolvedSchemaOptions> {
  const retention = checkRetention(options.retention ?? DEFAULT_RETENTION_SECONDS);
  const textIndexes =
    options.textIndexes ?? supportsTextIndexes((await run('SELECT version() FORMAT TSV')).trim());
  return { retention, textIndexes };
}
