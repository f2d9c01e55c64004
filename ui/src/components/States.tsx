import type { ReactNode } from 'react';

/*
 * Loading, empty and error states. Each keeps the space its content will take (no layout shift)
 * and says what to do next, not only what happened.
 */

export function Loading({ what, height }: { what: string; height?: number }) {
  return (
    <div
      className="state loading"
      style={height ? { minHeight: height } : undefined}
      role="status"
      aria-live="polite"
    >
      <span className="spinner" aria-hidden /> Loading {what}…
    </div>
  );
}

export function Empty({ title, children, height }: { title: string; children?: ReactNode; height?: number }) {
  return (
    <div className="state empty" style={height ? { minHeight: height } : undefined}>
      <strong>{title}</strong>
      {children && <div className="hint">{children}</div>}
    </div>
  );
}

export function ErrorState({
  error,
  retry,
  children,
  height,
}: {
  error: Error;
  retry?: () => void;
  children?: ReactNode;
  height?: number;
}) {
  return (
    <div className="state error" role="alert" style={height ? { minHeight: height } : undefined}>
      <strong>{error.message}</strong>
      {children && <div className="hint">{children}</div>}
      {retry && (
        <button className="ghost" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}
