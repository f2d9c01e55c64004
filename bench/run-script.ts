import { spawn } from 'node:child_process';

export interface ScriptRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** Messages the child sent with `process.send`, in order. */
  messages: unknown[];
  timedOut: boolean;
}

/**
 * Runs a command (normally `node some-bench.js …`) as a child process with an IPC channel,
 * collecting its stdout and messages; its stderr (progress) goes straight to ours. The child is
 * killed after `timeoutMs`, so a stuck benchmark cannot hold the run forever.
 */
export function runScript(command: readonly string[], timeoutMs: number): Promise<ScriptRun> {
  const [file, ...args] = command;
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const chunks: Buffer[] = [];
  const messages: unknown[] = [];
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.on('message', (message) => messages.push(message));
  return new Promise((resolve, reject) => {
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(chunks).toString('utf8'), messages, timedOut });
    });
  });
}
