/**
 * Tracehouse's own metrics, written in the Prometheus text exposition format 0.0.4 (what Tempo,
 * the Collector and every Prometheus client serve on `/metrics`). Hand-written rather than a
 * dependency: three instrument types and a renderer are all `/metrics` needs. Label sets are kept
 * in a Map keyed by their joined values, so an update is one lookup — cheap enough to call per
 * request (never per span).
 */

type LabelValues<L extends string> = Readonly<Record<L, string>>;

interface Instrument {
  readonly name: string;
  render(out: string[]): void;
}

const KEY_SEPARATOR = '\u0000';

function keyOf<L extends string>(labelNames: readonly L[], labels: LabelValues<L>): string {
  if (labelNames.length === 0) return '';
  let key = labels[labelNames[0]];
  for (let i = 1; i < labelNames.length; i++) key += KEY_SEPARATOR + labels[labelNames[i]];
  return key;
}

/** `{a="x",b="y"}` with the format's escapes (backslash, double quote, newline). */
function labelText(names: readonly string[], values: readonly string[], extra = ''): string {
  const parts = names.map((n, i) => `${n}="${escapeLabel(values[i] ?? '')}"`);
  if (extra !== '') parts.push(extra);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function number(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function header(out: string[], name: string, help: string, type: string): void {
  out.push(`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`);
}

/** A monotonically increasing count (`_total` by convention). */
export class Counter<L extends string = never> implements Instrument {
  private readonly values = new Map<string, { labels: string[]; value: number }>();

  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly labelNames: readonly L[],
  ) {}

  inc(labels: LabelValues<L>, by = 1): void {
    if (by <= 0) return;
    const key = keyOf(this.labelNames, labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels: this.labelNames.map((n) => labels[n]), value: by });
  }

  /** The current value for a label set (0 when never incremented): for tests and diagnostics. */
  get(labels: LabelValues<L>): number {
    return this.values.get(keyOf(this.labelNames, labels))?.value ?? 0;
  }

  render(out: string[]): void {
    header(out, this.name, this.help, 'counter');
    for (const { labels, value } of this.values.values())
      out.push(`${this.name}${labelText(this.labelNames, labels)} ${number(value)}`);
  }
}

/** A value read when scraped, from the callback of whoever owns it (memory, log size). */
export class Gauge implements Instrument {
  private source: (() => number) | undefined;

  constructor(
    readonly name: string,
    private readonly help: string,
    source?: () => number,
  ) {
    this.source = source;
  }

  /**
   * Makes `source` the value's owner; the returned function detaches it again (only if it is
   * still the owner), so a component's shutdown does not clear a newer component's gauge.
   */
  collectFrom(source: () => number): () => void {
    this.source = source;
    return () => {
      if (this.source === source) this.source = undefined;
    };
  }

  render(out: string[]): void {
    if (!this.source) return;
    header(out, this.name, this.help, 'gauge');
    out.push(`${this.name} ${number(this.source())}`);
  }
}

/** Prometheus client libraries' default buckets, in seconds, with 30 and 60 for slow queries. */
export const DEFAULT_SECONDS_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

interface HistogramSeries {
  labels: string[];
  counts: number[];
  sum: number;
  count: number;
}

/** Observations in cumulative buckets, with `_sum` and `_count`, as Prometheus histograms are. */
export class Histogram<L extends string = never> implements Instrument {
  private readonly series = new Map<string, HistogramSeries>();

  constructor(
    readonly name: string,
    private readonly help: string,
    private readonly labelNames: readonly L[],
    private readonly buckets: readonly number[] = DEFAULT_SECONDS_BUCKETS,
  ) {}

  observe(labels: LabelValues<L>, value: number): void {
    const key = keyOf(this.labelNames, labels);
    let s = this.series.get(key);
    if (!s) {
      s = {
        labels: this.labelNames.map((n) => labels[n]),
        counts: this.buckets.map(() => 0),
        sum: 0,
        count: 0,
      };
      this.series.set(key, s);
    }
    // Each observation lands in its first bucket; rendering accumulates.
    const i = this.buckets.findIndex((bound) => value <= bound);
    if (i >= 0) s.counts[i]++;
    s.sum += value;
    s.count++;
  }

  /** How many observations a label set has (for tests and diagnostics). */
  count(labels: LabelValues<L>): number {
    return this.series.get(keyOf(this.labelNames, labels))?.count ?? 0;
  }

  render(out: string[]): void {
    header(out, this.name, this.help, 'histogram');
    for (const s of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.buckets.length; i++) {
        cumulative += s.counts[i];
        const le = `le="${number(this.buckets[i])}"`;
        out.push(`${this.name}_bucket${labelText(this.labelNames, s.labels, le)} ${cumulative}`);
      }
      out.push(`${this.name}_bucket${labelText(this.labelNames, s.labels, 'le="+Inf"')} ${s.count}`);
      out.push(`${this.name}_sum${labelText(this.labelNames, s.labels)} ${number(s.sum)}`);
      out.push(`${this.name}_count${labelText(this.labelNames, s.labels)} ${s.count}`);
    }
  }
}

/** The Content-Type of the text format (Prometheus "Exposition formats", text 0.0.4). */
export const PROMETHEUS_TEXT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** A set of instruments rendered together, each name once. */
export class MetricsRegistry {
  private readonly instruments: Instrument[] = [];

  counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return this.add(new Counter<L>(name, help, labelNames));
  }

  gauge(name: string, help: string, source?: () => number): Gauge {
    return this.add(new Gauge(name, help, source));
  }

  histogram<L extends string = never>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    buckets?: readonly number[],
  ): Histogram<L> {
    return this.add(new Histogram<L>(name, help, labelNames, buckets));
  }

  private add<T extends Instrument>(instrument: T): T {
    if (this.instruments.some((i) => i.name === instrument.name))
      throw new Error(`metric ${instrument.name} is registered twice`);
    this.instruments.push(instrument);
    return instrument;
  }

  /** The whole exposition, ending with a newline as the format requires. */
  render(): string {
    const out: string[] = [];
    for (const instrument of this.instruments) instrument.render(out);
    return out.length === 0 ? '' : `${out.join('\n')}\n`;
  }
}
