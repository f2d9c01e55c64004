import { TEXT_INDEX_MIN_VERSION } from './collector-traces-schema.js';
import { DEFAULT_RETENTION_SECONDS, checkRetention } from './retention-ttl.js';
import type { SqlRunner } from './sql-runner.js';

export interface SchemaOptions {
  /** Retention in whole seconds; default 7 days; 0 keeps spans forever (no TTL). */
  readonly retention?: number;
  /**
   * `text` skip indexes instead of bloom filters. Left out: what the collector's exporter picks
   * for the server it talks to — text indexes from ClickHouse 26.2 on. Tracehouse's own callers
   * always say (`--skip-indexes`, default bloom filters: bench/RESULTS.md, "Bloom-filter skip
   * indexes"). True on an older server is a TextIndexesUnsupportedError, before any statement is
   * sent.
   */
  readonly textIndexes?: boolean;
}

/** `text` skip indexes asked of a server older than the version that has them. */
export class TextIndexesUnsupportedError extends Error {
  constructor(readonly serverVersion: string) {
    super(
      `text skip indexes need ClickHouse ${TEXT_INDEX_MIN_VERSION.join('.')} or newer; the server is ` +
        `${serverVersion}: use bloom_filter skip indexes`,
    );
    this.name = 'TextIndexesUnsupportedError';
  }
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

/** Fills defaults once; asks the server its version unless bloom filters are asked for. */
export async function resolveSchemaOptions(
  run: SqlRunner,
  options: SchemaOptions,
): Promise<ResolvedSchemaOptions> {
  const retention = checkRetention(options.retention ?? DEFAULT_RETENTION_SECONDS);
  if (options.textIndexes === false) return { retention, textIndexes: false };
  const version = (await run('SELECT version() FORMAT TSV')).trim();
  const textIndexes = supportsTextIndexes(version);
  if (options.textIndexes === true && !textIndexes) throw new TextIndexesUnsupportedError(version);
  return { retention, textIndexes };
}
