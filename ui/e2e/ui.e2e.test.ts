import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentTraces } from './sdk-example-traces.js';
import { sendExampleTraces, sendTenantTrace } from './sdk-example-traces.js';
import type { UiTracehouse } from './ui-tracehouse.js';
import { ensureUiBuilt, startUiTracehouse, waitForTrace } from './ui-tracehouse.js';

/*
 * The web UI end to end: a real Tracehouse in this process serving the built UI, real spans from
 * the OpenTelemetry SDK over OTLP/HTTP, and Debian's Chromium driven by playwright-core. Each view
 * is saved as a screenshot under test-artifacts/ui/ (git-ignored) for a person to look at.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/ui/', import.meta.url));
let tracehouse: UiTracehouse;
let sent: SentTraces;
let billing: { traceId: string; spans: number };
const TENANT = 'team-billing';
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM) && process.env.CI !== 'true') return;
  ensureUiBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  tracehouse = await startUiTracehouse();
  sent = await sendExampleTraces(tracehouse.otlpTracesUrl, Date.now() - 60_000);
  billing = await sendTenantTrace(tracehouse.otlpTracesUrl, TENANT, Date.now() - 30_000);
  for (const t of [sent.reservation, sent.notification, sent.failed])
    await waitForTrace(tracehouse.apiBase, t.traceId, t.spans);
  await waitForTrace(tracehouse.apiBase, billing.traceId, billing.spans, TENANT);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await tracehouse?.stop();
});

const url = (path: string) => `${tracehouse.apiBase}${path}`;
const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: false });
const rowNames = () => page.locator('[data-testid=waterfall-row] .wf-op').allTextContents();
const row = (name: string) =>
  page.locator('[data-testid=waterfall-row]', {
    has: page.locator('.wf-op', { hasText: new RegExp(`^${name}$`) }),
  });

// On a developer's machine without Chromium the suite is skipped, loudly; CI installs Chromium
// (.ci/run), so there a missing browser is a failure, not a quiet pass.
const skip = !existsSync(CHROMIUM) && process.env.CI !== 'true';
describe.skipIf(skip)(`web UI (Chromium at ${CHROMIUM})`, () => {
  it('searches by service and lists the example system trace', async () => {
    await page.goto(url('/'));
    await page.locator('[data-testid=results-table]').waitFor();
    await page.getByLabel('Service', { exact: true }).selectOption('user-service');
    await expect
      .poll(() => page.locator('[data-testid=traceql-input]').inputValue())
      .toBe('{ resource.service.name = "user-service" }');
    const rows = page.locator('[data-testid=results-table] tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const text = await rows.first().textContent();
    expect(text).toContain('reservations-service');
    expect(text).toContain('reservations_handler');
    expect(page.url()).toContain('service=user-service');
    await shot('search');
  });

  it('opens a trace: one trace across two services, in tree order', async () => {
    await page.locator(`[data-testid=results-table] a[href="/trace/${sent.reservation.traceId}"]`).click();
    await page.waitForURL(`**/trace/${sent.reservation.traceId}`);
    await expect
      .poll(rowNames)
      .toEqual([
        'reservations_handler',
        'parse_request',
        'fetch_limit',
        'reservation_limits_handler',
        'validate_username',
        'fetch_record',
        'fetch_reservations_count',
        'make_reservation',
      ]);
    const services = await page.locator('.services-legend').textContent();
    expect(services).toContain('reservations-service');
    expect(services).toContain('user-service');
    expect(await page.locator('[data-testid=span-count]').textContent()).toBe('8');
    // The outline first; the whole trace (attributes, events, links) once the outline is drawn.
    const traceRequests = `performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)
      .filter((path) => path.startsWith('/api/tracehouse/traces/'))`;
    await expect
      .poll(() => page.evaluate<string[]>(traceRequests))
      .toEqual([
        `/api/tracehouse/traces/${sent.reservation.traceId}/outline`,
        `/api/tracehouse/traces/${sent.reservation.traceId}/compact`,
      ]);
    // The critical path is drawn a frame after the rows: the root's own time is on it.
    await expect.poll(() => row('reservations_handler').locator('.wf-critical').count()).toBeGreaterThan(0);
    await shot('trace');
  });

  it('collapses and expands a subtree', async () => {
    await row('fetch_limit').getByRole('button', { name: 'Collapse fetch_limit' }).click();
    await expect
      .poll(rowNames)
      .toEqual([
        'reservations_handler',
        'parse_request',
        'fetch_limit',
        'fetch_reservations_count',
        'make_reservation',
      ]);
    expect(await row('fetch_limit').locator('.badge.muted').textContent()).toBe('+3');
    await row('fetch_limit').getByRole('button', { name: 'Expand fetch_limit' }).click();
    await expect.poll(async () => (await rowNames()).length).toBe(8);
    await page.getByRole('button', { name: 'Collapse all' }).click();
    await expect.poll(rowNames).toEqual(['reservations_handler']);
    await page.getByRole('button', { name: 'Expand all' }).click();
    await expect.poll(async () => (await rowNames()).length).toBe(8);
  });

  it('selects a span and shows its attributes, resource and events', async () => {
    await row('make_reservation').click();
    const panel = page.locator('[data-testid=span-panel]');
    // Attributes come with the whole trace, a moment after the outline.
    await panel.locator('[data-attribute="db.operation.name"]').first().waitFor();
    expect(await panel.locator('[data-attribute="db.operation.name"] td').first().textContent()).toBe(
      'INSERT',
    );
    expect(await panel.locator('[data-attribute="service.name"] td').first().textContent()).toBe(
      'reservations-service',
    );
    expect(await panel.textContent()).toContain('reservation.stored');
    expect(page.url()).toContain(`span=${sent.reservation.makeReservationSpanId}`);
    await shot('trace-span-selected');
  });

  it('reloads a trace URL into the same view', async () => {
    await row('fetch_limit').getByRole('button', { name: 'Collapse fetch_limit' }).click();
    await expect.poll(async () => (await rowNames()).length).toBe(5);
    const before = page.url();
    await page.reload();
    await expect
      .poll(rowNames)
      .toEqual([
        'reservations_handler',
        'parse_request',
        'fetch_limit',
        'fetch_reservations_count',
        'make_reservation',
      ]);
    expect(page.url()).toBe(before);
    expect(await page.locator('[data-testid=span-panel] h2').textContent()).toBe('make_reservation');
  });

  it('follows a span link to the linked trace and span', async () => {
    await page.goto(url(`/trace/${sent.notification.traceId}`));
    await row('process_reservation').click();
    await page.locator('[data-testid=span-link]').click();
    await page.waitForURL(
      `**/trace/${sent.reservation.traceId}?span=${sent.reservation.makeReservationSpanId}`,
    );
    await expect
      .poll(() => page.locator('[data-testid=span-panel] h2').textContent())
      .toBe('make_reservation');
    expect(await page.locator('[data-testid=waterfall-row].selected .wf-op').textContent()).toBe(
      'make_reservation',
    );
  });

  it('moves the selection with the keyboard', async () => {
    await row('fetch_reservations_count').click();
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.locator('[data-testid=span-panel] h2').textContent()).toBe('fetch_record');
    await page.keyboard.press('ArrowLeft');
    await expect
      .poll(() => page.locator('[data-testid=span-panel] h2').textContent())
      .toBe('reservation_limits_handler');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await rowNames()).length).toBe(6);
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await rowNames()).length).toBe(8);
  });

  it('finds spans in a trace and shows the flame graph', async () => {
    await page.getByLabel('Find in trace').fill('fetch');
    await expect.poll(() => page.locator('[data-testid=find-count]').textContent()).toBe('1 of 3');
    expect(await page.locator('[data-testid=waterfall-row].match').count()).toBe(3);
    await page.getByRole('button', { name: 'Flame graph' }).click();
    await page.locator('[data-testid=flame-graph] canvas').waitFor();
    expect(page.url()).toContain('view=flame');
    await shot('trace-flame');
  });

  it('downloads the trace as OTLP/JSON, fetched when asked for', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download JSON' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`trace-${sent.reservation.traceId}.json`);
    const text = readFileSync(await download.path(), 'utf8');
    const otlp = JSON.parse(text) as { resourceSpans: { scopeSpans: { spans: { traceId: string }[] }[] }[] };
    const spans = otlp.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    expect(spans).toHaveLength(sent.reservation.spans);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([sent.reservation.traceId]));
  });

  it('shows the service graph, and a click on a node searches its traces', async () => {
    await page.goto(url('/service-graph'));
    const node = page.locator('[data-testid=graph-node][data-service="user-service"]');
    await node.waitFor();
    expect(await page.locator('[data-testid=graph-edge]').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('[data-testid=graph-edge]').first().textContent()).toMatch(/err.*p99/);
    await shot('service-graph');
    await node.click();
    await page.waitForURL('**/search?**');
    expect(new URL(page.url()).searchParams.get('q')).toBe('{ resource.service.name = "user-service" }');
  });

  it('shows per-service and per-operation figures', async () => {
    await page.goto(url('/services?service=user-service'));
    await page.locator('[data-testid=operations-table]').waitFor();
    expect(await page.locator('[data-testid=services-table]').textContent()).toContain(
      'reservations-service',
    );
    expect(await page.locator('[data-testid=operations-table]').textContent()).toContain(
      'reservation_limits_handler',
    );
    await shot('services');
  });

  it('shows a bad TraceQL query error inline, at its position', async () => {
    await page.goto(url(`/search?q=${encodeURIComponent('{ .a = }')}`));
    const error = page.locator('[data-testid=traceql-error]');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/line 1, column \d+/);
    expect(await page.locator('.editor-backdrop .tok-error').count()).toBe(1);
    await shot('search-error');
  });

  it('has a dark theme', async () => {
    await page.goto(url(`/trace/${sent.failed.traceId}`));
    await page.locator('[data-testid=waterfall-row]').first().waitFor();
    await page.getByRole('button', { name: /Dark/ }).click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await shot('trace-dark');
  });

  it("picks a tenant in the top bar, keeps it in the URL and reads only that tenant's traces", async () => {
    await page.goto(url('/'));
    await page.locator('[data-testid=results-table]').waitFor();
    const picker = page.getByTestId('tenant-picker');
    await expect.poll(() => picker.locator('option').allTextContents()).toContain(TENANT);
    expect(await picker.inputValue()).toBe('single-tenant');
    await picker.selectOption(TENANT);
    await page.waitForURL(`**tenant=${TENANT}**`);
    const rows = page.locator('[data-testid=results-table] tbody tr');
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining('billing-service')]);
    await shot('search-tenant');
    // Opening the trace keeps the tenant: the link, the trace request and a reload all name it.
    const link = page.locator(`[data-testid=results-table] a[href^="/trace/${billing.traceId}"]`);
    expect(await link.getAttribute('href')).toBe(`/trace/${billing.traceId}?tenant=${TENANT}`);
    await link.click();
    await expect.poll(rowNames).toEqual(['charge_card', 'authorize']);
    await page.reload();
    await expect.poll(rowNames).toEqual(['charge_card', 'authorize']);
    expect(await page.getByTestId('tenant-picker').inputValue()).toBe(TENANT);
    // The default tenant does not have this trace, and its search does not list it.
    await page.getByTestId('tenant-picker').selectOption('single-tenant');
    await page.waitForURL('**/search?tenant=single-tenant');
    await expect
      .poll(() => page.locator('[data-testid=results-table] tbody tr').allTextContents())
      .not.toContainEqual(expect.stringContaining('billing-service'));
    expect(await page.locator('[data-testid=results-table]').textContent()).toContain('reservations-service');
  });
});
