/**
 * A statement that cannot run on this span (a map function whose target holds no map). What
 * happens next is the processor's `error_mode`, as in the Collector: propagate, ignore or silent.
 */
export class OttlRuntimeError extends Error {
  override readonly name = 'OttlRuntimeError';
}
