import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { START_OPTIONS } from '../src/cli/start-options.js';
import { builtinComponents } from '../src/pipeline/builtin-components.js';
import { loadConfigFile } from '../src/pipeline/load-config.js';
import { RESERVATIONS_SERVICE_PORT } from '../examples/reservations-service/reservations-service-app.js';
import { USER_SERVICE_PORT } from '../examples/user-service/user-service-app.js';

/*
 * There is no Docker engine in CI, so the deployment files are checked as text: every YAML file
 * parses, every file a compose file or Dockerfile refers to exists, and the ports, addresses and
 * environment variables agree with the code's defaults and with each other.
 */
const DEPLOY = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(DEPLOY, '..');

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: string[] | Record<string, unknown>;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
const yamlFiles = files(DEPLOY).filter((f) => /\.ya?ml$/.test(f));
// YAML merge keys (`<<: *anchor`) as Docker Compose reads them.
const load = <T>(path: string): T => parseYaml(readFileSync(path, 'utf8'), { merge: true }) as T;
const compose = (path: string): Compose => load<Compose>(join(DEPLOY, path));

const MAIN = compose('docker-compose.yaml');
const GRAFANA = compose('docker-compose.grafana.yaml');
const SCALE_OUT = compose('scale-out/docker-compose.yaml');
const COMPOSE_FILES: [string, Compose][] = [
  ['docker-compose.yaml', MAIN],
  ['docker-compose.grafana.yaml', GRAFANA],
  ['scale-out/docker-compose.yaml', SCALE_OUT],
];

const defaultPort = (option: keyof typeof START_OPTIONS): number =>
  Number(START_OPTIONS[option].default.split(':').at(-1));
const TRACEHOUSE_GRPC = defaultPort('otlpGrpc');
const TRACEHOUSE_HTTP = defaultPort('http');

/** Bind mounts (`./x:/y[:ro]`): host path resolved from the compose file's folder, and the target. */
const mounts = (service: Service, composeDir: string): { source: string; target: string }[] =>
  (service.volumes ?? [])
    .map((v) => v.split(':'))
    .filter(([source]) => source.startsWith('.'))
    .map(([source, target]) => ({ source: resolve(composeDir, source), target }));

/** Every source of a Dockerfile's COPY lines that come from the build context. */
function copySources(dockerfile: string): string[] {
  return readFileSync(dockerfile, 'utf8')
    .split('\n')
    .filter((line) => /^COPY\s/.test(line) && !line.includes('--from='))
    .flatMap((line) => line.trim().split(/\s+/).slice(1, -1));
}

