import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../../logging/logger.js';
import type { TracesData } from '../../model/span.js';
import { encodeExportTraceServiceRequestJson } from '../../otlp/json/encode-traces-json.js';
import { encodeExportTraceServiceRequest } from '../../otlp/protobuf/encode-traces.js';
import type { TracesExporter } from '../traces-exporter.js';
import type { RotationConfig } from './rotating-file.js';
import { folderExists, RotatingFile } from './rotating-file.js';

export interface FileExporterConfig {
  path: string;
  /** Continue an existing file instead of truncating it at start (no rotation). */
  append: boolean;
  /** Undefined when `rotation` was not written: the file is never rotated, as in the Collector. */
  rotation: RotationConfig | undefined;
  format: 'json' | 'proto';
  flushIntervalMs: number;
  /** Create the file's folder at start. */
  createDirectory: boolean;
}

/** Buffered bytes past which a flush starts before the interval is up, bounding memory. */
const FLUSH_AT_BYTES = 4 * 1024 * 1024;

/**
 * The Collector's file exporter: each batch is one `ExportTraceServiceRequest`, as a line of
 * OTLP JSON (`format: json`, which the Collector's otlpjsonfile receiver and our JSON decoder
 * read back) or as protobuf preceded by its length in 4 big-endian bytes (`format: proto`).
 * Records are buffered and written every `flush_interval` (and at shutdown), so a batch is
 * acknowledged once buffered — the Collector's buffered writer does the same.
 */
export class FileExporter implements TracesExporter {
  readonly component = 'file';
  private readonly file: RotatingFile;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly config: FileExporterConfig,
    private readonly logger: Logger,
  ) {
    this.file = new RotatingFile(config.path, config.rotation);
  }

  async start(): Promise<void> {
    if (this.config.createDirectory) await mkdir(dirname(this.config.path), { recursive: true });
    else if (!(await folderExists(this.config.path)))
      throw new Error(`file exporter: folder ${dirname(this.config.path)} does not exist`);
    await this.file.open(this.config.append);
    this.timer = setInterval(() => void this.flush(), this.config.flushIntervalMs);
    this.timer.unref();
  }

  consumeTraces(data: TracesData): Promise<void> {
    if (this.stopping) return Promise.reject(new Error('file exporter is shut down'));
    const record = this.encode(data);
    this.pending.push(record);
    this.pendingBytes += record.length;
    if (this.pendingBytes >= FLUSH_AT_BYTES) void this.flush();
    return Promise.resolve();
  }

  private encode(data: TracesData): Buffer {
    if (this.config.format === 'json')
      return Buffer.from(`${JSON.stringify(encodeExportTraceServiceRequestJson(data))}\n`, 'utf8');
    const message = encodeExportTraceServiceRequest(data);
    const record = Buffer.allocUnsafe(4 + message.length);
    record.writeUInt32BE(message.length, 0);
    message.copy(record, 4);
    return record;
  }

  /** Writes what is buffered, after any write under way; errors are logged (the batches were acknowledged). */
  flush(): Promise<void> {
    if (this.pending.length === 0) return this.writing;
    const records = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.writing = this.writing.then(() =>
      this.file.write(records).catch((error: unknown) => {
        this.logger.error(
          { err: error, path: this.config.path, records: records.length },
          'cannot write spans to the file',
        );
      }),
    );
    return this.writing;
  }

  shutdown(): Promise<void> {
    return (this.stopping ??= (async () => {
      clearInterval(this.timer);
      await this.flush();
      await this.file.close();
    })());
  }
}
