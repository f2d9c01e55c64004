import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type * as ExampleProcess from '../../examples/demo/example-process.js';
import type { ExampleName, RunningProcess } from '../../examples/demo/example-process.js';
import { startAllInOne } from '../app/all-in-one.js';
import { openEmbeddedStore } from '../app/open-embedded-store.js';
import { createLogger } from '../logging/logger.js';
import { ListenError } from '../net/listen-address.js';
import { ShutdownOnSignal } from './shutdown-on-signal.js';
import type { OptionSpec, StartOptionName } from './start-options.js';
import { resolveStartConfig, START_OPTIONS } from './start-options.js';
import { UsageError } from './usage-error.js';

/** The demo's own options, beside every option of `tracehouse start`. */
const DEMO_OPTIONS = {
  'user-service-port': { default: '8080', help: 'user-service port (0 = any free port)' },
  'reservations-service-port': { default: '8081', help: 'reservations-service port (0 = any free port)' },
  rate: { default: '2', help: 'reservations per second the load generator sends' },
  'max-sleep-ms': {
    default: '100',
    help: "longest random pause in each service step (the tutorial's fake work)",
  },
} as const;

type DemoOption = keyof typeof DEMO_OPTIONS;

/** The options of `tracehouse start` that mean something here (the demo runs the built-in pipeline). */
const TRACEHOUSE_OPTIONS: readonly StartOptionName[] = [
  'otlpGrpc',
  'otlpHttp',
  'zipkin',
  'http',
  'data',
  'storage',
  'retention',
  'flushInterval',
  'traceCopy',
  'skipIndexes',
  'logLevel',
];

function help(): string {
  const row = (flag: string, text: string): string => `  ${`--${flag} <value>`.padEnd(44)}${text}`;
  return [
    'Usage: tracehouse demo [options]',
    '',
    'Runs the example system in one terminal: Tracehouse all-in-one, the user-service and the',
    'reservations-service (each its own process, sending spans over OTLP/HTTP) and a load generator.',
    'Ctrl-C stops everything.',
    '',
    'Demo options:',
    ...Object.entries(DEMO_OPTIONS).map(([flag, spec]) =>
      row(flag, `${spec.help} (default ${spec.default})`),
    ),
    '',
    'Tracehouse options (as for "tracehouse start"; a flag wins over its environment variable):',
    ...TRACEHOUSE_OPTIONS.map((name) => {
      const spec: OptionSpec = START_OPTIONS[name];
      // The demo's terminal is for its own lines; Tracehouse's info logs would bury them.
      const fallback = name === 'logLevel' ? 'warn' : spec.default;
      return row(spec.flag, `${spec.help} (env ${spec.env}, default ${JSON.stringify(fallback)})`);
    }),
  ].join('\n');
}

