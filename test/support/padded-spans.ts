import type { TracesData } from '../../src/model/span.js';
import { oneSpanRequest } from './one-span-request.js';

/**
 * Test support: `count` spans of one trace, ~2 KB each (a 2,000-byte attribute), so that a few
 * dozen fill a small flush or log in the store exporter's tests.
 */
export function paddedSpans(traceId: string, count: number): TracesData {
  const [resourceSpans] = oneSpanRequest({
    traceId,
    attributes: [{ key: 'padding', value: 'x'.repeat(2000) }],
  });
  const [template] = resourceSpans.scopeSpans[0].spans;
  resourceSpans.scopeSpans[0].spans = Array.from({ length: count }, (_, i) => ({
    ...template,
    spanId: (i + 1).toString(16).padStart(16, '0'),
  }));
  return [resourceSpans];
}

/** Polls `condition` every 10 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
