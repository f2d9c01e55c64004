/** Set by `tracehouse demo` in the environment of the processes it starts. */
export const DEMO_PARENT_ENV = 'TRACEHOUSE_DEMO_PARENT';

/**
 * Calls `stop` (once) on SIGTERM or SIGINT. Started by `tracehouse demo`, a process behaves a
 * little differently:
 * - Ctrl-C in the terminal reaches every process of the group at once; SIGINT is then ignored and
 *   the demo, which got it too, stops its children one after the other with SIGTERM (load first,
 *   then the caller, then the callee), so no request is cut off half-way;
 * - if the demo dies without stopping us (SIGKILL, a crash), its end of our stdin closes and we
 *   stop, instead of lingering as an orphan that holds its port.
 */
export function onStop(stop: () => void, env: NodeJS.ProcessEnv = process.env): void {
  let stopped = false;
  const once = (): void => {
    if (stopped) return;
    stopped = true;
    stop();
  };
  process.on('SIGTERM', once);
  if (env[DEMO_PARENT_ENV] !== '1') {
    process.on('SIGINT', once);
    return;
  }
  process.on('SIGINT', () => undefined);
  process.stdin.once('end', once);
  process.stdin.resume();
  // Watching stdin must not keep a process alive that has finished (a bounded load generator).
  process.stdin.unref();
}