/** `tracehouse demo`: runs until SIGINT/SIGTERM, stops the example processes, then Tracehouse. */
export async function demoCommand(args: string[]): Promise<number> {
  const options: Record<string, { type: 'string' } | { type: 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const name of TRACEHOUSE_OPTIONS) options[START_OPTIONS[name].flag] = { type: 'string' };
  for (const flag of Object.keys(DEMO_OPTIONS)) options[flag] = { type: 'string' };
  const { values } = parseArgs({ args, options, allowPositionals: false, strict: true });
  if (values.help === true) {
    process.stdout.write(`${help()}\n`);
    return 0;
  }
  const flags: Partial<Record<StartOptionName, string>> = {};
  for (const name of TRACEHOUSE_OPTIONS) {
    const v = values[START_OPTIONS[name].flag];
    if (typeof v === 'string') flags[name] = v;
  }
  if (flags.logLevel === undefined && process.env[START_OPTIONS.logLevel.env] === undefined)
    flags.logLevel = 'warn';
  const config = resolveStartConfig(flags, process.env);
  const demo = (flag: DemoOption): string => {
    const v = values[flag];
    return typeof v === 'string' ? v : DEMO_OPTIONS[flag].default;
  };
  const userPort = port(demo('user-service-port'), '--user-service-port');
  const reservationsPort = port(demo('reservations-service-port'), '--reservations-service-port');
  const rate = nonNegative(demo('rate'), '--rate', false);
  const maxSleepMs = nonNegative(demo('max-sleep-ms'), '--max-sleep-ms', true);

  const { exampleScript, ExitedBeforeReadyError, SERVICE_READY, startProcess } = await loadExamples();
  const logger = createLogger(config.logLevel);
  const shutdown = new ShutdownOnSignal(logger);
  await mkdir(config.dataDir, { recursive: true });
  const storage = await openEmbeddedStore(config, logger);
  let tracehouse;
  try {
    tracehouse = await startAllInOne({ ...config, store: storage.store }, [storage.exporter], logger);
  } catch (error) {
    await storage.close();
    throw error;
  }
  const otlpHttp = tracehouse.receivers.find((r) => r.component === 'otlp-http')?.address() ?? '';
  const uiBase = `http://${reachable(tracehouse.api.address(), 'localhost')}/`;
  const children: RunningProcess[] = [];
  // Every process started, ready or not: a second signal exits at once, even during start-up,
  // and no example process may outlive it.
  const spawned: ChildProcess[] = [];
  shutdown.onForcedExit(() => {
    for (const child of spawned) child.kill('SIGKILL');
  });
  let stopping: Promise<void> | undefined;
  const stopAll = (): Promise<void> =>
    (stopping ??= (async () => {
      // Load first, then the caller, then the callee: no request is cut off half-way, and every
      // service exports its last spans while Tracehouse still listens.
      for (const child of [...children].reverse()) await child.stop();
      await tracehouse.shutdown();
      await storage.close();
    })());

  const start = async (
    name: ExampleName,
    env: NodeJS.ProcessEnv,
    readyLine: RegExp,
  ): Promise<RunningProcess> => {
    const child = await startProcess({
      name,
      command: process.execPath,
      args: [exampleScript(name)],
      env: childEnv(env, `http://${reachable(otlpHttp, '127.0.0.1')}`, maxSleepMs),
      readyLine,
      onSpawn: (child) => spawned.push(child),
      onLine: (line) => printChildLine(name, line, uiBase),
    });
    children.push(child);
    return child;
  };
  // A stop asked for during start-up starts nothing more.
  const startServices = async (): Promise<void> => {
    if (shutdown.signalled) return;
    const users = await start('user-service', { PORT: String(userPort) }, SERVICE_READY);
    if (shutdown.signalled) return;
    const reservations = await start(
      'reservations-service',
      { PORT: String(reservationsPort), USER_SERVICE_URL: users.ready },
      SERVICE_READY,
    );
    if (shutdown.signalled) return;
    await start(
      'load-generator',
      { LOAD_TARGET: reservations.ready, LOAD_RATE: String(rate) },
      /load-generator:/,
    );
  };
  try {
    await startServices();
  } catch (error) {
    const message = (error as Error).message;
    // Ctrl-C reaches the whole process group: a service still starting dies of it (it exits
    // before its ready line), which is the stop that was asked for, not a failure. Read before
    // the stop, which a later Ctrl-C must not turn into a success.
    const askedToStop = shutdown.signalled && error instanceof ExitedBeforeReadyError;
    await stopAll();
    if (askedToStop) return stoppedDuringStartUp(shutdown);
    // A service's port in use is an expected failure: its one line, not a stack.
    const line = /^.*cannot listen on .*$/m.exec(message);
    throw line ? new ListenError(`demo: ${line[0]}`) : error;
  }
  if (shutdown.signalled) {
    await stopAll();
    return stoppedDuringStartUp(shutdown);
  }
  printBanner(uiBase, otlpHttp, children, rate);
  return waitForStop(shutdown, children, stopAll);
}

/**
 * The example programs are loaded only here, so that `tracehouse start` keeps working where they
 * are not installed (the Docker image, the npm package: both ship `dist/src` only).
 */
async function loadExamples(): Promise<typeof ExampleProcess> {
  try {
    return await import('../../examples/demo/example-process.js');
  } catch (error) {
    throw new UsageError(
      `demo: the example services are not part of this installation (${(error as Error).message}); run it from a source checkout: npm ci && npm start`,
    );
  }
}

