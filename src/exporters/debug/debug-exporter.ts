import type { Writable } from 'node:stream';
import type { ConsumeContext } from '../../consumer/traces-consumer.js';
import type { TracesData } from '../../model/span.js';
import { countSpans } from '../../model/factories.js';
import type { TracesExporter } from '../traces-exporter.js';
import { formatSpanDetailed, formatSpanLine } from './format-span.js';

/** The Collector debug exporter's verbosity levels. */
export type DebugVerbosity = 'basic' | 'normal' | 'detailed';

export interface DebugExporterConfig {
  verbosity: DebugVerbosity;
}

/**
 * Prints received spans, like the OpenTelemetry Collector's `debug` exporter: `basic` a line per
 * batch, `normal` a line per span, `detailed` every field of every span.
 */
export class DebugExporter implements TracesExporter {
  readonly component = 'debug';

  constructor(
    private readonly config: DebugExporterConfig,
    private readonly out: Writable = process.stdout,
  ) {}

  async start(): Promise<void> {}

  consumeTraces(data: TracesData, context: ConsumeContext): Promise<void> {
    const spans = countSpans(data);
    const chunks = [`Traces: ${data.length} resource spans, ${spans} spans (tenant ${context.tenant})\n`];
    if (this.config.verbosity !== 'basic') {
      for (const rs of data) {
        for (const ss of rs.scopeSpans) {
          for (const span of ss.spans) {
            chunks.push(
              this.config.verbosity === 'detailed'
                ? `${formatSpanDetailed(span, rs.resource, ss.scope)}\n`
                : `${formatSpanLine(span, rs.resource)}\n`,
            );
          }
        }
      }
    }
    const text = chunks.join('');
    // Wait for the stream when it is full: a slow terminal then slows the senders, not memory.
    return new Promise<void>((resolve) => {
      if (this.out.write(text)) resolve();
      else this.out.once('drain', resolve);
    });
  }

  async shutdown(): Promise<void> {}
}
