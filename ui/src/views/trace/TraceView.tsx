import { useEffect, useMemo } from 'react';
import { ApiError } from '../../api/http';
import { fetchTrace, fetchTraceOutline } from '../../api/native-api';
import { takePrefetched } from '../../api/trace-prefetch';
import { Link } from '../../app/Link';
import { useAfterPaint } from '../../app/use-after-paint';
import { useFetch } from '../../app/use-fetch';
import { ErrorState, Loading } from '../../components/States';
import { decodeCompactTrace } from '../../trace/decode-compact-trace';
import type { Trace } from '../../trace/trace-model';
import { TracePage } from './TracePage';

/**
 * `/trace/<id>`: loads the trace and shows it, or says why not. The outline comes first (what the
 * first frame draws, several times quicker for the server to read); once it is on screen the whole
 * trace is asked for and takes its place, bringing attributes, events and links.
 */
export default function TraceView({ traceId }: { traceId: string }) {
  const result = useFetch(
    `trace:${traceId}`,
    (signal) => takePrefetched(traceId) ?? fetchTraceOutline(traceId, signal),
  );
  const outline = useMemo(() => (result.data ? decodeCompactTrace(result.data) : undefined), [result.data]);
  // Asked for after the outline's frame, so its read and parsing do not hold that frame back.
  const wholeWanted = useAfterPaint(() => outline?.partial === true, [outline]);
  const whole = useFetch(wholeWanted === true ? `trace-whole:${traceId}` : null, (signal) =>
    fetchTrace(traceId, signal),
  );
  const wholeTrace = useMemo(() => (whole.data ? decodeCompactTrace(whole.data) : undefined), [whole.data]);
  const trace = outline?.partial === true ? (wholeTrace ?? outline) : outline;
  useWholeDrawnMark(trace);
  if (result.error) {
    const notFound = result.error instanceof ApiError && result.error.status === 404;
    return (
      <ErrorState
        error={notFound ? new Error(`Trace ${traceId} was not found.`) : result.error}
        retry={result.reload}
        height={400}
      >
        {notFound ? (
          <>
            Its spans may not have arrived yet (they are stored within a couple of seconds), may be older than
            the retention, or may belong to another tenant. <Link href="/search">Search for traces</Link>.
          </>
        ) : (
          'Is Tracehouse running? Try again in a moment.'
        )}
      </ErrorState>
    );
  }
  if (!trace) return <Loading what={`trace ${traceId}`} height={400} />;
  return (
    <TracePage
      trace={trace}
      detailsError={trace.partial === true && whole.error !== undefined ? whole.reload : undefined}
    />
  );
}

/** A mark for bench/ui-bench.ts: the first frame showing the whole trace (not its outline). */
function useWholeDrawnMark(trace: Trace | undefined): void {
  const whole = trace !== undefined && trace.partial !== true;
  useEffect(() => {
    if (!whole || performance.getEntriesByName('trace-whole-drawn').length > 0) return;
    const frame = requestAnimationFrame(() => performance.mark('trace-whole-drawn'));
    return () => cancelAnimationFrame(frame);
  }, [whole]);
}
