import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import type { Page } from 'playwright-core';
import { startAllInOne } from '../src/app/all-in-one.js';
import { loopbackAllInOneConfig } from '../src/app/loopback-config.js';
import { openEmbeddedStore } from '../src/app/open-embedded-store.js';
import { silentLogger } from '../src/logging/logger.js';
import { DEFAULT_TENANT } from '../src/model/tenant.js';
import { encodeSpanBlocks } from '../src/store/rows/span-blocks.js';
import { formatFixed, renderTable } from './table.js';
import {
  CLIENT_MS,
  DRAWN_AT,
  ROW_COUNT,
  SCRIPT_URLS,
  SCROLL_FRAMES,
  TIMELINE,
  TOGGLE_ROOT_MS,
  TRACE_FETCH_MS,
  TRACE_SERVER,
  WHOLE_DRAWN_AT,
} from './ui-bench-page.js';
import { syntheticTrace } from './ui-bench-trace.js';

/*
 * The web UI in headless Chromium against a real Tracehouse (this process, embedded store):
 * navigation → waterfall drawn for 10,000- and 100,000-span traces, scrolling frame rate,
 * expand/collapse of the root, and the JavaScript the first view ships (gzipped). Needs the built
 * UI (dist/ui: `npm run build`) and /usr/bin/chromium. Prints a Markdown table.
 *
 *   node dist/bench/ui-bench.js [--quick] [--chromium /usr/bin/chromium]
 */
