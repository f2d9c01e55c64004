import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { EmbeddedDriver } from '../store/driver/embedded-driver.js';
import { LOOPBACK_LISTENERS, listeningAddresses } from '../../test/support/listening-addresses.js';

/*
 * The `tracehouse` command as users run it: the built bin in a child process, talked to over
 * loopback. `npm test` builds first; a lone `vitest run` builds here if needed.
 */
const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'dist/src/cli/main.js');

beforeAll(() => {
  if (!existsSync(bin)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root });
}, 120_000);

interface Run {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function run(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    cwd: mkdtempSync(join(tmpdir(), 'tracehouse-cli-')),
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

const LOOPBACK_ARGS = ['start', '--debug-verbosity', 'detailed', ...LOOPBACK_LISTENERS];

const addresses = (r: Run): Promise<Record<string, string>> =>
  listeningAddresses(r.stderr, () => r.child.exitCode !== null);

const SPAN_JSON = JSON.stringify({
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'cli-test' } }] },
      scopeSpans: [
        {
          spans: [
            {
              traceId: '5b8efff798038103d269b633813fc60c',
              spanId: 'eee19b7ec3c1b174',
              name: 'cli-span',
              kind: 2,
              startTimeUnixNano: '1700000000000000000',
              endTimeUnixNano: '1700000000250000000',
              attributes: [{ key: 'http.status_code', value: { intValue: '200' } }],
            },
          ],
        },
      ],
    },
  ],
});

