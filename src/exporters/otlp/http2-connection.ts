import { connect } from 'node:http2';
import type { ClientHttp2Session, SecureClientSessionOptions } from 'node:http2';
import type { Socket } from 'node:net';
import type { Logger } from '../../logging/logger.js';
import type { ClientTlsConfig } from '../helper/client-config.js';

/**
 * Receive window for the session and each stream. Responses are small, so this matters little
 * for an exporter; it spares WINDOW_UPDATE round trips when a server answers with something big.
 */
const WINDOW_BYTES = 8 << 20;

/**
 * Node's default cap on a session's memory (10 MB, counting data queued to send) refuses new
 * streams with ENHANCE_YOUR_CALM once a few 800 KB batches are in flight; the sending queue
 * already bounds what an exporter has in flight, so the cap only gets in the way (grpc-js lifts
 * it for the same reason). In megabytes.
 */
const MAX_SESSION_MEMORY_MB = 1 << 20;

/** How often a closing session is checked for the end of its calls. */
const RETIRE_CHECK_MS = 100;

/** How long `probe()` waits for the PING acknowledgement before giving up on the connection. */
const PING_TIMEOUT_MS = 5000;

/**
 * One HTTP/2 connection to a gRPC server, dialled lazily: `session()` hands out the open session
 * or dials a new one when there is none, or the last one closed, failed or was told to go away
 * (GOAWAY: calls already on it finish there, new ones go to the new session). A failed dial
 * fails the calls waiting on it; the next call dials again.
 */
export class Http2Connection {
  private current: ClientHttp2Session | undefined;
  /** The current session's socket, once connected. */
  private socketOf: () => Socket | undefined = () => undefined;
  private stopped = false;
  private readonly authority: string;

  constructor(
    target: string,
    private readonly tls: ClientTlsConfig,
    private readonly logger: Logger,
    private readonly pingTimeoutMs = PING_TIMEOUT_MS,
  ) {
    this.authority = `${tls.insecure ? 'http' : 'https'}://${target}`;
  }

  /** An open session, or undefined once shut down. */
  session(): ClientHttp2Session | undefined {
    if (this.stopped) return undefined;
    const current = this.current;
    if (current && !current.closed && !current.destroyed) return current;
    const session = connect(this.authority, this.options());
    let socket: Socket | undefined;
    const forget = (): void => {
      if (this.current === session) this.current = undefined;
    };
    // 'connect' is emitted a tick late: the session may be gone by then (probe, shutdown).
    session.on('connect', (_session: ClientHttp2Session, connected: Socket) => {
      socket = connected;
      if (!session.destroyed) session.setLocalWindowSize(WINDOW_BYTES);
    });
    session.on('goaway', () => {
      forget();
      retire(session, socket);
    });
    session.on('close', forget);
    // Without a listener a session error would crash the process; the calls on it see it too.
    session.on('error', (error: Error) => {
      forget();
      this.logger.debug({ err: error, target: this.authority }, 'gRPC connection failed');
    });
    this.current = session;
    this.socketOf = () => socket;
    return session;
  }

  private options(): SecureClientSessionOptions {
    const { tls } = this;
    const options: SecureClientSessionOptions = {
      settings: { enablePush: false, initialWindowSize: WINDOW_BYTES },
      maxSessionMemory: MAX_SESSION_MEMORY_MB,
    };
    if (tls.insecure) return options;
    return {
      ...options,
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      rejectUnauthorized: !tls.insecureSkipVerify,
      // configtls `server_name_override`: the name sent in SNI and checked against the certificate.
      ...(tls.serverNameOverride ? { servername: tls.serverNameOverride } : {}),
    };
  }

  /**
   * Checks the connection after a call ran out of time. A peer that vanished without FIN or RST
   * (a NAT or firewall that dropped the flow) would otherwise time out every call for as long as
   * TCP keeps retransmitting, since nothing else probes the connection (gRPC clients send no
   * keepalive by default). A PING left unanswered drops it, and so does a dial that took longer
   * than a whole call: the next call dials again.
   */
  probe(): void {
    const session = this.current;
    if (!session || session.destroyed || session.closed) return;
    if (session.connecting) return session.destroy();
    const timer = setTimeout(() => session.destroy(), this.pingTimeoutMs).unref();
    const sent = session.ping((error) => {
      clearTimeout(timer);
      if (error) session.destroy();
    });
    if (!sent) clearTimeout(timer); // PINGs already outstanding: one of them is probing
  }

  /** Closes the session once the calls on it are done; a dial still under way is abandoned. */
  shutdown(): Promise<void> {
    this.stopped = true;
    const session = this.current;
    this.current = undefined;
    if (!session) return Promise.resolve();
    return new Promise((resolve) => {
      session.once('close', () => resolve());
      if (session.connecting) session.destroy();
      else retire(session, this.socketOf());
    });
  }
}

/**
 * Closes a session once the calls on it are done, socket included. Node closes the session then
 * but only half-closes its socket, waiting for the server's FIN; a server that keeps connections
 * after a GOAWAY (the test servers here; some proxies) would never send it, and every GOAWAY
 * would leave a socket open for good. So the socket is destroyed once the session is.
 */
function retire(session: ClientHttp2Session, socket: Socket | undefined): void {
  session.close();
  const check = setInterval(() => {
    if (!session.destroyed) return;
    clearInterval(check);
    socket?.destroy();
  }, RETIRE_CHECK_MS).unref();
  session.once('close', () => clearInterval(check));
}
