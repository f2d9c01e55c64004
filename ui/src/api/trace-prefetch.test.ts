import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchTraceOutline } from './native-api';
import type { EarlyTraceRequest } from './trace-prefetch';
import { prefetchTrace, takePrefetched } from './trace-prefetch';

/** index.html's early-request script, as the browser runs it. */
const EARLY_SCRIPT = (() => {
  const html = readFileSync(new URL('../../index.html', import.meta.url), 'utf8');
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  const script = scripts.find((text) => text.includes('tracehouseTraceRequest'));
  if (script === undefined) throw new Error('index.html has no early trace request script');
  return script;
})();

interface Requested {
  url: string;
  headers: Record<string, string>;
}

/** Runs the script at `path` with a recording fetch: what it asked for and what it left behind. */
function runEarlyScript(path: string): { requests: Requested[]; preloads: string[]; window: Window } {
  const url = new URL(path, 'http://tracehouse.test');
  const requests: Requested[] = [];
  const preloads: string[] = [];
  const window = {} as Window;
  runInNewContext(EARLY_SCRIPT, {
    window,
    location: { pathname: url.pathname, search: url.search },
    URLSearchParams,
    fetch: (target: string, init: { headers: Record<string, string> }) => {
      requests.push({ url: target, headers: init.headers });
      return Promise.resolve(new Response('{}'));
    },
    document: {
      createElement: () => ({}),
      head: {
        appendChild: (link: { rel: string; href: string }) => preloads.push(`${link.rel} ${link.href}`),
      },
    },
  });
  return { requests, preloads, window };
}

/** What fetchTraceOutline asks for, with the page at `path`. */
async function fetchTraceRequest(path: string, traceId: string): Promise<Requested> {
  const url = new URL(path, 'http://tracehouse.test');
  const requests: Requested[] = [];
  vi.stubGlobal('window', { location: { pathname: url.pathname, search: url.search } });
  vi.stubGlobal('fetch', (target: string, init: { headers: Record<string, string> }) => {
    requests.push({ url: target, headers: init.headers });
    return Promise.resolve(new Response('{}'));
  });
  await fetchTraceOutline(traceId);
  return requests[0];
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("index.html's early trace request", () => {
  it('asks for the outline exactly as fetchTraceOutline would, tenant included', async () => {
    for (const [path, traceId] of [
      ['/trace/5B8EFFF798038103D269B633813FC60C', '5b8efff798038103d269b633813fc60c'],
      ['/trace/abc/?tenant=team-billing', '00000000000000000000000000000abc'],
      ['/trace/abc?span=01&tenant=', '00000000000000000000000000000abc'],
    ]) {
      const { requests, window } = runEarlyScript(path);
      expect(requests, path).toEqual([await fetchTraceRequest(path, traceId)]);
      const tenant = new URL(path, 'http://x').searchParams.get('tenant') ?? '';
      expect(window.tracehouseTraceRequest).toMatchObject({ traceId, tenant });
    }
  });

  it('asks for nothing on other pages', () => {
    for (const path of ['/', '/search?q=%7B%7D', '/trace/not-hex', '/trace/1/2', '/services']) {
      const { requests, preloads, window } = runEarlyScript(path);
      expect(requests, path).toEqual([]);
      expect(preloads, path).toEqual([]);
      expect(window.tracehouseTraceRequest, path).toBeUndefined();
    }
  });
});

describe('prefetchTrace', () => {
  const traceId = '5b8efff798038103d269b633813fc60c';
  const early = (tenant: string, body: unknown): EarlyTraceRequest => ({
    traceId,
    tenant,
    response: Promise.resolve(new Response(JSON.stringify(body))),
  });

  it("takes index.html's request for the same trace and tenant instead of asking again", async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    vi.stubGlobal('window', {
      location: { pathname: `/trace/${traceId}`, search: '?tenant=team-a' },
      tracehouseTraceRequest: early('team-a', { early: true }),
    });
    prefetchTrace(traceId);
    expect(await takePrefetched(traceId)).toEqual({ early: true });
    expect(fetch).not.toHaveBeenCalled();
  });

  it("asks afresh when index.html's request was for another tenant", async () => {
    const fetch = vi.fn(() => Promise.resolve(new Response('{"fresh":true}')));
    vi.stubGlobal('fetch', fetch);
    vi.stubGlobal('window', {
      location: { pathname: `/trace/${traceId}`, search: '?tenant=team-b' },
      tracehouseTraceRequest: early('team-a', { early: true }),
    });
    prefetchTrace(traceId);
    expect(await takePrefetched(traceId)).toEqual({ fresh: true });
    expect(fetch).toHaveBeenCalledOnce();
  });

  it("reports the server's error for index.html's request as for any other", async () => {
    vi.stubGlobal('window', {
      location: { pathname: `/trace/${traceId}`, search: '' },
      tracehouseTraceRequest: {
        traceId,
        tenant: '',
        response: Promise.resolve(new Response('trace not found', { status: 404 })),
      },
    });
    prefetchTrace(traceId);
    await expect(takePrefetched(traceId)).rejects.toMatchObject({ status: 404, message: 'trace not found' });
  });
});
