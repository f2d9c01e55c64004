import { parseArgs } from 'node:util';
import { decodeExportTraceServiceRequestJson } from '../otlp/json/decode-traces-json.js';
import { parseDurationSeconds } from './duration.js';
import { formatDuration, renderTraceTree } from './query/render-trace-tree.js';
import { UsageError } from './usage-error.js';

const HELP = `Usage: tracehouse query trace <trace id> [options]
       tracehouse query search '<TraceQL>' [--since 1h] [--limit 20] [options]

Reads traces from a running Tracehouse over its HTTP API (port 3200).

  trace <id>         print the trace as an indented tree: a bar per span, duration, service, name
  search <TraceQL>   print the matching traces as a table, newest first

  --url URL          the API (default http://localhost:3200, env TRACEHOUSE_URL)
  --tenant T         X-Scope-OrgID to send (env TRACEHOUSE_TENANT)
  --token TOKEN      bearer token to send (env TRACEHOUSE_TOKEN)
  --since D          search window ending now, e.g. 15m, 1h, 2d (default 1h)
  --limit N          traces to list (default 20)
  --no-color         plain bars, no ANSI colours`;

/** `tracehouse query`: the terminal client. Exit 0 on success, 1 when the server says no. */
export async function queryCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      tenant: { type: 'string' },
      token: { type: 'string' },
      since: { type: 'string' },
      limit: { type: 'string' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const [what, argument, ...extra] = positionals;
  if ((what !== 'trace' && what !== 'search') || argument === undefined || extra.length > 0) {
    throw new UsageError("query: expected 'trace <id>' or 'search <TraceQL>' (see tracehouse query --help)");
  }
  const base = (values.url ?? process.env.TRACEHOUSE_URL ?? 'http://localhost:3200').replace(/\/+$/, '');
  const headers: Record<string, string> = {};
  const tenant = values.tenant ?? process.env.TRACEHOUSE_TENANT;
  const token = values.token ?? process.env.TRACEHOUSE_TOKEN;
  if (tenant) headers['x-scope-orgid'] = tenant;
  if (token) headers.authorization = `Bearer ${token}`;
  const color = values['no-color'] !== true && process.stdout.isTTY === true;

  if (what === 'trace') {
    if (!/^[0-9a-fA-F]{1,32}$/.test(argument))
      throw new UsageError(`query trace: "${argument}" is not a trace id (up to 32 hex digits)`);
    const response = await get(`${base}/api/tracehouse/traces/${argument}`, headers);
    if (!response.ok) return failed(response.status, await response.text());
    const trace = decodeExportTraceServiceRequestJson(await response.json());
    process.stdout.write(renderTraceTree(trace, { barWidth: 30, color }));
    return 0;
  }

  const sinceSeconds = parseDurationSeconds(values.since ?? '1h');
  if (sinceSeconds === undefined || sinceSeconds <= 0)
    throw new UsageError(`--since: "${values.since}" is not a duration such as 15m or 1h`);
  const limit = values.limit ?? '20';
  if (!/^[1-9]\d*$/.test(limit)) throw new UsageError(`--limit: "${limit}" is not a positive whole number`);
  const end = Math.ceil(Date.now() / 1000);
  const query = new URLSearchParams({
    q: argument,
    start: String(Math.floor(end - sinceSeconds)),
    end: String(end),
    limit,
  });
  const response = await get(`${base}/api/search?${query.toString()}`, headers);
  if (!response.ok) return failed(response.status, await response.text());
  const body = (await response.json()) as { traces: SearchTrace[] };
  process.stdout.write(renderSearchTable(body.traces));
  return 0;
}

interface SearchTrace {
  traceID: string;
  rootServiceName: string;
  rootTraceName: string;
  startTimeUnixNano: string;
  durationMs?: number;
  spanSets?: { matched: number }[];
}

/** Traces as aligned columns: start (UTC), duration, matched spans, root service and span, id. */
export function renderSearchTable(traces: readonly SearchTrace[]): string {
  if (traces.length === 0) return 'no traces found\n';
  const rows = traces.map((t) => [
    new Date(Number(BigInt(t.startTimeUnixNano) / 1_000_000n)).toISOString().replace('T', ' ').slice(0, 23),
    formatDuration(BigInt(Math.round((t.durationMs ?? 0) * 1e6))),
    String((t.spanSets ?? []).reduce((n, s) => n + s.matched, 0)),
    t.rootServiceName,
    t.rootTraceName,
    t.traceID,
  ]);
  const header = ['START (UTC)', 'DURATION', 'MATCHED', 'ROOT SERVICE', 'ROOT SPAN', 'TRACE ID'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 1 || c === 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

async function get(url: string, headers: Record<string, string>): Promise<Response> {
  try {
    return await fetch(url, { headers });
  } catch (error) {
    throw new UsageError(
      `cannot reach ${url}: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : String(error)}`,
    );
  }
}

function failed(status: number, text: string): number {
  process.stderr.write(`tracehouse query: the server answered ${status}: ${text.trim()}\n`);
  return 1;
}
