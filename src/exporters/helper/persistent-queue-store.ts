import type { ConsumeContext } from '../../consumer/traces-consumer.js';
import type { TracesData } from '../../model/span.js';
import type { ExportPayload } from './queued-retry-exporter.js';
import { decodeExportTraceServiceRequest } from '../../otlp/protobuf/decode-traces.js';
import { exportTraceServiceRequestBytes } from '../../otlp/protobuf/encode-traces.js';
import { WriteAheadLog } from '../../wal/write-ahead-log.js';

/** A batch read back after a restart: decoded, whichever way it was queued (the log holds request bytes). */
export interface StoredItem {
  position: number;
  payload: { readonly kind: 'model'; readonly data: TracesData };
  context: ConsumeContext;
}

/**
 * The disk half of a persistent `sending_queue` (the Collector's `storage` extension + persistent
 * queue), on Tracehouse's write-ahead log: a batch is appended (fsync'ed) before it is
 * acknowledged upstream, and the log's checkpoint advances over the batches sent (or given up
 * on), in order — consumers finish out of order, so only the contiguous done prefix is committed.
 * After a restart, what is past the checkpoint is sent again: at-least-once, as in the Collector.
 */
export class PersistentQueueStore {
  private readonly done = new Set<number>();
  private committed = 0;

  private constructor(private readonly wal: WriteAheadLog) {
    this.committed = wal.stats().flushedPosition;
  }

  static async open(dir: string, maxBytes: number): Promise<PersistentQueueStore> {
    const segmentMaxBytes = Math.min(64 * 1024 * 1024, Math.max(1024 * 1024, Math.floor(maxBytes / 4)));
    return new PersistentQueueStore(
      await WriteAheadLog.open({ dir, maxTotalBytes: maxBytes, segmentMaxBytes }),
    );
  }

  /** Every batch not yet completed, oldest first. */
  async replay(): Promise<StoredItem[]> {
    const out: StoredItem[] = [];
    for await (const record of this.wal.readFrom()) {
      const tenantLength = record.payload.readUInt16BE(0);
      const tenant = record.payload.toString('utf8', 2, 2 + tenantLength);
      const data = decodeExportTraceServiceRequest(record.payload.subarray(2 + tenantLength));
      out.push({ position: record.position, payload: { kind: 'model', data }, context: { tenant } });
    }
    return out;
  }

  /** Logs a batch as its ExportTraceServiceRequest bytes: an undecoded one as it came, a model encoded (or passed through). */
  async append(payload: ExportPayload, context: ConsumeContext): Promise<number> {
    const tenant = Buffer.from(context.tenant, 'utf8');
    const header = Buffer.allocUnsafe(2);
    header.writeUInt16BE(tenant.length, 0);
    const body = payload.kind === 'bytes' ? payload.parts : [exportTraceServiceRequestBytes(payload.data)];
    return this.wal.append(Buffer.concat([header, tenant, ...body]));
  }

  /** Marks a batch finished; commits the log up to the first batch still pending. */
  async complete(position: number): Promise<void> {
    this.done.add(position);
    let next = this.committed;
    while (this.done.delete(next)) next++;
    if (next === this.committed) return;
    this.committed = next;
    await this.wal.commitFlushed(next);
  }

  close(): Promise<void> {
    return this.wal.close();
  }
}
