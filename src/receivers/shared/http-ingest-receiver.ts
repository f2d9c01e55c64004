import type { FastifyInstance } from 'fastify';
import { closeFastify } from '../../net/close-fastify.js';
import type { ListenAddress } from '../../net/listen-address.js';
import { boundAddress, listenFastify } from '../../net/listen-fastify.js';
import type { ReceiverSettings, TracesReceiver } from './receiver-settings.js';

/** The lifecycle every HTTP receiver shares: build its app, listen, report the address, drain on shutdown. */
export abstract class HttpIngestReceiver<
  Config extends { endpoint: ListenAddress },
> implements TracesReceiver {
  abstract readonly component: string;
  private app: FastifyInstance | undefined;
  private stopped = false;

  constructor(
    protected readonly config: Config,
    protected readonly settings: ReceiverSettings,
  ) {}

  /** Builds the app with its routes; called once by `start()`. */
  protected abstract createApp(): Promise<FastifyInstance>;

  async start(): Promise<void> {
    const app = await this.createApp();
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
