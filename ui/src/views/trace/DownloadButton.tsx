import { useState } from 'react';
import { fetchTraceOtlpJson } from '../../api/native-api';

/**
 * "Download JSON": the trace as standard OTLP/JSON, fetched when asked for — the view itself reads
 * the compact form, and a 100,000-span trace's OTLP/JSON is ~50 MB that most visits never need.
 */
export function DownloadButton({ traceId }: { traceId: string }) {
  const [state, setState] = useState<'idle' | 'loading' | 'failed'>('idle');
  const download = async (): Promise<void> => {
    setState('loading');
    try {
      const text = await fetchTraceOtlpJson(traceId);
      const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `trace-${traceId}.json`;
      a.click();
      window.setTimeout(() => URL.revokeObjectURL(url), 1000);
      setState('idle');
    } catch {
      setState('failed');
    }
  };
  return (
    <button
      onClick={() => void download()}
      disabled={state === 'loading'}
      title="The trace as OTLP/JSON, exactly as the API returns it"
    >
      {state === 'loading' ? 'Downloading…' : state === 'failed' ? 'Download failed: retry' : 'Download JSON'}
    </button>
  );
}
