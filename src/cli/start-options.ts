import type { AllInOneConfig } from '../app/all-in-one.js';
import type { DebugVerbosity } from '../exporters/debug/debug-exporter.js';
import type { LogLevel } from '../logging/logger.js';
import type { ServiceGraphOptions } from '../servicegraph/service-graph-options.js';
import type { StorageChoice } from '../store/driver/storage-url.js';
import { parseStorageChoice, StorageUrlError } from '../store/driver/storage-url.js';
import { LOG_LEVELS } from '../logging/logger.js';
import { parseListenAddress } from '../net/listen-address.js';
import { MAX_RETENTION_SECONDS, retentionTooLongMessage } from '../store/schema/retention-ttl.js';
import { UsageError } from './usage-error.js';
import { resolveWorkerCount, WORKERS_OPTION } from './workers-option.js';
import { parseDurationSeconds } from './duration.js';
import type { SecurityConfig } from './start-security-options.js';
import { resolveSecurityConfig, SECURITY_OPTIONS } from './start-security-options.js';

/** One option of `tracehouse start`: flag, environment variable, default and help, in one place. */
export interface OptionSpec {
  flag: string;
  env: string;
  default: string;
  help: string;
  /** A flag without value (`--multitenancy-required`); its variable takes true or false. */
  boolean?: boolean;
}

export const START_OPTIONS = {
  config: {
    flag: 'config',
    env: 'TRACEHOUSE_CONFIG',
    default: '',
    help: 'OpenTelemetry Collector-style YAML config replacing the built-in pipeline (receivers → batch → store); the listener and debug flags then do not apply',
  },
  otlpGrpc: {
    flag: 'otlp-grpc',
    env: 'TRACEHOUSE_OTLP_GRPC',
    default: '0.0.0.0:4317',
    help: 'OTLP/gRPC listen address',
  },
  otlpHttp: {
    flag: 'otlp-http',
    env: 'TRACEHOUSE_OTLP_HTTP',
    default: '0.0.0.0:4318',
    help: 'OTLP/HTTP listen address (/v1/traces)',
  },
  zipkin: {
    flag: 'zipkin',
    env: 'TRACEHOUSE_ZIPKIN',
    default: '0.0.0.0:9411',
    help: 'Zipkin v2 listen address (/api/v2/spans)',
  },
  http: {
    flag: 'http',
    env: 'TRACEHOUSE_HTTP',
    default: '0.0.0.0:3200',
    help: 'query API and UI listen address (GET /ready)',
  },
  data: { flag: 'data', env: 'TRACEHOUSE_DATA', default: './data', help: 'data folder, created if missing' },
  storage: {
    flag: 'storage',
    env: 'TRACEHOUSE_STORAGE',
    default: 'embedded',
    help: 'where spans are stored: embedded (ClickHouse engine under --data) or clickhouse://user:password@host:8123/db[?secure=true] (the write-ahead log stays under --data)',
  },
  logLevel: {
    flag: 'log-level',
    env: 'TRACEHOUSE_LOG_LEVEL',
    default: 'info',
    help: `log level: ${LOG_LEVELS.join(', ')}`,
  },
  debugVerbosity: {
    flag: 'debug-verbosity',
    env: 'TRACEHOUSE_DEBUG_VERBOSITY',
    default: 'off',
    help: 'also print received spans on stdout: off, basic (a line per batch), normal (a line per span), detailed (every field)',
  },
  retention: {
    flag: 'retention',
    env: 'TRACEHOUSE_RETENTION',
    default: '7d',
    help: 'how long spans are kept (e.g. 24h, 7d; 0 keeps them forever)',
  },
  traceCopy: {
    flag: 'trace-copy',
    env: 'TRACEHOUSE_TRACE_COPY',
    default: 'on',
    help: 'on: every span also goes to a trace-id-ordered table, for fast trace by id; off: about half the disk and ClickHouse CPU a span, trace by id from otel_traces (slower on large stores)',
  },
  skipIndexes: {
    flag: 'skip-indexes',
    env: 'TRACEHOUSE_SKIP_INDEXES',
    default: 'bloom_filter',
    help: "otel_traces' skip indexes in tenant databases created from now on: bloom_filter, or text (ClickHouse >= 26.2; ~14 bytes and ~2.5 µs of CPU a span more), the Collector exporter's two kinds",
  },
  walMaxMib: {
    flag: 'wal-max-mib',
    env: 'TRACEHOUSE_WAL_MAX_MIB',
    default: '1024',
    help: 'write-ahead log size at which senders are told to retry (ClickHouse behind or down)',
  },
  walMemoryMib: {
    flag: 'wal-memory-mib',
    env: 'TRACEHOUSE_WAL_MEMORY_MIB',
    default: '128',
    help: 'the newest write-ahead log records kept in memory too, so the flush into ClickHouse need not read them back from disk (0: none)',
  },
  flushInterval: {
    flag: 'flush-interval',
    env: 'TRACEHOUSE_FLUSH_INTERVAL',
    default: '1s',
    help: 'how often accepted spans move from the write-ahead log into ClickHouse',
  },
  serviceGraphWait: {
    flag: 'service-graph-wait',
    env: 'TRACEHOUSE_SERVICE_GRAPH_WAIT',
    default: '10s',
    help: "how long a span waits at ingest for the other side of its service graph edge (Tempo's wait); 0 turns ingest-time pairing off",
  },
  serviceGraphMaxItems: {
    flag: 'service-graph-max-items',
    env: 'TRACEHOUSE_SERVICE_GRAPH_MAX_ITEMS',
    default: '200000',
    help: "most spans held waiting for service graph pairing, per tenant (Tempo's max_items; ~120 bytes each)",
  },
  grpcMaxRecvMsgSizeMib: {
    flag: 'otlp-grpc-max-recv-msg-size-mib',
    env: 'TRACEHOUSE_OTLP_GRPC_MAX_RECV_MSG_SIZE_MIB',
    default: '4',
    help: 'largest OTLP/gRPC message accepted, after decompression',
  },
  httpMaxRequestBodySizeMib: {
    flag: 'max-request-body-size-mib',
    env: 'TRACEHOUSE_MAX_REQUEST_BODY_SIZE_MIB',
    default: '20',
    help: 'largest OTLP/HTTP or Zipkin request body, before and after decompression',
  },
  maxInflightMib: {
    flag: 'max-inflight-mib',
    env: 'TRACEHOUSE_MAX_INFLIGHT_MIB',
    default: '64',
    help: 'request bytes all receivers may hold at once; past it senders get 429 / RESOURCE_EXHAUSTED',
  },
  corsAllowedOrigins: {
    flag: 'cors-allowed-origins',
    env: 'TRACEHOUSE_CORS_ALLOWED_ORIGINS',
    default: '*',
    help: 'comma-separated origins browser SDKs may send from ("" disables CORS)',
  },
  workers: WORKERS_OPTION,
  ...SECURITY_OPTIONS,
} satisfies Record<string, OptionSpec>;

