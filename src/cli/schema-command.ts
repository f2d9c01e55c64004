import { parseArgs } from 'node:util';
import { clusterSchemaStatements } from '../store/schema/cluster-ddl.js';
import { MAX_RETENTION_SECONDS, retentionTooLongMessage } from '../store/schema/retention-ttl.js';
import { DEFAULT_TENANT, tenantDatabaseName } from '../store/schema/tenant-database.js';
import { parseDurationSeconds } from './duration.js';
import { UsageError } from './usage-error.js';

const HELP = `Usage: tracehouse schema --cluster NAME [--tenant T | --database DB] [--retention 7d] [--text-indexes]

Prints the DDL for running Tracehouse on a ClickHouse cluster: on every node of NAME, the
database, ReplicatedMergeTree local tables, Distributed tables sharded by cityHash64(TraceId),
the trace-id lookup view, and the schema version record. Run it once with clickhouse-client
(--multiquery) before pointing Tracehouse at the cluster.

  --cluster NAME     the cluster, as named in the servers' remote_servers config (required)
  --tenant T         the tenant whose database to create (default "${DEFAULT_TENANT}")
  --database DB      an explicit database name instead of the tenant's
  --retention D      how long spans are kept, e.g. 24h, 7d, 0 = forever (default 7d)
  --text-indexes     text skip indexes, as the Collector's exporter creates on ClickHouse >= 26.2
                     (default: bloom-filter indexes, which older servers support too)`;

/** `tracehouse schema`: prints cluster DDL on stdout; changes nothing itself. */
export function schemaCommand(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: {
      cluster: { type: 'string' },
      tenant: { type: 'string' },
      database: { type: 'string' },
      retention: { type: 'string' },
      'text-indexes': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (values.cluster === undefined || values.cluster === '')
    throw new UsageError('schema: --cluster NAME is required');
  const retention = parseDurationSeconds(values.retention ?? '7d');
  if (retention === undefined)
    throw new UsageError(`--retention: "${values.retention}" is not a duration: use e.g. 24h, 7d`);
  if (retention > MAX_RETENTION_SECONDS) throw new UsageError(`--retention: ${retentionTooLongMessage()}`);
  const database = values.database ?? tenantDatabaseName(values.tenant ?? DEFAULT_TENANT);
  const statements = clusterSchemaStatements({
    cluster: values.cluster,
    database,
    retention: Math.round(retention),
    textIndexes: values['text-indexes'] === true,
  });
  process.stdout.write(`${statements.map((s) => `${s};`).join('\n\n')}\n`);
  return 0;
}
