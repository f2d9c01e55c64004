import type { FastifyInstance } from 'fastify';
import { closeFastify } from '../../net/close-fastify.js';
import type { ListenAddress } from '../../net/listen-address.js';
import { boundAddress, listenFastify } from '../../net/listen-fastify.js';
import type { TlsServerCredentials, TlsServerFiles } from '../../net/tls-credentials.js';
import { loadTlsServerCredentials } from '../../net/tls-credentials.js';
import type { ReceiverSettings, TracesReceiver } from './receiver-settings.js';

/** The lifecycle every HTTP receiver shares: build its app, listen, report the address, drain on shutdown. */
export abstract class HttpIngestReceiver<
  Config extends { endpoint: ListenAddress; tls?: TlsServerFiles },
> implements TracesReceiver {
  abstract readonly component: string;
  private app: FastifyInstance | undefined;
  private stopped = false;

  constructor(
    protected readonly config: Config,
    protected readonly settings: ReceiverSettings,
  ) {}

  /** Builds the app with its routes (over HTTPS when `tls` is given); called once by `start()`. */
  protected abstract createApp(tls: TlsServerCredentials | undefined): Promise<FastifyInstance>;

  async start(): Promise<void> {
    const { tls, endpoint } = this.config;
    const credentials = tls ? await loadTlsServerCredentials(tls, this.component, endpoint) : undefined;
    const app = await this.createApp(credentials);
    await listenFastify(app, this.config.endpoint, this.component);
    this.app = app;
  }

  address(): string {
    return boundAddress(this.app, this.config.endpoint);
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.app) await closeFastify(this.app);
  }
}
