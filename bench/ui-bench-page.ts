/*
 * Scripts the UI benchmark runs inside the page, as strings: the benchmark is compiled without the
 * DOM's types, and these only touch the page.
 */

/** Milliseconds from navigation start to the first frame with waterfall rows (a mark the UI sets). */
export const DRAWN_AT = `(() => performance.getEntriesByName('waterfall-drawn')[0]?.startTime ?? null)()`;

/**
 * Milliseconds from navigation start to the first frame showing the whole trace, after its outline
 * (a mark the UI sets; the same frame as DRAWN_AT when the server sent the whole trace at once).
 */
export const WHOLE_DRAWN_AT = `(() => performance.getEntriesByName('trace-whole-drawn')[0]?.startTime ?? null)()`;

/** Time the trace's first answer (its outline) took to arrive (request start → last byte). */
export const TRACE_FETCH_MS = `(() => {
  const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/tracehouse/traces/'));
  return entry ? entry.responseEnd - entry.startTime : null;
})()`;

/**
 * The server's own account of the trace request (its Server-Timing header: ClickHouse's answer,
 * the store read including it, encoding, compression, ms) and the bytes on the wire and after
 * decompression.
 */
export const TRACE_SERVER = `(() => {
  const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/tracehouse/traces/'));
  if (!entry) return null;
  const timing = Object.fromEntries(entry.serverTiming.map((t) => [t.name, t.duration]));
  return { query: timing.query ?? 0, read: timing.read ?? 0, encode: timing.encode ?? 0, compress: timing.compress ?? 0,
           wireBytes: entry.encodedBodySize, bytes: entry.decodedBodySize };
})()`;

/** The browser's own part: the trace's last byte → the waterfall drawn (parse, tree, layout, render). */
export const CLIENT_MS = `(() => {
  const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/tracehouse/traces/'));
  const drawn = performance.getEntriesByName('waterfall-drawn')[0];
  return entry && drawn ? drawn.startTime - entry.responseEnd : null;
})()`;

/** Scripts the page loaded, for the JavaScript budget. */
export const SCRIPT_URLS = `(() => performance.getEntriesByType('resource')
  .map((e) => new URL(e.name).pathname)
  .filter((p) => p.endsWith('.js')))()`;

/**
 * Scrolls the waterfall 100 px a frame for two seconds and returns the frame intervals (ms):
 * every frame includes React re-rendering the rows that came into view.
 */
export const SCROLL_FRAMES = `(async () => {
  const body = document.querySelector('.wf-body');
  const frames = [];
  let last = performance.now();
  const end = last + 2000;
  await new Promise((resolve) => {
    const step = (t) => {
      frames.push(t - last);
      last = t;
      body.scrollTop += 100;
      if (t < end) requestAnimationFrame(step); else resolve();
    };
    requestAnimationFrame(step);
  });
  return frames.slice(1);
})()`;

/**
 * Clicks the root row's expand/collapse toggle and returns the time until the frame after the new
 * rows were committed (the UI marks 'waterfall-rows-drawn' in that frame's requestAnimationFrame).
 */
export const TOGGLE_ROOT_MS = `(async () => {
  const button = document.querySelector('[data-testid=waterfall-row][aria-level="1"] .wf-toggle');
  let t0 = 0;
  const drawn = new Promise((resolve) => {
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        if (entry.name === 'waterfall-rows-drawn' && entry.startTime > t0) {
          observer.disconnect();
          resolve(entry.startTime);
        }
    });
    observer.observe({ type: 'mark' });
  });
  t0 = performance.now();
  button.click();
  return (await drawn) - t0;
})()`;

export const ROW_COUNT = `document.querySelectorAll('[data-testid=waterfall-row]').length`;

/**
 * Where a load's time went, ms from navigation start: the HTML's request, first and last byte; the
 * entry script's and the trace view chunk's last bytes; DOMContentLoaded; the first trace request's
 * (the outline's) start, first and last byte; the waterfall drawn; the whole trace's last byte and
 * its frame. Which of them sits just before `drawn` says what the load waited on.
 */
export const TIMELINE = `(() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const end = (part) => resources.find((e) => e.name.includes(part))?.responseEnd ?? null;
  const trace = resources.find((e) => e.name.includes('/api/tracehouse/traces/'));
  const round = (v) => (v == null ? null : Math.round(v));
  return {
    htmlRequest: round(nav.requestStart),
    htmlFirstByte: round(nav.responseStart),
    html: round(nav.responseEnd),
    entry: round(end('/assets/index-')),
    view: round(end('/assets/TraceView-')),
    dcl: round(nav.domContentLoadedEventEnd),
    traceStart: round(trace?.startTime),
    traceFirstByte: round(trace?.responseStart),
    traceLastByte: round(trace?.responseEnd),
    drawn: round(performance.getEntriesByName('waterfall-drawn')[0]?.startTime),
    wholeLastByte: round(resources.find((e) => e.name.includes('/compact'))?.responseEnd),
    wholeDrawn: round(performance.getEntriesByName('trace-whole-drawn')[0]?.startTime),
  };
})()`;