export type StartOptionName = keyof typeof START_OPTIONS;

export interface StartConfig extends AllInOneConfig, SecurityConfig {
  /** A Collector-style pipeline config file; undefined runs the built-in pipeline. */
  configFile: string | undefined;
  dataDir: string;
  storage: StorageChoice;
  logLevel: LogLevel;
  debugVerbosity: DebugVerbosity | 'off';
  retentionSeconds: number;
  walMaxBytes: number;
  walMemoryBytes: number;
  flushIntervalMs: number;
  /** `--trace-copy`: whether the trace-id-ordered copy is written (TraceStoreOptions.traceCopy). */
  traceCopy: boolean;
  /** `--skip-indexes text`: new databases get text skip indexes (TraceStoreOptions.textIndexes). */
  textIndexes: boolean;
  serviceGraph: Partial<ServiceGraphOptions>;
  /** Worker threads for the stateless processors of a `--config` pipeline (workers-option.ts). */
  workers: number;
}

const VERBOSITIES: readonly (DebugVerbosity | 'off')[] = ['off', 'basic', 'normal', 'detailed'];

/**
 * Resolves each option from its flag, else its environment variable, else its default, and
 * validates it. Throws one error naming the flag (and variable) of the first bad value.
 */
export function resolveStartConfig(
  flags: Partial<Record<StartOptionName, string>>,
  env: NodeJS.ProcessEnv,
): StartConfig {
  const value = (name: StartOptionName): { text: string; where: string } => {
    const spec: OptionSpec = START_OPTIONS[name];
    const flag = flags[name];
    if (flag !== undefined) return { text: flag, where: `--${spec.flag}` };
    const fromEnv = env[spec.env];
    if (fromEnv !== undefined) return { text: fromEnv, where: spec.env };
    return { text: spec.default, where: `--${spec.flag}` };
  };
  const address = (name: StartOptionName) => {
    const { text, where } = value(name);
    try {
      return parseListenAddress(text, where);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  };
  const mib = (name: StartOptionName): number => {
    const { text, where } = value(name);
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n <= 0)
      throw new UsageError(`${where}: "${text}" is not a positive number of MiB`);
    return Math.floor(n * 1024 * 1024);
  };
  const mibOrZero = (name: StartOptionName): number => {
    const { text, where } = value(name);
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n < 0)
      throw new UsageError(`${where}: "${text}" is not a number of MiB (0 or more)`);
    return Math.floor(n * 1024 * 1024);
  };
  const oneOf = <T extends string>(name: StartOptionName, allowed: readonly T[]): T => {
    const { text, where } = value(name);
    if (!(allowed as readonly string[]).includes(text))
      throw new UsageError(`${where}: "${text}" is not one of ${allowed.join(', ')}`);
    return text as T;
  };
  const seconds = (name: StartOptionName): number => {
    const { text, where } = value(name);
    const parsed = parseDurationSeconds(text);
    if (parsed === undefined)
      throw new UsageError(`${where}: "${text}" is not a duration: use e.g. 500ms, 30s, 15m, 24h, 7d`);
    return parsed;
  };
  const retention = (): number => {
    const retentionSeconds = Math.round(seconds('retention'));
    if (retentionSeconds > MAX_RETENTION_SECONDS)
      throw new UsageError(`${value('retention').where}: ${retentionTooLongMessage()}`);
    return retentionSeconds;
  };
  const storage = (): StorageChoice => {
    const { text, where } = value('storage');
    try {
      return parseStorageChoice(text);
    } catch (error) {
      if (error instanceof StorageUrlError) throw new UsageError(`${where}: ${error.message}`);
      throw error;
    }
  };
  const serviceGraph = (): Partial<ServiceGraphOptions> => {
    const waitMs = Math.round(seconds('serviceGraphWait') * 1000);
    const { text, where } = value('serviceGraphMaxItems');
    const maxItems = Number(text);
    if (text.trim() === '' || !Number.isSafeInteger(maxItems) || maxItems < 2)
      throw new UsageError(`${where}: "${text}" is not a whole number of at least 2`);
    return waitMs === 0 ? { enabled: false } : { waitMs, maxItems };
  };
  const configFile = value('config').text;
  return {
    ...resolveSecurityConfig(value),
    configFile: configFile === '' ? undefined : configFile,
    storage: storage(),
    retentionSeconds: retention(),
    walMaxBytes: mib('walMaxMib'),
    walMemoryBytes: mibOrZero('walMemoryMib'),
    flushIntervalMs: Math.max(10, Math.round(seconds('flushInterval') * 1000)),
    traceCopy: oneOf('traceCopy', ['on', 'off'] as const) === 'on',
    textIndexes: oneOf('skipIndexes', ['bloom_filter', 'text'] as const) === 'text',
    serviceGraph: serviceGraph(),
    workers: resolveWorkerCount(flags.workers, env),
    otlpGrpc: address('otlpGrpc'),
    otlpHttp: address('otlpHttp'),
    zipkin: address('zipkin'),
    http: address('http'),
    dataDir: value('data').text,
    logLevel: oneOf('logLevel', LOG_LEVELS),
    debugVerbosity: oneOf('debugVerbosity', VERBOSITIES),
    maxGrpcMessageBytes: mib('grpcMaxRecvMsgSizeMib'),
    maxHttpBodyBytes: mib('httpMaxRequestBodySizeMib'),
    maxInflightBytes: mib('maxInflightMib'),
    corsAllowedOrigins: value('corsAllowedOrigins')
      .text.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  };
}

export function startHelp(): string {
  const rows = Object.values(START_OPTIONS).map((spec: OptionSpec) => {
    const left = spec.boolean ? `  --${spec.flag}` : `  --${spec.flag} <value>`;
    return `${left.padEnd(46)}${spec.help}\n${' '.repeat(46)}env ${spec.env}, default ${JSON.stringify(spec.default)}`;
  });
  return [
    'Usage: tracehouse start [options]',
    '',
    'Runs Tracehouse all-in-one: OTLP/gRPC, OTLP/HTTP and Zipkin receivers, spans stored in the',
    'embedded ClickHouse engine under --data or a ClickHouse server (--storage), through a',
    'write-ahead log under --data, and the query API on --http.',
    '',
    'Options (a flag wins over its environment variable):',
    ...rows,
    `  ${'-h, --help'.padEnd(44)}show this help`,
  ].join('\n');
}