describe('tracehouse CLI', () => {
  it('prints help naming every flag and its environment variable', async () => {
    const r = run(['start', '--help']);
    expect(await r.exit).toBe(0);
    for (const text of [
      '--otlp-grpc',
      'TRACEHOUSE_OTLP_GRPC',
      '--otlp-http',
      '--zipkin',
      '--http',
      '--data',
      'TRACEHOUSE_DATA',
      '--log-level',
      'TRACEHOUSE_LOG_LEVEL',
      '"0.0.0.0:4317"',
    ]) {
      expect(r.stdout()).toContain(text);
    }
  });

  it('starts, is ready, prints received spans with the debug exporter, and stops cleanly on SIGTERM', async () => {
    const r = run(LOOPBACK_ARGS);
    const at = await addresses(r);
    expect((await fetch(`http://${at.http}/ready`)).status).toBe(200);
    const res = await fetch(`http://${at['otlp-http']}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: SPAN_JSON,
    });
    expect(res.status).toBe(200);
    await expect.poll(() => r.stdout(), { timeout: 5000 }).toContain('Span "cli-span"');
    expect(r.stdout()).toContain('trace_id:    5b8efff798038103d269b633813fc60c');
    expect(r.stdout()).toContain('kind:        SERVER');
    expect(r.stdout()).toContain('attributes:  http.status_code=200');
    expect(r.stdout()).toContain('resource:    service.name="cli-test"');
    r.child.kill('SIGTERM');
    expect(await r.exit).toBe(0);
    expect(r.stderr()).toContain('"msg":"stopped"');
  });

  it('keeps a SIGTERM that comes while the store opens: starts, drains, exits 0', async () => {
    const r = run([...LOOPBACK_ARGS, '--log-level', 'debug']);
    // Sent as soon as the line arrives: opening the engine takes far longer than that.
    let sent = false;
    r.child.stderr.on('data', () => {
      if (sent || !r.stderr().includes('"msg":"opening the store"')) return;
      sent = true;
      r.child.kill('SIGTERM');
    });
    expect(await r.exit, r.stderr()).toBe(0);
    const log = r.stderr();
    expect(log).toContain('signal during start-up');
    // The drain comes after start-up's last lines, the API's 'listening' and 'tracehouse started'.
    expect(log.indexOf('start-up over: draining')).toBeGreaterThan(log.lastIndexOf('"msg":"listening"'));
    expect(log.indexOf('start-up over: draining')).toBeGreaterThan(log.indexOf('"msg":"tracehouse started"'));
    expect(log).toContain('"msg":"stopped"');
  });

  it('drains a request that is still arriving when SIGTERM comes', async () => {
    const r = run(LOOPBACK_ARGS);
    const at = await addresses(r);
    const body = Buffer.from(SPAN_JSON);
    let sendRest!: () => void;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(body.subarray(0, 20));
        sendRest = () => {
          controller.enqueue(body.subarray(20));
          controller.close();
        };
      },
    });
    const response = fetch(`http://${at['otlp-http']}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
      body: stream,
      duplex: 'half',
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    r.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    sendRest();
    expect((await response).status).toBe(200);
    expect(await r.exit).toBe(0);
    expect(r.stdout()).toContain('Span "cli-span"');
  });

  it('reports a port in use in one line naming it', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = run([...LOOPBACK_ARGS, '--otlp-grpc', `127.0.0.1:${port}`]);
      expect(await r.exit).toBe(1);
      expect(r.stderr()).toBe(
        `tracehouse: cannot listen on 127.0.0.1:${port} for otlp-grpc: address already in use\n`,
      );
    } finally {
      blocker.close();
    }
  });

  it('takes settings from environment variables, a flag winning over its variable', async () => {
    const r = run(['start', '--zipkin', '127.0.0.1:0'], {
      TRACEHOUSE_OTLP_GRPC: '127.0.0.1:0',
      TRACEHOUSE_OTLP_HTTP: '127.0.0.1:0',
      TRACEHOUSE_ZIPKIN: '127.0.0.1:1', // overridden by the flag; port 1 would fail
      TRACEHOUSE_HTTP: '127.0.0.1:0',
      TRACEHOUSE_DEBUG_VERBOSITY: 'normal',
    });
    const at = await addresses(r);
    await fetch(`http://${at['otlp-http']}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: SPAN_JSON,
    });
    await expect
      .poll(() => r.stdout(), { timeout: 5000 })
      .toContain('5b8efff798038103d269b633813fc60c eee19b7ec3c1b174 cli-test "cli-span" SERVER 250.00ms');
    r.child.kill('SIGINT');
    expect(await r.exit).toBe(0);
  });

  it('stops at start-up in one line when the store is newer than this Tracehouse (exit 1)', async () => {
    const data = mkdtempSync(join(tmpdir(), 'tracehouse-newer-'));
    const first = run([...LOOPBACK_ARGS, '--data', data]);
    await addresses(first);
    first.child.kill('SIGTERM');
    expect(await first.exit, first.stderr()).toBe(0);
    const driver = await EmbeddedDriver.open(data);
    try {
      await driver.exec(
        "INSERT INTO tracehouse_single_0tenant.tracehouse_schema_migrations (version, description) VALUES (99, 'future')",
      );
    } finally {
      await driver.close();
    }
    const again = run([...LOOPBACK_ARGS, '--data', data]);
    expect(await again.exit).toBe(1);
    expect(again.stderr()).toMatch(
      /^tracehouse: database tracehouse_single_0tenant has schema version 99, but this Tracehouse knows versions up to \d+: upgrade Tracehouse \(nothing was changed\)\n$/,
    );
  });

  it('applies a changed --retention to the tables at the next start', async () => {
    const data = mkdtempSync(join(tmpdir(), 'tracehouse-retention-'));
    for (const retention of ['2d', '36h']) {
      const r = run([...LOOPBACK_ARGS, '--data', data, '--retention', retention]);
      await addresses(r);
      r.child.kill('SIGTERM');
      expect(await r.exit, r.stderr()).toBe(0);
    }
    const driver = await EmbeddedDriver.open(data);
    try {
      const [row] = await driver.query<{ engine_full: string }>(
        "SELECT engine_full FROM system.tables WHERE database = 'tracehouse_single_0tenant' AND name = 'otel_traces'",
      );
      expect(row.engine_full).toContain('TTL toDateTime(Timestamp) + toIntervalHour(36)');
    } finally {
      await driver.close();
    }
  });

  it('prints cluster DDL with tracehouse schema --cluster', async () => {
    const r = run(['schema', '--cluster', 'prod', '--tenant', 'team-a', '--retention', '30d']);
    expect(await r.exit).toBe(0);
    expect(r.stdout()).toContain('CREATE DATABASE IF NOT EXISTS `tracehouse_team_0a` ON CLUSTER `prod`;');
    expect(r.stdout()).toContain(
      "ENGINE = Distributed('prod', 'tracehouse_team_0a', 'otel_traces_local', cityHash64(TraceId));",
    );
    expect(r.stdout()).toContain('toIntervalDay(30)');
    expect(r.stdout()).toContain('TYPE bloom_filter(0.001)');
    const text = run(['schema', '--cluster', 'prod', '--text-indexes']);
    expect(await text.exit).toBe(0);
    expect(text.stdout()).toContain("TYPE text(tokenizer = 'array')");
  });

  const usageErrors: [string, string[], Record<string, string>, string][] = [
    [
      'a bad log level from the environment',
      ['start'],
      { TRACEHOUSE_LOG_LEVEL: 'loud' },
      'tracehouse: TRACEHOUSE_LOG_LEVEL: "loud" is not one of trace, debug, info, warn, error, fatal, silent (see --help)\n',
    ],
    [
      'a bad listen address',
      ['start', '--otlp-http', 'localhost'],
      {},
      'tracehouse: --otlp-http: "localhost" is not a listen address: expected HOST:PORT, e.g. 0.0.0.0:4317 or :4317 (see --help)\n',
    ],
    [
      'a bad worker count for the collector',
      ['collector', '--config', 'unread.yaml', '--workers', 'two'],
      {},
      'tracehouse: --workers: "two" is not a number of worker threads: use 0 to 64, or auto (see --help)\n',
    ],
    [
      'a bad worker count from the environment',
      ['start'],
      { TRACEHOUSE_WORKERS: '-1' },
      'tracehouse: TRACEHOUSE_WORKERS: "-1" is not a number of worker threads: use 0 to 64, or auto (see --help)\n',
    ],
    ['an unknown flag', ['start', '--colour'], {}, "tracehouse: Unknown option '--colour' (see --help)\n"],
    ['an unknown command', ['stat'], {}, 'tracehouse: unknown command "stat"\n'],
    [
      'a malformed storage URL',
      ['start', '--storage', 'clickhouse://u:secret@h/a/b'],
      {},
      'tracehouse: --storage: "clickhouse://u:***@h/a/b": the path must be one database name, not "a/b" (see --help)\n',
    ],
    [
      'schema without a cluster',
      ['schema'],
      {},
      'tracehouse: schema: --cluster NAME is required (see --help)\n',
    ],
  ];
  for (const [what, args, env, message] of usageErrors) {
    it(`refuses ${what} with exit code 2 and a one-line message`, async () => {
      const r = run(args, env);
      expect(await r.exit).toBe(2);
      expect(r.stderr().split('\n')[0] + '\n').toBe(message);
    });
  }
});
