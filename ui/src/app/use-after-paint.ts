import { useEffect, useState } from 'react';

/**
 * `compute()`'s value, computed after the frame that shows what the caller renders without it:
 * for what can appear a moment later (the critical path of a 100,000-span trace takes ~0.1 s)
 * rather than hold back the first view. Undefined until then, and again while new `deps` wait.
 */
export function useAfterPaint<T>(compute: () => T, deps: readonly unknown[]): T | undefined {
  const [state, setState] = useState<{ deps: readonly unknown[]; value: T } | undefined>(undefined);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // requestAnimationFrame runs just before the frame is painted; the timeout, just after it.
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setState({ deps, value: compute() }), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
    // The caller's deps are this effect's deps, as with useMemo.
  }, deps);
  return state !== undefined && sameDeps(state.deps, deps) ? state.value : undefined;
}

function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}
