import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { ClickHouseError, ClickHouseLogLevel, createClient } from '@clickhouse/client';
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import { TEXT_INDEX_MIN_VERSION } from '../schema/collector-traces-schema.js';
import { versionAtLeast } from '../schema/schema-options.js';
import type { ClickHouseDriver, NativeRows, QueryParams } from './clickhouse-driver.js';
import { isNativeRowsFile, TEXT_INDEX_DIRECT_READ_SETTING } from './clickhouse-driver.js';
import { readTimeLimitSeconds } from './read-deadline.js';
import type { ServerDriverOptions } from './storage-url.js';

/** The server could not be reached or did not answer in time: retrying later can succeed. */
export class ServerUnavailableError extends Error {
  override readonly name = 'ServerUnavailableError';
}

/** The version whose `deduplicate_insert` setting overrides `insert_deduplicate` (ClickHouse PR 94413). */
const DEDUPLICATE_INSERT_SINCE = [26, 2] as const;

/**
 * The version that renamed `insert_distributed_sync` to `distributed_foreground_insert`, keeping
 * the old name as an alias (23.10, ClickHouse PR 55978).
 */
const DISTRIBUTED_FOREGROUND_INSERT_SINCE = [23, 10] as const;

/** Node's socket error codes that mean "no answer from there", not "the server said no". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
]);

/**
 * A ClickHouse server or cluster over its HTTP interface, through `@clickhouse/client`. Same
 * statements as the embedded engine; values travel as `param_<name>` (bound server-side, never
 * spliced into SQL); RowBinary rows are streamed as the body of `INSERT … FORMAT RowBinary`, the
 * cheapest format for the server to parse.
 */
export class ServerDriver implements ClickHouseDriver {
  private readonly client: ClickHouseClient;
  private closing: Promise<void> | undefined;
  private serverVersion: Promise<string> | undefined;

  constructor(private readonly options: ServerDriverOptions) {
    this.client = createClient({
      url: options.url,
      username: options.username,
      password: options.password,
      database: options.database,
      request_timeout: options.requestTimeoutMs,
      application: 'tracehouse',
      // Every failure is returned to the caller, which logs it once with its context.
      log: { level: ClickHouseLogLevel.OFF },
      // Responses are small (a trace); insert bodies are RowBinary, already dense.
      compression: { request: false, response: false },
      clickhouse_settings: {
        // Without it the server streams a 200 before the query finishes, and an error halfway
        // through arrives inside a "successful" body.
        wait_end_of_query: 1,
      },
    });
  }

  async exec(sql: string, params: QueryParams = {}, queryId?: string): Promise<void> {
    // An INSERT … SELECT (a replay's) goes through a Distributed table as the driver's inserts do.
    const settings = /^\s*INSERT\b/i.test(sql) ? foregroundInsert(await this.version()) : undefined;
    await this.call(() =>
      this.client.command({
        query: sql,
        query_params: toQueryParams(params),
        ...(settings === undefined ? {} : { clickhouse_settings: settings }),
        ...(queryId === undefined ? {} : { query_id: queryId }),
      }),
    );
  }

  async text(sql: string, params: QueryParams = {}): Promise<string> {
    return this.textWith(sql, params, withTimeLimit(sql, await this.readSettings()));
  }

  private textWith(sql: string, params: QueryParams, settings: ClickHouseSettings): Promise<string> {
    return this.call(async () => {
      // exec, not query: the statement names its own FORMAT (TabSeparated is the HTTP default).
      const { stream } = await this.client.exec({
        query: sql,
        query_params: toQueryParams(params),
        clickhouse_settings: settings,
      });
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    });
  }

  async query<Row>(sql: string, params: QueryParams = {}): Promise<Row[]> {
    const settings = withTimeLimit(sql, await this.readSettings());
    return this.call(async () => {
      const result = await this.client.query({
        query: sql,
        format: 'JSONEachRow',
        query_params: toQueryParams(params),
        // The embedded engine's default; a server's since 25.8 is 0 (numbers lose precision).
        clickhouse_settings: { output_format_json_quote_64bit_integers: 1, ...settings },
      });
      return result.json<Row>();
    });
  }

  insertRowBinary(table: string, _structure: string, rows: Buffer): Promise<void> {
    // The server knows the column types, so `structure` is not needed.
    return this.insertBody(table, 'RowBinary', rows);
  }

  insertNative(table: string, blocks: NativeRows, insertId?: string): Promise<void> {
    return this.insertBody(table, 'Native', blocks, insertId);
  }

  async stopInsert(insertId: string): Promise<void> {
    // SYNC: returns once the queries have ended (or at once when none has such an id).
    await this.exec(
      'KILL QUERY WHERE query_id = {id:String} OR startsWith(query_id, {replays:String}) SYNC',
      { id: insertId, replays: `${insertId}/` },
    );
  }

