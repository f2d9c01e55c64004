import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { Attributes } from '@opentelemetry/api';

export interface SpanMetadata {
  /** `deployment.environment`, e.g. `development`, `staging`, `production`. */
  environment: string;
  /** `service.version`. */
  version: string;
  /** `service.instance.id`: one value per running process. */
  instanceId: string;
}

/**
 * Stamps every span, when it starts, with where it was produced. These keys are usually resource
 * attributes; the example puts them on each span too, to show a processor enriching spans in the
 * application — a backend or collector that drops resources (or a query on span attributes only)
 * still sees them. Attributes set by the code later win, because they are set after `onStart`.
 */
export class MetadataSpanProcessor implements SpanProcessor {
  private readonly attributes: Attributes;

  constructor(metadata: SpanMetadata) {
    this.attributes = {
      'deployment.environment': metadata.environment,
      'service.version': metadata.version,
      'service.instance.id': metadata.instanceId,
    };
  }

  onStart(span: Span, _parentContext: Context): void {
    span.setAttributes(this.attributes);
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
