import { readFile } from 'node:fs/promises';
import type { Document } from 'yaml';
import { parseDocument } from 'yaml';
import type { LogLevel } from '../logging/logger.js';
import type { ComponentRegistry, Factory } from './component-factory.js';
import { parseComponentId } from './component-id.js';
import { ConfigError } from './config-error.js';
import { ConfigNode } from './config-node.js';
import type { ConfiguredComponent, PipelineConfig, ServiceConfig } from './service-config.js';
import { substituteEnv } from './substitute-env.js';

type Kind = 'receivers' | 'processors' | 'exporters' | 'extensions';
const SINGULAR: Record<Kind, string> = {
  receivers: 'receiver',
  processors: 'processor',
  exporters: 'exporter',
  extensions: 'extension',
};
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Reads, substitutes and validates a config file; errors name the file and the path in it. */
export async function loadConfigFile(
  file: string,
  env: NodeJS.ProcessEnv,
  registry: ComponentRegistry,
): Promise<ServiceConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError('', `cannot read config file ${file}: ${(error as Error).message}`);
  }
  return parseConfigText(text, env, registry, file);
}

/** YAML text to a validated config. `source` names the text in syntax errors (`file.yaml:3:7`). */
export function parseConfigText(
  text: string,
  env: NodeJS.ProcessEnv,
  registry: ComponentRegistry,
  source = 'config',
): ServiceConfig {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const [first] = doc.errors;
  if (first) {
    const at = first.linePos?.[0];
    const where = at ? `${source}:${at.line}:${at.col}` : source;
    throw new ConfigError(
      '',
      `${where}: invalid YAML: ${first.message.split('\n')[0].replace(/ at line \d+, column \d+:$/, '')}`,
    );
  }
  const { value, unset } = substituteEnv(documentValue(doc, source), env);
  return parseConfigValue(value, registry, unset);
}

/**
 * The document as plain values. Aliases are expanded here, and the yaml library throws rather
 * than expand past its limit (`maxAliasCount`, 100: a "billion laughs" file of nested anchors) or
 * an alias to an anchor not yet set — both faults of the file, so a ConfigError like any other.
 */
function documentValue(doc: Document, source: string): unknown {
  try {
    return doc.toJS() as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError('', `${source}: invalid YAML: ${message.split('\n')[0]}`);
  }
}

/**
 * The parsed YAML tree to a validated config: every component's config through its factory's
 * parser, every pipeline's references checked, then any key nobody read refused.
 */
export function parseConfigValue(
  value: unknown,
  registry: ComponentRegistry,
  warnings: string[] = [],
): ServiceConfig {
  const root = new ConfigNode(value ?? {}, '');
  const receivers = parseComponents(root.get('receivers'), 'receivers', registry.receivers);
  const processors = parseComponents(root.get('processors'), 'processors', registry.processors);
  const exporters = parseComponents(root.get('exporters'), 'exporters', registry.exporters);
  const extensions = parseComponents(root.get('extensions'), 'extensions', registry.extensions);
  const defined = { receivers, processors, exporters, extensions };

  const service = root.get('service');
  if (service.absent) throw service.error('is required: it lists the pipelines to run');
  const serviceExtensions = references(service.get('extensions'), 'extensions', defined);
  const pipelines = parsePipelines(service.get('pipelines'), defined);
  const logLevel = parseTelemetry(service.get('telemetry'));
  root.checkUnknownKeys();
  return { receivers, processors, exporters, extensions, serviceExtensions, pipelines, logLevel, warnings };
}

function parseComponents<F extends Factory<unknown>>(
  node: ConfigNode,
  kind: Kind,
  factories: ReadonlyMap<string, F>,
): Map<string, ConfiguredComponent<F>> {
  const out = new Map<string, ConfiguredComponent<F>>();
  for (const id of node.keys()) {
    const child = node.get(id);
    const { type } = parseComponentId(id, child.path);
    const factory = factories.get(type);
    if (!factory) {
      const known = [...factories.keys()].sort().join(', ');
      throw child.error(`unknown ${SINGULAR[kind]} type "${type}"; known types: ${known}`);
    }
    child.expectMapping();
    out.set(id, {
      id,
      factory,
      config: factory.parseConfig(child),
      source: { value: child.value, path: child.path },
    });
  }
  return out;
}

type Defined = Record<Kind, ReadonlyMap<string, unknown>>;

function references(node: ConfigNode, kind: Kind, defined: Defined): string[] {
  const seen = new Set<string>();
  return node.items().map((item) => {
    const id = item.string();
    if (!defined[kind].has(id)) {
      const names = [...defined[kind].keys()];
      throw item.error(
        `${SINGULAR[kind]} "${id}" is not defined under ${kind}:; ${names.length > 0 ? `defined: ${names.join(', ')}` : `none is`}`,
      );
    }
    if (seen.has(id)) throw item.error(`${SINGULAR[kind]} "${id}" is listed twice`);
    seen.add(id);
    return id;
  });
}

function parsePipelines(node: ConfigNode, defined: Defined): PipelineConfig[] {
  if (node.absent) throw node.error('is required: define at least one traces pipeline');
  const pipelines = node.keys().map((id): PipelineConfig => {
    const child = node.get(id);
    const { type } = parseComponentId(id, child.path);
    // The Collector also has metrics and logs pipelines; Tracehouse carries traces only.
    if (type !== 'traces')
      throw child.error(`unsupported pipeline type "${type}"; known pipeline types: traces`);
    const receivers = references(child.get('receivers'), 'receivers', defined);
    const processors = references(child.get('processors'), 'processors', defined);
    const exporters = references(child.get('exporters'), 'exporters', defined);
    if (receivers.length === 0) throw child.error('must have at least one receiver');
    if (exporters.length === 0) throw child.error('must have at least one exporter');
    return { id, receivers, processors, exporters };
  });
  if (pipelines.length === 0) throw node.error('must define at least one pipeline');
  return pipelines;
}

function parseTelemetry(node: ConfigNode): LogLevel | undefined {
  const level = node.get('logs').get('level');
  if (level.absent) return undefined;
  const text = level.string().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(text))
    throw level.error(`"${level.string()}" is not one of ${LOG_LEVELS.join(', ')}`);
  return text as LogLevel;
}