  private async insertBody(
    table: string,
    format: string,
    body: NativeRows,
    insertId?: string,
  ): Promise<void> {
    const settings = await this.insertSettings();
    // `insert()` only streams the client's listed formats; exec with `values` sends any body with
    // the query in the URL, as clickhouse-client does.
    await this.call(async () => {
      const { stream } = await this.client.exec({
        query: `INSERT INTO ${table} FORMAT ${format}`,
        // A new stream for each call: a file is read from its start again.
        values: isNativeRowsFile(body)
          ? createReadStream(body.file)
          : Readable.from(Buffer.isBuffer(body) ? [body] : body),
        clickhouse_settings: settings,
        ...(insertId === undefined ? {} : { query_id: insertId }),
      });
      stream.resume();
      await new Promise<void>((resolve, reject) => {
        stream.once('end', resolve);
        stream.once('error', reject);
      });
    });
  }

  /**
   * Insert deduplication off (clickhouse-driver.ts: why). Replicated tables deduplicate by
   * default, and from 26.2 `deduplicate_insert` (default `enable`) decides for an insert whose
   * rows come with it, overriding `insert_deduplicate`; older servers refuse that setting.
   * Inserts into a cluster's Distributed tables in the foreground (foregroundInsert: why).
   */
  private async insertSettings(): Promise<ClickHouseSettings> {
    const version = await this.version();
    return {
      insert_deduplicate: 0,
      max_partitions_per_insert_block: '0', // SPAN_INSERT_SETTINGS_SQL: why
      ...(versionAtLeast(version, DEDUPLICATE_INSERT_SINCE) ? { deduplicate_insert: 'disable' } : {}),
      ...foregroundInsert(version),
    };
  }

  private async readSettings(): Promise<ClickHouseSettings> {
    return readSettings(await this.version());
  }

  /** The server's `version()`, asked once. */
  private version(): Promise<string> {
    if (this.serverVersion === undefined) {
      const asked = this.textWith('SELECT version()', {}, {}).then((version) => version.trim());
      // A failed probe (server down) is asked again next time.
      asked.catch(() => {
        if (this.serverVersion === asked) this.serverVersion = undefined;
      });
      this.serverVersion = asked;
    }
    return this.serverVersion;
  }

  /** Idempotent: closes the client's sockets once. */
  close(): Promise<void> {
    this.closing ??= this.client.close();
    return this.closing;
  }

  /** ClickHouse's own errors pass through (their message is the server's); socket errors say where. */
  private async call<T>(run: () => Promise<T>): Promise<T> {
    if (this.closing) throw new Error('the ClickHouse server driver is closed');
    try {
      return await run();
    } catch (error) {
      if (error instanceof ClickHouseError) throw error;
      const code = (error as { code?: unknown } | null)?.code;
      const message = (error as Error | null)?.message ?? String(error);
      if ((typeof code === 'string' && UNREACHABLE_CODES.has(code)) || message === 'Timeout error.') {
        throw new ServerUnavailableError(
          `ClickHouse server at ${this.options.url} is unreachable: ${message}`,
          { cause: error },
        );
      }
      throw error;
    }
  }
}

/**
 * An insert into a `Distributed` table (a cluster's tables, cluster-ddl.ts) returns once every
 * shard has stored its rows, not once they are queued on this node for background sending, the
 * default: the write-ahead log moves its checkpoint past a flush when its inserts return, and a
 * replay must find stored what it compares with, or it stores those rows a second time. No effect
 * on other tables. Under the name the server knows: an older one refuses the new name.
 */
export function foregroundInsert(serverVersion: string): ClickHouseSettings {
  return versionAtLeast(serverVersion, DISTRIBUTED_FOREGROUND_INSERT_SINCE)
    ? { distributed_foreground_insert: 1 }
    : { insert_distributed_sync: 1 };
}

/** `settings` and, for a read on an API request's behalf, what is left of its budget (read-deadline.ts). */
function withTimeLimit(sql: string, settings: ClickHouseSettings): ClickHouseSettings {
  const seconds = readTimeLimitSeconds(sql);
  return seconds === undefined ? settings : { ...settings, max_execution_time: seconds };
}

/**
 * Settings of every read: text-index direct reads off (TEXT_INDEX_DIRECT_READ_SETTING: why) on
 * servers that can have text indexes; older ones do not know the setting.
 */
export function readSettings(serverVersion: string): ClickHouseSettings {
  return versionAtLeast(serverVersion, TEXT_INDEX_MIN_VERSION) ? { [TEXT_INDEX_DIRECT_READ_SETTING]: 0 } : {};
}

/** Our parameters as the client formats them; bigints as decimal text, as the embedded driver does. */
function toQueryParams(params: QueryParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params))
    out[key] = typeof value === 'bigint' ? value.toString() : value;
  return out;
}
