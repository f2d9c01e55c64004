#!/usr/bin/env node
import { ListenError } from '../net/listen-address.js';
import { ClusterSchemaBehindError, SchemaTooNewError } from '../store/schema/apply-migrations.js';
import { TextIndexesUnsupportedError } from '../store/schema/schema-options.js';
import { buildInfo } from '../api/build-info.js';
import { startCommand } from './start-command.js';
import { collectorCommand } from './collector-command.js';
import { validateCommand } from './validate-command.js';
import { schemaCommand } from './schema-command.js';
import { demoCommand } from './demo-command.js';
import { queryCommand } from './query-command.js';
import { isParseArgsError, UsageError } from './usage-error.js';

const USAGE = `Usage: tracehouse <command> [options]

Commands:
  start        run Tracehouse all-in-one (receivers, embedded store, query API)
  collector    run a trace collector from an OpenTelemetry Collector-style config (--config FILE)
  validate     check a collector config without running it (--config FILE)
  schema       print the DDL for a ClickHouse cluster (--cluster NAME)
  query        print a trace as a tree, or search with TraceQL, from a running Tracehouse
  demo         run Tracehouse with the example services and a load generator

Run 'tracehouse <command> --help' for the options of a command.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return startCommand(rest);
    case 'schema':
      return schemaCommand(rest);
    case 'demo':
      return demoCommand(rest);
    case 'query':
      return queryCommand(rest);
    case 'collector':
      return collectorCommand(rest);
    case 'validate':
      return validateCommand(rest);
    case '--version':
    case '-v':
      process.stdout.write(`${buildInfo().version}\n`);
      return 0;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`tracehouse: unknown command "${command}"\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Stop lingering handles (keep-alive sockets, timers) from holding the process open.
    setTimeout(() => process.exit(code), 200).unref();
  },
  (error: unknown) => {
    // Expected start-up failures are one line; anything else keeps its stack for a bug report.
    if (
      error instanceof ListenError ||
      error instanceof SchemaTooNewError ||
      error instanceof ClusterSchemaBehindError ||
      error instanceof TextIndexesUnsupportedError
    )
      fail(error.message, 1);
    else if (error instanceof UsageError || isParseArgsError(error)) fail(`${error.message} (see --help)`, 2);
    else fail(error instanceof Error ? (error.stack ?? error.message) : String(error), 1);
  },
);

function fail(message: string, code: number): void {
  process.stderr.write(`tracehouse: ${message}\n`);
  process.exit(code);
}
