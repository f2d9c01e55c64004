import { useMemo } from 'react';
import { ApiError } from '../../api/http';
import { fetchTrace } from '../../api/native-api';
import { takePrefetched } from '../../api/trace-prefetch';
import { Link } from '../../app/Link';
import { useFetch } from '../../app/use-fetch';
import { ErrorState, Loading } from '../../components/States';
import { decodeCompactTrace } from '../../trace/decode-compact-trace';
import { TracePage } from './TracePage';

/** `/trace/<id>`: loads the trace (the native API's compact form) and shows it, or says why not. */
export default function TraceView({ traceId }: { traceId: string }) {
  const result = useFetch(
    `trace:${traceId}`,
    (signal) => takePrefetched(traceId) ?? fetchTrace(traceId, signal),
  );
  const trace = useMemo(() => (result.data ? decodeCompactTrace(result.data) : undefined), [result.data]);
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
  return <TracePage trace={trace} />;
}