const { values: args } = parseArgs({ options: { quick: { type: 'boolean' }, chromium: { type: 'string' } } });
const runs = args.quick === true ? 1 : 3;
const UI_DIR = fileURLToPath(new URL('../ui/', import.meta.url));
const SIZES = [10_000, 100_000];
const TARGET_MS: Record<number, number> = { 10_000: 1000, 100_000: 3000 };

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const traceIdOf = (spans: number): string => `ab${spans.toString(16)}`.padEnd(32, '0');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tracehouse-ui-bench-'));
  const store = await openEmbeddedStore(
    {
      dataDir: dir,
      retentionSeconds: 0,
      walMaxBytes: 256 << 20,
      flushIntervalMs: 200,
      // Every run reads the trace from the store, as a first visit does.
      traceCache: { maxSpans: 0, maxAgeMs: 0 },
    },
    silentLogger(),
  );
  const running = await startAllInOne(
    loopbackAllInOneConfig({ store: store.store }),
    [store.exporter],
    silentLogger(),
  );
  const base = `http://${running.api.address()}`;
  const browser = await chromium.launch({
    executablePath: args.chromium ?? '/usr/bin/chromium',
    headless: true,
  });
  const rows: string[][] = [];
  const serverRows: string[][] = [];
  try {
    for (const spans of SIZES) {
      process.stderr.write(`ui-bench: storing a ${spans}-span trace\n`);
      const data = syntheticTrace(traceIdOf(spans), spans, Date.now() - 120_000);
      await store.store.insertSpans(DEFAULT_TENANT, encodeSpanBlocks(data));
    }
    for (const spans of SIZES) {
      const samples = {
        drawn: [] as number[],
        whole: [] as number[],
        fetch: [] as number[],
        client: [] as number[],
        fps: [] as number[],
        p95: [] as number[],
        collapse: [] as number[],
        expand: [] as number[],
        query: [] as number[],
        read: [] as number[],
        cpu: [] as number[],
        encode: [] as number[],
        compress: [] as number[],
      };
      let bytes = { wire: 0, json: 0 };
      for (let run = 0; run < runs; run++) {
        process.stderr.write(`ui-bench: ${spans} spans, run ${run + 1}/${runs}\n`);
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        const cpuBefore = process.cpuUsage();
        await page.goto(`${base}/trace/${traceIdOf(spans)}`);
        await page.waitForFunction(DRAWN_AT, undefined, { timeout: 60_000 });
        const cpu = process.cpuUsage(cpuBefore);
        samples.cpu.push((cpu.user + cpu.system) / 1000);
        samples.drawn.push(await number(page, DRAWN_AT));
        // Scrolling and toggling are measured on the whole trace, once it has replaced the outline.
        await page.waitForFunction(WHOLE_DRAWN_AT, undefined, { timeout: 60_000 });
        samples.whole.push(await number(page, WHOLE_DRAWN_AT));
        samples.fetch.push(await number(page, TRACE_FETCH_MS));
        samples.client.push(await number(page, CLIENT_MS));
        const timeline = await page.evaluate<Record<string, number | null>>(TIMELINE);
        const server = await page.evaluate<ServerTiming | null>(TRACE_SERVER);
        if (server === null) throw new Error('no trace request seen');
        samples.query.push(server.query);
        samples.read.push(server.read);
        samples.encode.push(server.encode);
        samples.compress.push(server.compress);
        bytes = { wire: server.wireBytes, json: server.bytes };
        const frames = await page.evaluate<number[]>(SCROLL_FRAMES);
        samples.fps.push(1000 / (frames.reduce((a, b) => a + b, 0) / frames.length));
        samples.p95.push([...frames].sort((a, b) => a - b)[Math.floor(frames.length * 0.95)]);
        await page.evaluate('document.querySelector(".wf-body").scrollTop = 0');
        await page.waitForSelector('[data-testid=waterfall-row][aria-level="1"]');
        samples.collapse.push(await number(page, TOGGLE_ROOT_MS));
        if ((await number(page, ROW_COUNT)) !== 1)
          throw new Error('collapsing the root did not leave one row');
        samples.expand.push(await number(page, TOGGLE_ROOT_MS));
        await page.close();
        const last = (values: number[]): string => formatFixed(values[values.length - 1], 0);
        process.stderr.write(
          `ui-bench:   drawn ${last(samples.drawn)} ms, whole trace drawn ${last(samples.whole)}, fetch ${last(samples.fetch)}, ClickHouse ${last(samples.query)}, ` +
            `read ${last(samples.read)}, stringify ${last(samples.encode)}, CPU ${last(samples.cpu)}\n` +
            `ui-bench:   timeline ${Object.entries(timeline)
              .map(([k, v]) => `${k} ${v ?? '-'}`)
              .join(', ')}\n`,
        );
      }
      rows.push([
        spans.toLocaleString('en-US'),
        formatFixed(median(samples.drawn), 0),
        `${TARGET_MS[spans]}`,
        formatFixed(median(samples.whole), 0),
        formatFixed(median(samples.fetch), 0),
        formatFixed(median(samples.client), 0),
        formatFixed(median(samples.fps), 1),
        formatFixed(median(samples.p95), 1),
        formatFixed(median(samples.collapse), 1),
        formatFixed(median(samples.expand), 1),
      ]);
      serverRows.push([
        spans.toLocaleString('en-US'),
        formatFixed(median(samples.query), 0),
        formatFixed(median(samples.read), 0),
        formatFixed(median(samples.encode), 0),
        formatFixed(median(samples.cpu), 0),
        formatFixed(median(samples.compress), 0),
        formatFixed(bytes.json / 2 ** 20, 2),
        formatFixed(bytes.wire / 2 ** 20, 2),
      ]);
    }
    const budget = await firstViewScripts(browser.newPage.bind(browser), base);
    process.stdout.write(
      renderTable(
        'Web UI in headless Chromium (median of runs)',
        [
          'spans',
          'navigation → waterfall drawn ms',
          'target ms',
          'whole trace drawn ms',
          'of which trace fetch ms',
          'last byte → drawn ms',
          'scroll fps',
          'scroll p95 frame ms',
          'collapse root ms',
          'expand root ms',
        ],
        rows,
        [
          `${runs} run(s) each, a fresh page per run, 1280×800; Tracehouse (embedded store) and Chromium on the same machine (load average ${loadavg()[0].toFixed(1)} at the end).`,
          "Drawn = the first animation frame after the first rows were committed (a performance mark the UI sets), measured from navigation start; it includes the server reading the trace's outline from ClickHouse. Whole trace drawn = the first frame after the whole trace (attributes, events, links) replaced the outline. Trace fetch and last byte → drawn are the outline's.",
          'Scrolling: 100 px per frame for 2 s; fps from the mean frame interval. Expand/collapse: click → the frame after the new rows were committed (target ≤ 100 ms).',
          `JavaScript of the first view (gzipped, target ≤ 400 KB): search page ${budget.search} KB, trace page opened directly ${budget.trace} KB.`,
        ],
      ) +
        '\n' +
        renderTable(
          'The trace request, from its Server-Timing header (median of runs)',
          [
            'spans',
            'ClickHouse ms',
            'store read ms',
            'stringify ms',
            'Tracehouse CPU ms',
            'compress ms',
            'JSON MiB',
            'on the wire MiB',
          ],
          serverRows,
          [
            "The outline's request. ClickHouse: the query until its answer (the outline's values extracted by ClickHouse); store read: that, then the columns ordered and interned; stringify: the JSON text.",
            "Tracehouse CPU: this process's CPU time (all its threads, ClickHouse's included) from navigation to drawn.",
            'Compressed as the request allowed: headless Chromium offers br, and brotli quality 1 is what these sizes are.',
          ],
        ),
    );
  } finally {
    await browser.close();
    await running.shutdown();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ServerTiming {
  query: number;
  read: number;
  encode: number;
  compress: number;
  wireBytes: number;
  bytes: number;
}

async function number(page: Page, script: string): Promise<number> {
  const value = await page.evaluate<number | null>(script);
  if (typeof value !== 'number') throw new Error(`no figure from ${script.slice(0, 60)}…`);
  return value;
}

/** Gzipped size of the scripts each first view loads, read from dist/ui (what the server sends). */
async function firstViewScripts(
  newPage: () => Promise<Page>,
  base: string,
): Promise<{ search: string; trace: string }> {
  const measure = async (path: string, ready: string): Promise<string> => {
    const page = await newPage();
    await page.goto(`${base}${path}`);
    await page.waitForSelector(ready, { timeout: 60_000 });
    const urls = await page.evaluate<string[]>(SCRIPT_URLS);
    await page.close();
    const bytes = urls.reduce((sum, url) => sum + gzipSync(readFileSync(join(UI_DIR, url))).length, 0);
    return formatFixed(bytes / 1024, 1);
  };
  return {
    search: await measure('/', '.search-view'),
    trace: await measure(`/trace/${traceIdOf(SIZES[0])}`, '[data-testid=waterfall-row]'),
  };
}

await main();
