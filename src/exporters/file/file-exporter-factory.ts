import type { ExporterFactory } from '../../pipeline/component-factory.js';
import type { ConfigNode } from '../../pipeline/config-node.js';
import type { FileExporterConfig } from './file-exporter.js';
import { FileExporter } from './file-exporter.js';
import type { RotationConfig } from './rotating-file.js';

const MIB = 1024 * 1024;

/**
 * The Collector `file` exporter. Defaults as there: `format: json`, `flush_interval: 1s`,
 * `append: false`; `rotation` only when written, with `max_megabytes` 100, `max_backups` 100,
 * `max_days` 0 (no age limit), `localtime` false. `compression` (zstd in the Collector) and
 * `group_by` are not offered.
 */
export const fileExporterFactory: ExporterFactory<FileExporterConfig> = {
  type: 'file',
  createDefaultConfig: () => ({
    path: '',
    append: false,
    rotation: undefined,
    format: 'json',
    flushIntervalMs: 1000,
    createDirectory: false,
  }),
  parseConfig(node: ConfigNode): FileExporterConfig {
    const path = node.get('path');
    if (path.string('') === '') throw path.error('is required: the file to write to');
    const rotationNode = node.get('rotation');
    const rotation = node.has('rotation') ? parseRotation(rotationNode) : undefined;
    const append = node.get('append');
    if (append.bool(false) && rotation)
      throw append.error('append and rotation cannot be used together (as in the Collector)');
    const compression = node.get('compression');
    if (!compression.absent && compression.string() !== '')
      throw compression.error('is not supported: Tracehouse writes the file uncompressed');
    // 0 means the default, as in the Collector.
    const flush = node.get('flush_interval').duration(1000, { min: 0 });
    return {
      path: path.string(),
      append: append.bool(false),
      rotation,
      format: node.get('format').oneOf(['json', 'proto'] as const, 'json'),
      flushIntervalMs: flush === 0 ? 1000 : flush,
      createDirectory: node.get('create_directory').bool(false),
    };
  },
  createTraces: (settings, config) => new FileExporter(config, settings.logger),
};

function parseRotation(node: ConfigNode): RotationConfig {
  const whole = { min: 0, integer: true };
  const megabytes = node.get('max_megabytes').number(100, whole);
  return {
    // lumberjack reads 0 as its default, 100.
    maxBytes: (megabytes === 0 ? 100 : megabytes) * MIB,
    maxDays: node.get('max_days').number(0, whole),
    maxBackups: node.get('max_backups').number(100, whole),
    localTime: node.get('localtime').bool(false),
  };
}
