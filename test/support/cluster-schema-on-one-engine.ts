import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'chdb';
import type { ClusterSchemaOptions } from '../../src/store/schema/cluster-ddl.js';
import { clusterSchemaStatements } from '../../src/store/schema/cluster-ddl.js';
import type { SqlRunner } from '../../src/store/schema/sql-runner.js';
import { onCluster } from '../../src/store/schema/traces-ddl.js';

/**
 * Test support: what `tracehouse schema --cluster` makes, on one embedded engine, which has
 * neither Keeper nor distributed DDL: `ON CLUSTER` is dropped and each `Replicated…MergeTree(path,
 * replica)` becomes the plain engine. The `Distributed` tables stay as they are, so the engine
 * must know the cluster: `openTestEngine({ clusters: [cluster] })`.
 */
export function clusterSchemaOnOneEngine(options: ClusterSchemaOptions): string[] {
  return clusterSchemaStatements(options).map((sql) =>
    sql
      .replaceAll(onCluster(options.cluster), '')
      .replace(/\bReplicated(\w*MergeTree)\('[^']*', '[^']*'\)/g, '$1()'),
  );
}

/** Runs clusterSchemaOnOneEngine's statements. */
export async function createClusterSchema(run: SqlRunner, options: ClusterSchemaOptions): Promise<void> {
  for (const sql of clusterSchemaOnOneEngine(options)) await run(sql);
}

/**
 * Starts the embedded engine of `dataDir` (the folder EmbeddedDriver.open takes) knowing
 * `cluster`: one shard, whose one replica is this engine. ClickHouse counts a replica at its own
 * host and TCP port as local (system.clusters.is_local; nothing needs to listen there) and, by
 * `prefer_localhost_replica` (default 1), reads and inserts there in-process, so the `Distributed`
 * tables work. chdb runs one engine a process, configured by its first session: open this before
 * the driver, and close it after.
 */
export function openLocalClusterEngine(dataDir: string, cluster: string): Session {
  const file = join(dataDir, 'local-cluster.xml');
  const replica = '<replica><host>localhost</host><port>9000</port></replica>';
  writeFileSync(
    file,
    `<clickhouse><tcp_port>9000</tcp_port><remote_servers><${cluster}><shard>${replica}</shard></${cluster}></remote_servers></clickhouse>`,
  );
  return new Session(join(dataDir, 'clickhouse'), { connectionArgs: [`--config-file=${file}`] });
}
