import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Session } from 'chdb';
import { insertFromFile, isCompositeType, placeholderTypes, unescapeTsv } from './clickhouse-sql-text.js';

/**
 * Test-only: a small server that speaks ClickHouse's HTTP interface the way `@clickhouse/client`
 * uses it (https://clickhouse.com/docs/interfaces/http) and runs each request in the embedded
 * engine, so that the server driver's code path — formats, bound parameters, settings in the URL,
 * auth, error responses — runs on every CI machine, where no current ClickHouse server installs.
 *
 * What it honours, as the real server does: `POST /` with the query in the body, or in the
 * `query` URL parameter with INSERT data in the body; `param_<name>` values in the escaped text
 * form; every other URL parameter as a setting of that request only (so an unknown setting fails
 * with code 115); `database`; basic auth or `X-ClickHouse-User`/`X-ClickHouse-Key`; `GET /ping`;
 * gzip request bodies and, with `enable_http_compression=1`, gzip responses; the
 * `X-ClickHouse-Query-Id`, `-Format`, `-Summary` and `-Exception-Code` headers; errors as
 * `Code: N. DB::Exception: … (NAME) (version …)` with ClickHouse's HTTP status for that code.
 * Not honoured: sessions, progress headers, multipart parameters, compressed native format.
 */
export interface ClickHouseHttpOverChdb {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** What each request carried, for tests that check what the client sent. */
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * What a test makes the server (or a proxy in front of it) do with one request instead of
 * answering it: `refuse` answers the status and plain-text body without running the query, as a
 * load balancer with no healthy node does; `lose-answer` runs the query, then drops the connection
 * before answering, so the client cannot tell whether it ran.
 */
export type HttpFault = { kind: 'refuse'; status: number; body: string } | { kind: 'lose-answer' };

export interface RecordedRequest {
  method: string;
  path: string;
  sql: string;
  params: Record<string, string>;
  settings: Record<string, string>;
  /** The client's `query_id`, when it named the query. */
  queryId: string | undefined;
  bodyBytes: number;
}

/** URL parameters the HTTP handler consumes itself; the rest are settings (HTTPHandler.cpp). */
const RESERVED = new Set([
  'query',
  'query_id',
  'database',
  'default_format',
  'user',
  'password',
  'quota_key',
  'compress',
  'decompress',
  'stacktrace',
  'role',
  'session_id',
  'session_timeout',
  'session_check',
  'close_session',
  'buffer_size',
  'wait_end_of_query',
  'client_protocol_version',
]);

/** ClickHouse's HTTP status for an exception code (`exceptionCodeToHTTPStatus` in HTTPHandler.cpp). */
function httpStatus(code: number): number {
  if ([62, 27, 26, 36, 6, 41, 72, 69, 28, 38, 39, 32, 53, 70, 117, 46, 47, 115].includes(code)) return 400;
  if ([60, 81, 16].includes(code)) return 404;
  if (code === 516 || code === 497) return 403;
  if (code === 194) return 401;
  if (code === 164) return 403;
  return 500;
}

class HttpException extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startClickHouseHttpOverChdb(options: {
  dataDir: string;
  username?: string;
  password?: string;
  /** Default: any free one. */
  port?: number;
  /** Asked for each request once it is read: a fault to act out, or undefined to answer it. */
  fault?: (request: RecordedRequest) => HttpFault | undefined;
}): Promise<ClickHouseHttpOverChdb> {
  const username = options.username ?? 'tracehouse';
  const password = options.password ?? 'secret';
  const spoolDir = join(options.dataDir, 'http-spool');
  await mkdir(spoolDir, { recursive: true });
  const dbDir = join(options.dataDir, 'clickhouse');
  // Holds the engine open between requests; each request gets its own connection (Session on the
  // same path) so its SETs are its own, like a request on a real server.
  const anchor = new Session(dbDir);
  const version = (await anchor.queryAsync('SELECT version()', { format: 'TSV' })).text().trim();
  const requests: RecordedRequest[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const queryId = url.searchParams.get('query_id') ?? randomUUID();
    res.setHeader('X-ClickHouse-Query-Id', queryId);
    res.setHeader('X-ClickHouse-Server-Display-Name', 'clickhouse-http-over-chdb');
    try {
      if (url.pathname === '/ping' || (req.method === 'GET' && url.pathname === '/' && !url.search)) {
        res.end('Ok.\n');
        return;
      }
      if (url.pathname !== '/') throw new HttpException(0, `There is no handle ${url.pathname}`);
      authenticate(req, url, username, password);

      let body = await readBody(req);
      const encoding = req.headers['content-encoding'];
      if (encoding === 'gzip') body = gunzipSync(body);
      else if (encoding !== undefined) throw new HttpException(0, `Unknown Content-Encoding ${encoding}`);

      const urlQuery = url.searchParams.get('query');
      const sql = urlQuery ?? body.toString('utf8');
      const data = urlQuery !== null && body.length > 0 ? body : undefined;
      const params: Record<string, string> = {};
      const settings: Record<string, string> = {};
      for (const [key, value] of url.searchParams) {
        if (key.startsWith('param_')) params[key.slice('param_'.length)] = value;
        else if (!RESERVED.has(key)) settings[key] = value;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: url.pathname,
        sql,
        params,
        settings,
        queryId: url.searchParams.get('query_id') ?? undefined,
        bodyBytes: body.length,
      };
      requests.push(recorded);
      const fault = options.fault?.(recorded);
      if (fault?.kind === 'refuse') {
        res.statusCode = fault.status;
        res.setHeader('Content-Type', 'text/plain; charset=UTF-8');
        res.end(fault.body);
        return;
      }
      if (sql.trim() === '') throw new HttpException(62, 'Empty query. (SYNTAX_ERROR)');

      const output = await execute({
        sql,
        data,
        params,
        settings,
        database: url.searchParams.get('database') ?? undefined,
        format: url.searchParams.get('default_format') ?? 'TabSeparated',
      });
      if (fault?.kind === 'lose-answer') {
        req.socket.destroy();
        return;
      }
      res.setHeader('X-ClickHouse-Format', output.format);
      res.setHeader('X-ClickHouse-Summary', JSON.stringify(output.summary));
      res.setHeader('Content-Type', contentType(output.format));
      const gzip =
        settings.enable_http_compression === '1' && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
      if (gzip) res.setHeader('Content-Encoding', 'gzip');
      res.end(gzip ? gzipSync(output.bytes) : output.bytes);
    } catch (error) {
      const { code, message } = asClickHouseException(error);
      res.statusCode = httpStatus(code);
      res.setHeader('X-ClickHouse-Exception-Code', String(code));
      res.setHeader('Content-Type', 'text/plain; charset=UTF-8');
      res.end(
        `${message.startsWith('Code:') ? message : `Code: ${code}. DB::Exception: ${message}`} (version ${version})\n`,
      );
    }
  };

  const execute = async (request: {
    sql: string;
    data: Buffer | undefined;
    params: Record<string, string>;
    settings: Record<string, string>;
    database: string | undefined;
    format: string;
  }): Promise<{ bytes: Buffer; format: string; summary: Record<string, string> }> => {
    let sql = request.sql;
    let spool: string | undefined;
    if (request.data !== undefined) {
      spool = join(spoolDir, `${randomUUID()}.bin`);
      const withFile = insertFromFile(sql, spool);
      if (withFile === undefined)
        throw new HttpException(
          62,
          'A request body is only data for an INSERT … FORMAT <format> query. (SYNTAX_ERROR)',
        );
      await writeFile(spool, request.data);
      sql = withFile;
    }
    const session = new Session(dbDir);
    try {
      for (const [name, value] of Object.entries(request.settings)) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
          throw new HttpException(115, `Unknown setting '${name}'. (UNKNOWN_SETTING)`);
        await session.queryAsync(`SET ${name} = ${quote(value)}`);
      }
      if (request.database !== undefined)
        await session.queryAsync(`USE \`${request.database.replace(/([`\\])/g, '\\$1')}\``);
      const { sql: bound, values } = bindParams(sql, request.params);
      const started = process.hrtime.bigint();
      const result = await session.queryBindAsync(bound, values, { format: request.format });
      return {
        bytes: Buffer.from(result.bytes()),
        format: request.format,
        summary: {
          read_rows: String(result.rowsRead),
          read_bytes: String(result.bytesRead),
          written_rows: '0',
          written_bytes: '0',
          total_rows_to_read: String(result.rowsRead),
          result_rows: '0',
          result_bytes: '0',
          elapsed_ns: String(process.hrtime.bigint() - started),
        },
      };
    } finally {
      session.close();
      if (spool !== undefined) await rm(spool, { force: true });
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    username,
    password,
    requests,
    close: () => {
      closing ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        anchor.close();
      })();
      return closing;
    },
  };
}

