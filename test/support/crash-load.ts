import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess, ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { emptySpan } from '../../src/model/factories.js';
import type { TracesData } from '../../src/model/span.js';
import { encodeExportTraceServiceRequest } from '../../src/otlp/protobuf/encode-traces.js';
import { listeningAddresses } from './listening-addresses.js';

/** Spans in each trace the crash tests send: a trace stored in part shows as a count below it. */
export const SPANS_PER_TRACE = 10;

/** One trace of SPANS_PER_TRACE spans of `service`, timed now, as an OTLP protobuf request. */
export function traceRequest(traceId: string, service: string): Buffer {
  const now = BigInt(Date.now()) * 1_000_000n;
  const data: TracesData = [
    {
      resource: { attributes: [{ key: 'service.name', value: service }], droppedAttributesCount: 0 },
      schemaUrl: '',
      scopeSpans: [
        {
          scope: { name: 'crash', version: '', attributes: [], droppedAttributesCount: 0 },
          schemaUrl: '',
          spans: Array.from({ length: SPANS_PER_TRACE }, (_, i) => ({
            ...emptySpan(),
            traceId,
            spanId: (i + 1).toString(16).padStart(16, '0'),
            name: `span-${i}`,
            startTimeUnixNano: now + BigInt(i),
            endTimeUnixNano: now + BigInt(i) + 1000n,
            attributes: [{ key: 'i', value: BigInt(i) }],
          })),
        },
      ],
    },
  ];
  return encodeExportTraceServiceRequest(data);
}

export interface CrashLoad {
  /** The process to kill, and its end. */
  child: ChildProcess;
  exited: Promise<void>;
  /** Its OTLP/HTTP address (`host:port`). */
  otlpHttp: string;
  /** A new 32-hex-digit trace id for each request. */
  nextTraceId: () => string;
  service: string;
  /** Where the ids of acknowledged traces are added. */
  acknowledged: string[];
}

/**
 * Two senders post one trace a request to the child until, 300–1000 ms in, it is SIGKILLed;
 * returns once it has exited and both senders have stopped. A request the kill cut off is not
 * acknowledged, so nothing is owed for it.
 */
export async function sendUntilKilled(load: CrashLoad): Promise<void> {
  let killed = false;
  const sender = async (): Promise<void> => {
    while (!killed) {
      const traceId = load.nextTraceId();
      try {
        const res = await fetch(`http://${load.otlpHttp}/v1/traces`, {
          method: 'POST',
          body: traceRequest(traceId, load.service),
          headers: { 'content-type': 'application/x-protobuf' },
        });
        if (res.status === 200) load.acknowledged.push(traceId);
      } catch {
        // The process died mid-request.
      }
    }
  };
  const senders = Array.from({ length: 2 }, sender);
  await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700));
  load.child.kill('SIGKILL');
  killed = true;
  await load.exited;
  await Promise.all(senders);
}

const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'dist/src/cli/main.js');

/** A started `tracehouse` child: its bound addresses by component, and its end. */
export interface TracehouseChild {
  child: ChildProcessWithoutNullStreams;
  at: Record<string, string>;
  exited: Promise<void>;
}

/** The built CLI run as child processes, which `killAll` ends (frozen ones too). */
export class TracehouseChildren {
  private readonly children: ChildProcessWithoutNullStreams[] = [];

  /** Builds the CLI when dist/ lacks it (a test file run on its own). */
  static build(): void {
    if (!existsSync(bin)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root });
  }

  /** Starts `tracehouse ARGS` and waits for its `components` listeners (4 for `start`). */
  async start(args: readonly string[], components = 4): Promise<TracehouseChild> {
    const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '' } });
    this.children.push(child);
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    let log = '';
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const at = await listeningAddresses(
      () => log,
      () => child.exitCode !== null,
      30_000,
      components,
    );
    return { child, at, exited };
  }

  killAll(): void {
    for (const child of this.children) {
      if (child.exitCode !== null) continue;
      child.kill('SIGCONT');
      child.kill('SIGKILL');
    }
  }
}
