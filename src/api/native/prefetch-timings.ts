/** Server-Timing of reads a page prefetch made, for the request that joins them (kept 10 s). */
export class PrefetchTimings {
  private readonly headers = new Map<string, { header: string; at: number }>();

  put(tenant: string, traceId: string, header: string): void {
    const now = Date.now();
    for (const [key, { at }] of this.headers) if (now - at > 10_000) this.headers.delete(key);
    this.headers.set(`${tenant}\n${traceId}`, { header: `${header}, prefetch;desc="page"`, at: now });
  }

  take(tenant: string, traceId: string): string | undefined {
    const key = `${tenant}\n${traceId}`;
    const entry = this.headers.get(key);
    this.headers.delete(key);
    return entry?.header;
  }
}