function stoppedDuringStartUp(shutdown: ShutdownOnSignal): number {
  // The process exits next: a signal meanwhile changes nothing.
  shutdown.ignoreFurtherSignals();
  process.stdout.write('tracehouse demo: stopped during start-up\n');
  return 0;
}

/**
 * Resolves 0 once the first signal has stopped every process, 1 when a child dies on its own (a
 * service that dies leaves the demo pointless: say which, stop the rest) or at a second signal.
 */
function waitForStop(
  shutdown: ShutdownOnSignal,
  children: RunningProcess[],
  stopAll: () => Promise<void>,
): Promise<number> {
  let died = false;
  const signalled = shutdown.runUntilSignal(async () => {
    if (died) return stopAll();
    process.stdout.write('tracehouse demo: stopping the load generator, the services, then Tracehouse\n');
    await stopAll();
    process.stdout.write('tracehouse demo: stopped\n');
  });
  const childDied = new Promise<number>((resolve) => {
    for (const child of children) {
      void child.exited.then((code) => {
        if (died || shutdown.signalled) return;
        died = true;
        process.stderr.write(`tracehouse demo: ${child.name} exited unexpectedly (code ${code})\n`);
        void stopAll().then(() => resolve(1));
      });
    }
  });
  return Promise.race([signalled, childDied]);
}

/**
 * The children's environment: the user's (so `OTEL_TRACES_SAMPLER` and the like pass through),
 * with the exporter pointed at this Tracehouse whatever endpoint the user's shell names.
 */
function childEnv(extra: NodeJS.ProcessEnv, otlpEndpoint: string, maxSleepMs: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    'OTEL_COLLECTOR_ENDPOINT',
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  ])
    delete env[name];
  return {
    ...env,
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    // Spans reach Tracehouse within about a second instead of the SDK's default five.
    OTEL_BSP_SCHEDULE_DELAY: '1000',
    HOST: '127.0.0.1',
    EXAMPLE_MAX_SLEEP_MS: String(maxSleepMs),
    ...extra,
  };
}

function printBanner(uiBase: string, otlpHttp: string, children: RunningProcess[], rate: number): void {
  const byName = new Map(children.map((c) => [c.name, c]));
  const line = (what: string, where: string, child?: RunningProcess): string =>
    `  ${what.padEnd(22)}${where}${child ? `  (pid ${child.pid})` : ''}`;
  const lines = [
    '',
    'Tracehouse demo is running:',
    line('Tracehouse', `${uiBase}   (trace by id: ${uiBase}api/traces/<trace id>)`),
    line('OTLP/HTTP receiver', `http://${otlpHttp}`),
    line('user-service', byName.get('user-service')?.ready ?? '', byName.get('user-service')),
    line(
      'reservations-service',
      byName.get('reservations-service')?.ready ?? '',
      byName.get('reservations-service'),
    ),
    line('load-generator', `${rate} reservations/s`, byName.get('load-generator')),
    'Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Children's lines, prefixed with their name; a trace id the load generator reports gets a link. */
function printChildLine(name: string, line: string, uiBase: string): void {
  if (line.trim() === '') return;
  const trace = /last trace ([0-9a-f]{32})/.exec(line);
  const link = trace ? `\n[${name}] open it: ${uiBase}api/traces/${trace[1]}` : '';
  process.stdout.write(`[${name}] ${line}${link}\n`);
}

/** A bound `host:port` as a client should dial it: a wildcard address becomes `host`. */
function reachable(address: string, host: string): string {
  return address.replace(/^(0\.0\.0\.0|\[::\]|::)(?=:\d+$)/, host);
}

function port(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`${flag}: "${text}" is not a port (0-65535)`);
  return n;
}

function nonNegative(text: string, flag: string, zeroAllowed: boolean): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0 || (!zeroAllowed && n === 0))
    throw new UsageError(`${flag}: "${text}" is not a ${zeroAllowed ? 'non-negative' : 'positive'} number`);
  return n;
}
