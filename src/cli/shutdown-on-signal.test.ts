import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger.js';
import { ShutdownOnSignal } from './shutdown-on-signal.js';

function setup(): { signals: EventEmitter; exits: number[]; shutdown: ShutdownOnSignal } {
  const signals = new EventEmitter();
  const exits: number[] = [];
  const shutdown = new ShutdownOnSignal(silentLogger(), {
    source: signals,
    exit: (code) => exits.push(code),
  });
  return { signals, exits, shutdown };
}

describe('ShutdownOnSignal', () => {
  it('drains at the first signal after start-up and resolves 0', async () => {
    const { signals, shutdown } = setup();
    let stops = 0;
    const code = shutdown.runUntilSignal(() => {
      stops++;
      return Promise.resolve();
    });
    expect(stops).toBe(0);
    signals.emit('SIGTERM', 'SIGTERM');
    expect(await code).toBe(0);
    expect(stops).toBe(1);
  });

  it('keeps a signal that comes during start-up and drains as soon as start-up is over', async () => {
    const { signals, exits, shutdown } = setup();
    signals.emit('SIGINT', 'SIGINT');
    expect(shutdown.signalled).toBe(true);
    expect(exits).toEqual([]);
    let stops = 0;
    expect(
      await shutdown.runUntilSignal(() => {
        stops++;
        return Promise.resolve();
      }),
    ).toBe(0);
    expect(stops).toBe(1);
  });

  it('exits with 1 at a second signal during a start-up that hangs, after the forced-exit hooks', () => {
    const { signals, exits, shutdown } = setup();
    const order: string[] = [];
    shutdown.onForcedExit(() => order.push(`hook before exit ${exits.length}`));
    signals.emit('SIGTERM', 'SIGTERM');
    expect(exits).toEqual([]);
    signals.emit('SIGTERM', 'SIGTERM');
    expect(order).toEqual(['hook before exit 0']);
    expect(exits).toEqual([1]);
  });

  it('resolves 1 at a second signal while a drain hangs, without exiting the process itself', async () => {
    const { signals, exits, shutdown } = setup();
    let hooks = 0;
    shutdown.onForcedExit(() => hooks++);
    const code = shutdown.runUntilSignal(() => new Promise<void>(() => {}));
    signals.emit('SIGINT', 'SIGINT');
    signals.emit('SIGINT', 'SIGINT');
    expect(await code).toBe(1);
    expect(hooks).toBe(1);
    expect(exits).toEqual([]);
  });

  it('resolves 1 when draining fails', async () => {
    const { signals, shutdown } = setup();
    const code = shutdown.runUntilSignal(() => Promise.reject(new Error('engine gone')));
    signals.emit('SIGTERM', 'SIGTERM');
    expect(await code).toBe(1);
  });

  it('neither drains nor exits after ignoreFurtherSignals', () => {
    const { signals, exits, shutdown } = setup();
    let hooks = 0;
    shutdown.onForcedExit(() => hooks++);
    shutdown.ignoreFurtherSignals();
    for (let i = 0; i < 3; i++) signals.emit('SIGTERM', 'SIGTERM');
    expect(exits).toEqual([]);
    expect(hooks).toBe(0);
  });

  it('stops listening once disposed', () => {
    const { signals, shutdown } = setup();
    shutdown.dispose();
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  });
});
