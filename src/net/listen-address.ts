/** A `HOST:PORT` listen address, as the CLI flags and the config take it. */
export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * Parses `HOST:PORT`, `:PORT` (all interfaces) or `[v6]:PORT`. Throws with a message naming
 * the offending text.
 */
export function parseListenAddress(text: string, what: string): ListenAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]*)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new Error(
      `${what}: "${text}" is not a listen address: expected HOST:PORT, e.g. 0.0.0.0:4317 or :4317`,
    );
  }
  const host = match[1] ?? (match[2] === '' ? '0.0.0.0' : match[2]);
  return { host, port };
}

export function formatListenAddress(address: ListenAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** Raised when a listener cannot bind: one line, naming the address and the component. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}

export function listenErrorFor(component: string, address: ListenAddress, error: unknown): ListenError {
  const text = error instanceof Error ? error.message : String(error);
  const reason = /EADDRINUSE/.test(text)
    ? 'address already in use'
    : /EACCES/.test(text)
      ? 'permission denied'
      : /EADDRNOTAVAIL|ENOTFOUND|EAI_AGAIN/.test(text)
        ? 'address not available on this machine'
        : text;
  return new ListenError(`cannot listen on ${formatListenAddress(address)} for ${component}: ${reason}`);
}
