import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../../examples/test-support/ensure-built.js';
import { flattenTrace } from '../../examples/test-support/trace-tree.js';
import type { OtlpTrace } from '../../examples/test-support/trace-tree.js';

/*
 * `npm start` as a user runs it: the built `tracehouse demo`, every listener on a free loopback
 * port and a fresh data folder; traces must show up in the API, and SIGINT must leave no process
 * behind.
 */
const bin = join(ROOT, 'dist/src/cli/main.js');
beforeAll(() => ensureBuilt(), 240_000);

interface Demo {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

const started: { demo: Demo; pids: number[]; group?: boolean }[] = [];
afterEach(() => {
  for (const { demo, pids, group } of started.splice(0)) {
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
    // A demo in a group of its own: whatever of the group is left.
    if (group && demo.child.pid !== undefined) {
      try {
        process.kill(-demo.child.pid, 'SIGKILL');
      } catch {
        // The group is gone.
      }
    }
    if (demo.child.exitCode === null) demo.child.kill('SIGKILL');
  }
});

const LOOPBACK = [
  '--otlp-grpc',
  '127.0.0.1:0',
  '--otlp-http',
  '127.0.0.1:0',
  '--zipkin',
  '127.0.0.1:0',
  '--http',
  '127.0.0.1:0',
];

/** `group`: the demo leads a process group of its own, as a shell's foreground job does. */
function runDemo(args: string[], options: { group?: boolean } = {}): Demo {
  const child = spawn(process.execPath, [bin, 'demo', ...args], {
    // Progress lines (with a trace id) every second instead of every five.
    env: { PATH: process.env.PATH ?? '', LOAD_REPORT_S: '1' },
    cwd: mkdtempSync(join(tmpdir(), 'tracehouse-demo-')),
    detached: options.group === true,
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

/** The processes whose parent is `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent pid is the second field after the command name, which is in parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(entry));
    } catch {
      // Gone since the listing.
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function demoArgs(userServicePort = 0): string[] {
  const data = mkdtempSync(join(tmpdir(), 'tracehouse-demo-data-'));
  return [
    ...LOOPBACK,
    '--data',
    data,
    '--user-service-port',
    String(userServicePort),
    '--reservations-service-port',
    '0',
    '--rate',
    '10',
    '--max-sleep-ms',
    '5',
  ];
}

/** Starts the demo and waits for its banner; returns the API base and the example processes' pids. */
async function startDemo(): Promise<{ demo: Demo; apiBase: string; pids: number[] }> {
  const demo = runDemo(demoArgs());
  const entry = { demo, pids: [] as number[] };
  started.push(entry);
  await expect
    .poll(() => demo.stdout() + (demo.child.exitCode ?? ''), { timeout: 60_000, interval: 200 })
    .toContain('Press Ctrl-C to stop.');
  const apiBase = /Tracehouse\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(demo.stdout())?.[1] ?? '';
  entry.pids = [...demo.stdout().matchAll(/\(pid (\d+)\)/g)].map((m) => Number(m[1]));
  return { demo, apiBase, pids: entry.pids };
}

describe('tracehouse demo', () => {
  it('prints its options, and refuses a bad one in one line (exit 2)', async () => {
    const help = runDemo(['--help']);
    expect(await help.exit).toBe(0);
    for (const flag of [
      '--user-service-port',
      '--reservations-service-port',
      '--rate',
      '--data',
      '--http',
      '--trace-copy',
    ])
      expect(help.stdout()).toContain(flag);
    const bad = runDemo(['--rate', '0']);
    expect(await bad.exit).toBe(2);
    expect(bad.stderr()).toBe('tracehouse: --rate: "0" is not a positive number (see --help)\n');
    const badCopy = runDemo(['--trace-copy', 'no']);
    expect(await badCopy.exit).toBe(2);
    expect(badCopy.stderr()).toBe('tracehouse: --trace-copy: "no" is not one of on, off (see --help)\n');
  });

  it('runs Tracehouse, both services and the load generator; traces arrive; SIGINT stops every process', async () => {
    const { demo, apiBase, pids } = await startDemo();
    expect(apiBase).not.toBe('');
    expect(pids).toHaveLength(3);
    expect(pids.every(alive)).toBe(true);

    // The load generator reports the trace id of its latest answer; that trace must reach the API.
    const deadline = Date.now() + 30_000;
    let services = new Set<string>();
    while (Date.now() < deadline && services.size < 2) {
      const ids = [...demo.stdout().matchAll(/last trace ([0-9a-f]{32})/g)].map((m) => m[1]);
      const id = ids.at(-3) ?? ids.at(0);
      if (id) {
        const response = await fetch(`${apiBase}/api/traces/${id}`);
        if (response.ok)
          services = new Set(flattenTrace((await response.json()) as OtlpTrace).map((s) => s.service));
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(services).toEqual(new Set(['reservations-service', 'user-service']));

    demo.child.kill('SIGINT');
    expect(await demo.exit).toBe(0);
    expect(demo.stdout()).toContain('tracehouse demo: stopped');
    expect(demo.stdout()).toMatch(/\[load-generator\] load-generator: done, \d+ sent/);
    expect(pids.filter(alive)).toEqual([]);
  }, 90_000);

  it('reports a service port in use in one line (exit 1)', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const demo = runDemo(demoArgs(port));
      started.push({ demo, pids: [] });
      expect(await demo.exit).toBe(1);
      expect(demo.stderr()).toBe(
        `tracehouse: demo: user-service: cannot listen on 127.0.0.1:${port}: EADDRINUSE\n`,
      );
    } finally {
      blocker.close();
    }
  }, 60_000);

  it('stops cleanly at a Ctrl-C during start-up, which also reaches the services still starting', async () => {
    const demo = runDemo(demoArgs(), { group: true });
    const entry = { demo, pids: [] as number[], group: true };
    started.push(entry);
    // The first service is spawned once Tracehouse listens; it takes a while to load its SDK.
    await expect
      .poll(() => (entry.pids = childrenOf(demo.child.pid ?? -1)), { timeout: 60_000, interval: 10 })
      .not.toEqual([]);
    expect(demo.stdout()).not.toContain('Press Ctrl-C to stop.');
    // What a terminal does at Ctrl-C: SIGINT to every process of the foreground group.
    process.kill(-(demo.child.pid ?? 0), 'SIGINT');
    expect(await demo.exit, demo.stderr()).toBe(0);
    // The service died of the signal before its ready line (it ignores SIGINT once ready).
    expect(demo.stdout()).toContain('tracehouse demo: stopped during start-up');
    expect(entry.pids.filter(alive)).toEqual([]);
  }, 90_000);

  it('stops everything and exits 1 when one of its services dies', async () => {
    const { demo, pids } = await startDemo();
    const [userService, ...rest] = pids;
    process.kill(userService, 'SIGKILL');
    expect(await demo.exit).toBe(1);
    expect(demo.stderr()).toContain('tracehouse demo: user-service exited unexpectedly');
    expect(rest.filter(alive)).toEqual([]);
  }, 90_000);
});