/**
 * A real server reads each `param_<name>` with the declared type's escaped-text parser. chdb's
 * `queryBindAsync` takes JS values and escapes strings itself, so a scalar is unescaped first
 * (chdb escapes it back to the same text); a composite (`Array(…)` …) value is the literal text,
 * bound as a String and cast, which parses it with the same text parser.
 */
function bindParams(
  sql: string,
  raw: Record<string, string>,
): { sql: string; values: Record<string, unknown> } {
  const types = placeholderTypes(sql);
  const values: Record<string, unknown> = {};
  let out = sql;
  for (const [name, text] of Object.entries(raw)) {
    const type = types.get(name);
    if (type === undefined) continue; // the server ignores parameters the query does not use
    if (isCompositeType(type)) {
      out = out.replace(new RegExp(`\\{\\s*${name}\\s*:[^}]*\\}`, 'g'), `CAST({${name}:String} AS ${type})`);
      values[name] = text;
    } else values[name] = unescapeTsv(text);
  }
  return { sql: out, values };
}

function authenticate(req: IncomingMessage, url: URL, username: string, password: string): void {
  let user = req.headers['x-clickhouse-user'] as string | undefined;
  let key = req.headers['x-clickhouse-key'] as string | undefined;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice('Basic '.length), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    user = decoded.slice(0, colon);
    key = decoded.slice(colon + 1);
  }
  user ??= url.searchParams.get('user') ?? 'default';
  key ??= url.searchParams.get('password') ?? '';
  if (user !== username || key !== password)
    throw new HttpException(
      516,
      `${user}: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)`,
    );
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function contentType(format: string): string {
  if (/^(TSV|TabSeparated)/i.test(format)) return 'text/tab-separated-values; charset=UTF-8';
  if (/^JSON/i.test(format)) return 'application/json; charset=UTF-8';
  return 'application/octet-stream';
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function asClickHouseException(error: unknown): { code: number; message: string } {
  if (error instanceof HttpException) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { clickhouseCode?: unknown } | null)?.clickhouseCode;
  return {
    code: typeof code === 'number' ? code : Number(/^Code: (\d+)/.exec(message)?.[1] ?? 1001),
    message,
  };
}
