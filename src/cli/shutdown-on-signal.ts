import type { Logger } from '../logging/logger.js';

/** Where signals come from: `process`, or an emitter in tests. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface ShutdownOnSignalOptions {
  /** Default: `process`. */
  source?: SignalSource;
  /** Exits the process at a second signal during start-up. Default: `process.exit`. */
  exit?: (code: number) => void;
}

/**
 * SIGINT/SIGTERM for the long-running commands (`start`, `collector`, `demo`), installed before
 * anything opens or listens. Installed after start-up, a signal that came between a receiver's
 * 'listening' line and the handlers met the default action: the process died undrained (with
 * nothing lost, as the log holds what was acknowledged, but exited by signal, not 0).
 *
 * The first signal drains: at once once start-up is over, or when it ends if it is still going
 * (a replay of the log can take a while). A second signal exits with 1 without draining, also
 * during a start-up that hangs.
 */
export class ShutdownOnSignal {
  private signals = 0;
  private running?: { stop: () => Promise<void>; resolve: (code: number) => void };
  private readonly forcedExitHooks: (() => void)[] = [];
  private readonly exit: (code: number) => void;
  private readonly source: SignalSource;

  constructor(
    private readonly logger: Logger,
    options: ShutdownOnSignalOptions = {},
  ) {
    this.exit = options.exit ?? ((code) => process.exit(code));
    this.source = options.source ?? process;
    this.source.on('SIGINT', this.onSignal);
    this.source.on('SIGTERM', this.onSignal);
  }

  /** Whether a signal has come. */
  get signalled(): boolean {
    return this.signals > 0;
  }

  /** Runs before a second signal exits (the demo kills its child processes). */
  onForcedExit(hook: () => void): void {
    this.forcedExitHooks.push(hook);
  }

  /**
   * Start-up is over: resolves 0 once `stop` has drained after the first signal (at once if that
   * signal came during start-up), or 1 at a second signal.
   */
  runUntilSignal(stop: () => Promise<void>): Promise<number> {
    return new Promise<number>((resolve) => {
      this.running = { stop, resolve };
      if (this.signals === 1) {
        this.logger.info('start-up over: draining accepted requests');
        this.drain();
      }
    });
  }

  /** The command ends on its own (its exit is under way): later signals change nothing. */
  ignoreFurtherSignals(): void {
    this.forcedExitHooks.length = 0;
    this.running = { stop: () => Promise.resolve(), resolve: () => undefined };
  }

  /** Removes the handlers. */
  dispose(): void {
    this.source.off('SIGINT', this.onSignal);
    this.source.off('SIGTERM', this.onSignal);
  }

  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.signals++;
    if (this.signals > 1) {
      this.logger.warn({ signal }, 'second signal: exiting without draining');
      for (const hook of this.forcedExitHooks) hook();
      if (this.running) this.running.resolve(1);
      else this.exit(1);
      return;
    }
    if (this.running) {
      this.logger.info({ signal }, 'shutting down: draining accepted requests');
      this.drain();
    } else {
      this.logger.info(
        { signal },
        'signal during start-up: shutting down once it is over (signal again to exit now)',
      );
    }
  };

  private drain(): void {
    const running = this.running;
    if (!running) return;
    running.stop().then(
      () => {
        this.logger.info('stopped');
        running.resolve(0);
      },
      (error: unknown) => {
        this.logger.error({ err: error }, 'shutting down failed');
        running.resolve(1);
      },
    );
  }
}
