/** Every listener of `tracehouse start`, on a free loopback port. */
export const LOOPBACK_LISTENERS = [
  '--otlp-grpc',
  '127.0.0.1:0',
  '--otlp-http',
  '127.0.0.1:0',
  '--zipkin',
  '127.0.0.1:0',
  '--http',
  '127.0.0.1:0',
];

/**
 * Waits until a `tracehouse start` child has logged its four 'listening' lines (or `components`
 * of them: a collector listens where its config says) and returns each component's bound address
 * (`otlp-grpc`, `otlp-http`, `zipkin`, `http`). Fails with the log if the process exits or does
 * not start within `timeoutMs`.
 */
export async function listeningAddresses(
  log: () => string,
  exited: () => boolean,
  timeoutMs = 30_000,
  components = 4,
): Promise<Record<string, string>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited()) {
    const found: Record<string, string> = {};
    for (const line of log().split('\n')) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as { msg?: string; component?: string; address?: string };
      if (entry.msg === 'listening' && entry.component && entry.address)
        found[entry.component] = entry.address;
    }
    if (Object.keys(found).length === components) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`tracehouse did not start: ${log()}`);
}
