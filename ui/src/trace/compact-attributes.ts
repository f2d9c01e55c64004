import type { CompactValue } from './compact-format';
import type { AnyValueJson, KeyValueJson } from './otlp-json';

/**
 * The compact form's dictionaries, turned into the OTLP/JSON shapes the side panel and find-in-trace
 * read. Values become AnyValue objects only when first asked for, and each once: a trace of 100,000
 * spans with 400,000 attributes allocates nothing for them until someone looks.
 */
export class CompactAttributes {
  private readonly decoded: (AnyValueJson | undefined)[];

  constructor(
    readonly strings: readonly string[],
    private readonly values: readonly CompactValue[],
  ) {
    this.decoded = new Array<AnyValueJson | undefined>(values.length);
  }

  value(index: number): AnyValueJson {
    let value = this.decoded[index];
    if (value === undefined) {
      const raw = this.values[index];
      value = typeof raw === 'string' ? { stringValue: raw } : raw;
      this.decoded[index] = value;
    }
    return value;
  }

  /** `[key, value, key, value, …]` from `from` (inclusive) to `to` (exclusive) of `pairs`. */
  list(pairs: readonly number[], from = 0, to = pairs.length): KeyValueJson[] {
    const out = new Array<KeyValueJson>((to - from) >> 1);
    for (let i = from, k = 0; i < to; i += 2, k++)
      out[k] = { key: this.strings[pairs[i]], value: this.value(pairs[i + 1]) };
    return out;
  }
}