/** Names of environment variables the example code reads. */
const exampleSources = files(join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');

describe('deployment files', () => {
  it('parse as YAML, every one', () => {
    expect(yamlFiles.length).toBeGreaterThanOrEqual(6);
    for (const file of yamlFiles) {
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8')))
        expect(doc.errors, relative(ROOT, file)).toEqual([]);
    }
  });

  it('refer only to files that exist: build contexts, Dockerfiles and what they copy, mounted configs', () => {
    for (const [path, file] of COMPOSE_FILES) {
      const composeDir = dirname(join(DEPLOY, path));
      for (const [name, service] of Object.entries(file.services)) {
        const where = `${path} ${name}`;
        expect(service.image ?? service.build, where).toBeDefined();
        if (service.build) {
          const context = resolve(composeDir, service.build.context);
          const dockerfile = join(context, service.build.dockerfile ?? 'Dockerfile');
          expect(existsSync(dockerfile), `${where}: ${dockerfile}`).toBe(true);
          expect(existsSync(`${dockerfile}.dockerignore`), `${where}: ${dockerfile}.dockerignore`).toBe(true);
          for (const source of copySources(dockerfile))
            expect(existsSync(join(context, source)), `${where}: COPY ${source}`).toBe(true);
        }
        for (const { source } of mounts(service, composeDir))
          expect(existsSync(source), `${where}: ${source}`).toBe(true);
        for (const volume of service.volumes ?? []) {
          const source = volume.split(':')[0];
          if (!source.startsWith('.'))
            expect(file.volumes ?? {}, `${where}: volume ${source}`).toHaveProperty(source);
        }
        // depends_on names services of the same project (the Grafana file is an override of the main one).
        const known =
          path === 'docker-compose.grafana.yaml' ? { ...MAIN.services, ...GRAFANA.services } : file.services;
        const deps = Array.isArray(service.depends_on)
          ? service.depends_on
          : Object.keys(service.depends_on ?? {});
        for (const dep of deps) expect(known, `${where} depends on ${dep}`).toHaveProperty(dep);
      }
    }
  });

  it('run each example service on the port its code defaults to, and wire them to each other by those ports', () => {
    for (const [path, file] of COMPOSE_FILES.filter(([, f]) => f.services['user-service'])) {
      const { services } = file;
      expect(services['user-service'].environment?.PORT, path).toBe(String(USER_SERVICE_PORT));
      expect(services['reservations-service'].environment?.PORT, path).toBe(
        String(RESERVATIONS_SERVICE_PORT),
      );
      expect(services['reservations-service'].environment?.USER_SERVICE_URL, path).toBe(
        `http://user-service:${USER_SERVICE_PORT}`,
      );
      expect(services['load-generator'].environment?.LOAD_TARGET, path).toBe(
        `http://reservations-service:${RESERVATIONS_SERVICE_PORT}`,
      );
      for (const port of services['reservations-service'].ports ?? [])
        expect(port.split(':').at(-1), path).toBe(String(RESERVATIONS_SERVICE_PORT));
    }
    for (const name of ['user-service', 'reservations-service']) {
      const dockerfile = readFileSync(join(DEPLOY, `${name}.Dockerfile`), 'utf8');
      const port = name === 'user-service' ? USER_SERVICE_PORT : RESERVATIONS_SERVICE_PORT;
      expect(dockerfile).toContain(`EXPOSE ${port}`);
      expect(dockerfile).toContain(`CMD ["node", "dist/examples/${name}/main.js"]`);
      expect(existsSync(join(ROOT, 'examples', name, 'main.ts'))).toBe(true);
    }
  });

  it('set only environment variables that the code reads', () => {
    const tracehouseVars = new Set(Object.values(START_OPTIONS).map((o) => o.env));
    for (const [path, file] of COMPOSE_FILES) {
      for (const [name, service] of Object.entries(file.services)) {
        for (const variable of Object.keys(service.environment ?? {})) {
          if (name.startsWith('clickhouse') || name === 'grafana') continue; // the images' own variables
          if (variable.startsWith('TRACEHOUSE_'))
            expect(tracehouseVars, `${path} ${name}`).toContain(variable);
          else if (!variable.startsWith('OTEL_') || variable === 'OTEL_COLLECTOR_ENDPOINT')
            expect(exampleSources, `${path} ${name}: ${variable}`).toMatch(new RegExp(`\\b${variable}\\b`));
        }
      }
    }
  });

  it("send the services' spans to the collector, and the collector's to the backend, on Tracehouse's ports", () => {
    const collector = load<{
      receivers: { otlp: { protocols: { grpc: { endpoint: string } } } };
      exporters: { otlp: { endpoint: string; tls: { insecure: boolean } } };
      service: { pipelines: Record<string, { receivers: string[]; exporters: string[] }> };
    }>(join(DEPLOY, 'otel-collector-config.yaml'));
    expect(collector.receivers.otlp.protocols.grpc.endpoint).toBe(`0.0.0.0:${TRACEHOUSE_GRPC}`);
    expect(collector.exporters.otlp).toEqual({
      endpoint: `tracehouse:${TRACEHOUSE_GRPC}`,
      tls: { insecure: true },
    });
    expect(Object.keys(collector.service.pipelines)).toEqual(['traces']);
    expect(collector.service.pipelines.traces).toMatchObject({ receivers: ['otlp'], exporters: ['otlp'] });
    expect(MAIN.services).toHaveProperty('tracehouse');

    const mounted = mounts(MAIN.services['otel-collector'], DEPLOY).find((m) =>
      m.source.endsWith('otel-collector-config.yaml'),
    );
    expect(MAIN.services['otel-collector'].command).toEqual(['collector', '--config', mounted?.target]);
    for (const name of ['user-service', 'reservations-service']) {
      expect(MAIN.services[name].environment).toMatchObject({
        OTEL_COLLECTOR_ENDPOINT: `http://otel-collector:${TRACEHOUSE_GRPC}`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      });
    }
    expect(MAIN.services.tracehouse.ports).toEqual([`${TRACEHOUSE_HTTP}:${TRACEHOUSE_HTTP}`]);
    expect(readFileSync(join(DEPLOY, 'tracehouse.Dockerfile'), 'utf8')).toContain(
      `EXPOSE ${[defaultPort('otlpGrpc'), defaultPort('otlpHttp'), defaultPort('zipkin'), TRACEHOUSE_HTTP].join(' ')}`,
    );
  });

  it('provision Grafana with Tracehouse as a Tempo data source at its query port', () => {
    const provisioning = load<{ datasources: { type: string; url: string }[] }>(
      join(DEPLOY, 'grafana/datasources.yaml'),
    );
    expect(provisioning.datasources).toEqual([
      expect.objectContaining({ type: 'tempo', url: `http://tracehouse:${TRACEHOUSE_HTTP}` }),
    ]);
    const mounted = mounts(GRAFANA.services.grafana, DEPLOY).map((m) => m.target);
    expect(mounted).toContain('/etc/grafana/provisioning/datasources/datasources.yaml');
  });

  it('scale out: collectors balance by trace id over the ingest nodes; the cluster has two shards, Keeper and the schema', () => {
    const { services } = SCALE_OUT;
    const lb = load<{
      exporters: { loadbalancing: { routing_key: string; resolver: { static: { hostnames: string[] } } } };
      service: { pipelines: { traces: { exporters: string[] } } };
    }>(join(DEPLOY, 'scale-out/otel-collector-config.yaml'));
    expect(lb.exporters.loadbalancing.routing_key).toBe('traceID');
    expect(lb.service.pipelines.traces.exporters).toEqual(['loadbalancing']);
    const targets = lb.exporters.loadbalancing.resolver.static.hostnames;
    expect(targets.length).toBeGreaterThanOrEqual(2);
    for (const target of targets) {
      const [host, port] = target.split(':');
      expect(services, target).toHaveProperty(host);
      expect(Number(port)).toBe(TRACEHOUSE_GRPC);
      expect(services[host].command?.slice(0, 2)).toEqual(['start', '--storage']);
    }
    expect(services['tracehouse-query'].ports).toEqual([`${TRACEHOUSE_HTTP}:${TRACEHOUSE_HTTP}`]);

    const cluster = readFileSync(join(DEPLOY, 'scale-out/clickhouse/cluster.xml'), 'utf8');
    const clusterName = /<remote_servers>\s*<(\w+)>/.exec(cluster)?.[1];
    expect(services['schema-ddl'].entrypoint?.join(' ')).toContain(`schema --cluster ${clusterName}`);
    const shardHosts = [...cluster.matchAll(/<shard>[\s\S]*?<host>([\w-]+)<\/host>[\s\S]*?<\/shard>/g)].map(
      (m) => m[1],
    );
    expect(shardHosts).toEqual(['clickhouse-01', 'clickhouse-02']);
    for (const host of shardHosts) expect(services).toHaveProperty(host);
    const keeperHost = /<zookeeper>\s*<node>\s*<host>([\w-]+)<\/host>\s*<port>(\d+)<\/port>/.exec(cluster);
    expect(services).toHaveProperty(keeperHost![1]);
    expect(readFileSync(join(DEPLOY, 'scale-out/keeper/keeper.xml'), 'utf8')).toContain(
      `<tcp_port>${keeperHost![2]}</tcp_port>`,
    );
    // Each ClickHouse node mounts its own macros (shard, replica), which the replicated tables' paths use.
    for (const [i, host] of shardHosts.entries()) {
      const macros = mounts(services[host], join(DEPLOY, 'scale-out')).find((m) =>
        m.target.endsWith('macros.xml'),
      );
      expect(readFileSync(macros!.source, 'utf8')).toContain(`<shard>0${i + 1}</shard>`);
    }
    // Every Tracehouse node's storage URL names a ClickHouse node of the cluster.
    for (const [name, service] of Object.entries(services)) {
      const storage = service.command?.[service.command.indexOf('--storage') + 1];
      if (service.command?.includes('--storage'))
        expect(shardHosts, name).toContain(new URL(storage!).hostname);
    }
  });
});

describe("Tracehouse's image", () => {
  // Its build stage compiles only what the Dockerfile copies: a source file that imports from a
  // folder left out (test/) broke `docker build` while every check here passed.
  it('compiles from nothing but what its Dockerfile copies, and ships the web UI', () => {
    const dockerfile = join(DEPLOY, 'tracehouse.Dockerfile');
    const text = readFileSync(dockerfile, 'utf8');
    const context = mkdtempSync(join(tmpdir(), 'tracehouse-image-'));
    try {
      for (const source of copySources(dockerfile))
        cpSync(join(ROOT, source), join(context, source), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules'), join(context, 'node_modules'));
      const tsc = spawnSync(
        process.execPath,
        [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--noEmit'],
        { cwd: context, encoding: 'utf8' },
      );
      expect(tsc.stdout + tsc.stderr, 'tsc in the image build').toBe('');
      expect(tsc.status).toBe(0);
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
    expect(text).toMatch(/vite build --config ui\/vite\.config\.ts/);
    expect(text).toMatch(/^COPY --from=build \/app\/dist\/ui \.\/dist\/ui$/m);
  }, 120_000);
});

describe('collector configs', () => {
  // `tracehouse validate` on each: every component and key must be one Tracehouse knows.
  const configs = yamlFiles.filter((f) => /collector-config\.ya?ml$/.test(f));

  it('there are collector configs to check', () => {
    expect(configs.map((f) => relative(DEPLOY, f)).sort()).toEqual([
      'otel-collector-config.yaml',
      'scale-out/otel-collector-config.yaml',
    ]);
  });

  it.each(configs.map((f) => [relative(DEPLOY, f), f]))(
    '%s is a valid Tracehouse collector config',
    async (_name, file) => {
      await expect(loadConfigFile(file, {}, builtinComponents())).resolves.toBeDefined();
    },
  );
});
