/** Where a ClickHouse server is and who we are there: the options `ServerDriver` connects with. */
export interface ServerDriverOptions {
  /** `http://host:port` or `https://host:port`: the server's HTTP interface, without a path. */
  url: string;
  username: string;
  password: string;
  /** The session's default database; Tracehouse itself names a database per tenant. */
  database: string;
  /** Milliseconds before a request is abandoned (and the flush retried). */
  requestTimeoutMs: number;
}

/** A `--storage` value that is neither `embedded` nor a usable ClickHouse URL. */
export class StorageUrlError extends Error {
  override readonly name = 'StorageUrlError';
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const QUERY_KEYS = ['secure', 'request_timeout_ms'] as const;

/**
 * Parses `clickhouse://user:pass@host:8123/db?secure=true` (also `http://…` and `https://…`, the
 * forms `@clickhouse/client` takes). The HTTP port defaults to 8123, or 8443 with `secure=true`, as
 * ClickHouse's `http_port` / `https_port`; the user to `default` with an empty password, as
 * clickhouse-client does. Errors name the part that is wrong and never echo the password.
 */
export function parseStorageUrl(text: string): ServerDriverOptions {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StorageUrlError(
      `"${redact(text)}" is not a URL: expected clickhouse://user:password@host:8123/database`,
    );
  }
  const shown = redact(text);
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== 'clickhouse' && scheme !== 'http' && scheme !== 'https')
    throw new StorageUrlError(`"${shown}": scheme "${scheme}:" is not one of clickhouse:, http:, https:`);
  if (url.hostname === '') throw new StorageUrlError(`"${shown}": the host is missing`);
  if (url.hash !== '') throw new StorageUrlError(`"${shown}": a #fragment has no meaning here`);

  for (const key of url.searchParams.keys())
    if (!(QUERY_KEYS as readonly string[]).includes(key))
      throw new StorageUrlError(`"${shown}": unknown parameter "${key}" (known: ${QUERY_KEYS.join(', ')})`);
  const secureText = url.searchParams.get('secure');
  if (secureText !== null && secureText !== 'true' && secureText !== 'false')
    throw new StorageUrlError(`"${shown}": secure=${secureText} is not true or false`);
  const secure = scheme === 'https' || secureText === 'true';
  if (scheme === 'http' && secure)
    throw new StorageUrlError(`"${shown}": secure=true contradicts http: (use https:)`);

  const timeoutText = url.searchParams.get('request_timeout_ms');
  const requestTimeoutMs = timeoutText === null ? DEFAULT_REQUEST_TIMEOUT_MS : Number(timeoutText);
  if (!Number.isInteger(requestTimeoutMs) || requestTimeoutMs <= 0)
    throw new StorageUrlError(`"${shown}": request_timeout_ms=${timeoutText} is not a positive integer`);

  const path = url.pathname.replace(/^\/+|\/+$/g, '');
  if (path.includes('/'))
    throw new StorageUrlError(`"${shown}": the path must be one database name, not "${path}"`);
  const database = path === '' ? 'default' : decodeURIComponent(path);

  // URL keeps an explicit default port (80/443) out of `port` only for http(s):, never for clickhouse:.
  const port = url.port !== '' ? url.port : scheme === 'clickhouse' ? (secure ? '8443' : '8123') : '';
  const host = url.hostname;
  return {
    url: `${secure ? 'https' : 'http'}://${host}${port === '' ? '' : `:${port}`}`,
    username: url.username === '' ? 'default' : decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database,
    requestTimeoutMs,
  };
}

/** The URL with its password replaced by `***`, for messages and logs. */
export function redact(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}

/** Where spans are stored: the embedded engine under the data folder, or a ClickHouse server. */
export type StorageChoice = { kind: 'embedded' } | { kind: 'server'; server: ServerDriverOptions };

/** `embedded`, or a URL for {@link parseStorageUrl}. */
export function parseStorageChoice(text: string): StorageChoice {
  return text === 'embedded' ? { kind: 'embedded' } : { kind: 'server', server: parseStorageUrl(text) };
}
