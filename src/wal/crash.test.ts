import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashPayload, crashPayloadId } from './testdata/crash-payload.js';
import { WriteAheadLog } from './write-ahead-log.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
let work: string;
let childScript: string;

/**
 * Node 20 cannot run TypeScript, so the child runs a private build of this folder. Building
 * only src/wal (which imports nothing else) into a temporary folder keeps the test independent
 * of the state of dist/ and of half-edited code elsewhere in the tree.
 */
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'wal-crash-'));
  const out = join(work, 'build');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [
    ...['--outDir', out, '--rootDir', here, '--module', 'nodenext', '--moduleResolution', 'nodenext'],
    ...['--target', 'es2022', '--strict', '--skipLibCheck', '--types', 'node'],
    join(here, 'testdata', 'crash-child.ts'),
  ];
  await promisify(execFile)(process.execPath, [tsc, ...args], { cwd: root });
  await writeFile(join(out, 'package.json'), '{ "type": "module" }');
  childScript = join(out, 'testdata', 'crash-child.js');
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

interface ChildOutput {
  acks: Map<string, number>;
  flushed: number;
}

/** Runs the child until a random moment after its first ack, then kills it with SIGKILL. */
function runAndKill(dir: string, run: string): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, dir, run], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      timer ??= setTimeout(() => child.kill('SIGKILL'), 20 + Math.random() * 250);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`child exited (${code}) before the kill: ${stderr}`));
      const output: ChildOutput = { acks: new Map(), flushed: 0 };
      // Only whole lines count: a line cut by the kill was not fully reported.
      for (const line of stdout.split('\n').slice(0, -1)) {
        const [kind, position, id] = line.split(' ');
        if (kind === 'ack') output.acks.set(id, Number(position));
        else output.flushed = Math.max(output.flushed, Number(position));
      }
      resolve(output);
    });
  });
}

describe('crash safety', () => {
  it('keeps every acknowledged record exactly once across repeated SIGKILLs', async () => {
    const dir = join(work, 'log');
    const acked = new Map<string, number>();
    let flushed = 0;
    let verified = 0;
    for (let cycle = 0; cycle < 12; cycle++) {
      const output = await runAndKill(dir, `c${cycle}`);
      for (const [id, position] of output.acks) acked.set(id, position);
      flushed = Math.max(flushed, output.flushed);

      const log = await WriteAheadLog.open({ dir, segmentMaxBytes: 64 * 1024 });
      try {
        // Only the unacknowledged tail of an interrupted write may be damaged.
        expect(log.damage.filter((d) => d.reason !== 'torn-tail')).toEqual([]);
        expect(log.stats().flushedPosition).toBeGreaterThanOrEqual(flushed);
        const found = new Map<string, number>();
        let previous = -1;
        for await (const record of log.readFrom(0)) {
          const id = crashPayloadId(record.payload);
          expect(record.position).toBeGreaterThan(previous);
          expect(found.has(id), `${id} appears twice`).toBe(false);
          expect(record.payload.equals(crashPayload(id)), `${id} is intact`).toBe(true);
          found.set(id, record.position);
          previous = record.position;
        }
        const floor = log.stats().flushedPosition;
        for (const [id, position] of acked) {
          if (position < floor) continue;
          expect(found.get(id), `acknowledged ${id} at ${position}`).toBe(position);
          verified++;
        }
      } finally {
        await log.close();
      }
    }
    // The check had substance: many acknowledged records were replayed, and flushes happened.
    expect(verified).toBeGreaterThan(500);
    expect(flushed).toBeGreaterThan(0);
  });
});
