import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEMO_PARENT_ENV } from '../shared/on-stop.js';

/** The example programs, relative to the built `dist/examples` folder. */
export const EXAMPLE_SCRIPTS = {
  'user-service': 'user-service/main.js',
  'reservations-service': 'reservations-service/main.js',
  'load-generator': 'load-generator/main.js',
} as const;

export type ExampleName = keyof typeof EXAMPLE_SCRIPTS;

/**
 * The built script of an example. From `dist/examples/demo/` (the `tracehouse` binary) it is next
 * door; from the TypeScript sources (a Vitest test) it is the build under `dist/`, since Node 20
 * cannot run `.ts` files itself.
 */
export function exampleScript(name: ExampleName): string {
  const here = fileURLToPath(import.meta.url);
  const built = here.includes('/dist/examples/') ? '../' : '../../dist/examples/';
  const script = fileURLToPath(new URL(`${built}${EXAMPLE_SCRIPTS[name]}`, import.meta.url));
  if (!existsSync(script)) throw new Error(`${script} is missing: run "npm run build" first`);
  return script;
}

export interface ProcessSpec {
  /** Shown in errors and as the prefix of forwarded output. */
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Start-up is done when a stdout line matches; its first group is returned as `ready`. */
  readyLine: RegExp;
  timeoutMs?: number;
  /** Called once the process is spawned, before it is ready (to kill it should the caller exit). */
  onSpawn?: (child: ChildProcessWithoutNullStreams) => void;
  /** Every output line (stdout and stderr), after start-up too. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export interface RunningProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcessWithoutNullStreams;
  /** The ready line's first capture group (a service's URL), or the whole line. */
  readonly ready: string;
  /** Everything printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the exit code (null after a signal) once the process has exited. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

/** The process exited (or was killed) before its ready line. */
export class ExitedBeforeReadyError extends Error {
  override readonly name = 'ExitedBeforeReadyError';
}

/** The line every example service prints once it accepts requests. */
export const SERVICE_READY = /listening on (http:\/\/\S+)/;

/**
 * Starts a process, forwards its output line by line, and resolves once it prints its ready
 * line; rejects, with what it printed, if it exits or stays silent first. Started with
 * `TRACEHOUSE_DEMO_PARENT=1` and a stdin pipe, so it stops by itself if this process dies.
 */
export function startProcess(spec: ProcessSpec): Promise<RunningProcess> {
  const child = spawn(spec.command, spec.args, {
    env: { ...spec.env, [DEMO_PARENT_ENV]: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  spec.onSpawn?.(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return new Promise<RunningProcess>((resolve, reject) => {
    const timer = setTimeout(() => fail('did not start'), spec.timeoutMs ?? 30_000);
    let started = false;
    const fail = (why: string, exitedBeforeReady = false): void => {
      if (started) return;
      started = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      const message = `${spec.name} ${why}:\n${output}`;
      reject(exitedBeforeReady ? new ExitedBeforeReadyError(message) : new Error(message));
    };
    child.once('error', (error) => fail(`could not be started (${error.message})`));
    void exited.then((code) => fail(`exited with code ${code}`, true));
    for (const stream of ['stdout', 'stderr'] as const) {
      let partial = '';
      child[stream].on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          spec.onLine?.(line, stream);
          const match = stream === 'stdout' && !started ? spec.readyLine.exec(line) : null;
          if (match) {
            started = true;
            clearTimeout(timer);
            resolve(running(spec.name, child, match[1] ?? line, () => output, exited));
          }
        }
      });
    }
  });
}

function running(
  name: string,
  child: ChildProcessWithoutNullStreams,
  ready: string,
  output: () => string,
  exited: Promise<number | null>,
): RunningProcess {
  let stopping: Promise<void> | undefined;
  return {
    name,
    pid: child.pid ?? -1,
    child,
    ready,
    output,
    exited,
    stop: (graceMs = 10_000) =>
      (stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      })()),
  };
}
