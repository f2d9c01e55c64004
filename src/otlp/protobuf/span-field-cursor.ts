import { countSpans } from '../../model/factories.js';
import type { SpanFields } from '../../model/request-bytes.js';
import { requestBytesOf, spanFieldsOf } from '../../model/request-bytes.js';
import type { TracesData } from '../../model/span.js';
import type { EncodedSpan } from './encode-traces.js';

/**
 * Steps through the spans of a batch that carries its request bytes and where its spans lie in
 * them (model/request-bytes.ts), in the order the model lists them: after `next()`, `bytes[start,
 * end)` is the next span's `ScopeSpans.spans` field. One object a batch, no allocation a span.
 */
export class SpanFieldCursor implements EncodedSpan {
  bytes: Buffer;
  start = 0;
  end = 0;
  private part = 0;
  /** Index in `fields[part]` of the next span's start. */
  private at = 0;

  private constructor(
    private readonly parts: readonly Buffer[],
    private readonly fields: readonly SpanFields[],
  ) {
    this.bytes = parts[0];
  }

  /**
   * A cursor over the bytes attached to `data` when they come with where its spans lie in them,
   * and locate exactly its spans; otherwise undefined, so the caller encodes. A count that differs
   * would mean bytes attached to a changed batch, which model/request-bytes.ts rules out; the
   * check costs a pass over the parts' field lists and the batch's scopes.
   */
  static over(data: TracesData): SpanFieldCursor | undefined {
    const parts = requestBytesOf(data);
    const fields = spanFieldsOf(data);
    if (parts === undefined || fields === undefined || fields.length !== parts.length) return undefined;
    let located = 0;
    for (const list of fields) located += list.length / 2;
    return located > 0 && located === countSpans(data) ? new SpanFieldCursor(parts, fields) : undefined;
  }

  next(): void {
    while (this.at >= this.fields[this.part].length) {
      this.part++;
      this.at = 0;
      this.bytes = this.parts[this.part];
    }
    const list = this.fields[this.part];
    this.start = list[this.at];
    this.end = list[this.at + 1];
    this.at += 2;
  }
}
