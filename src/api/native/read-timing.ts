/**
 * Server-Timing (W3C) of one trace read: `query` (ClickHouse's answer), `read` (that, then the
 * compact form's columns built) and `encode` (JSON text), measured from construction. A read
 * answered from the cache or shared with another request ran none of the marks and reports only
 * `read`, with `desc="cached"`. It shows where a slow trace's time went, in the browser's dev
 * tools and to bench/ui-bench.ts; compression is timed separately by sendJson.
 */
export class ReadTiming {
  private readonly start = performance.now();
  private queried = 0;
  /** Set once this timing's own build ran (not when the read was shared or cached). */
  built = 0;
  private encoded = 0;

  /** `suffix`: a last entry naming the kind of read (e.g. `outline`). */
  constructor(private readonly suffix = '') {}

  answered(): void {
    this.queried = performance.now();
  }

  /** Marks `build` as the build step and the JSON text of its result as the encode step. */
  buildJson(build: () => unknown): string {
    const value = build();
    this.built = performance.now();
    const json = JSON.stringify(value);
    this.encoded = performance.now();
    return json;
  }

  header(): string {
    const ms = (from: number, to: number): string => (to - from).toFixed(1);
    if (this.encoded === 0) return `read;dur=${ms(this.start, performance.now())};desc="cached"`;
    return (
      `query;dur=${ms(this.start, this.queried)}, read;dur=${ms(this.start, this.built)}, ` +
      `encode;dur=${ms(this.built, this.encoded)}${this.suffix ? `, ${this.suffix}` : ''}`
    );
  }
}
