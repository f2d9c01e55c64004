import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningTracehouse } from '../../src/app/all-in-one.js';
import { startAllInOne } from '../../src/app/all-in-one.js';
import { loopbackAllInOneConfig } from '../../src/app/loopback-config.js';
import { openEmbeddedStore } from '../../src/app/open-embedded-store.js';
import type { OpenedStore } from '../../src/app/open-embedded-store.js';
import { silentLogger } from '../../src/logging/logger.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The built UI is what the server serves; `npm test` builds it before Vitest runs, and a bare
 * `npx vitest run ui` builds it here when it is missing.
 */
export function ensureUiBuilt(): void {
  if (existsSync(join(ROOT, 'dist', 'ui', 'index.html'))) return;
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'ui/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}

export interface UiTracehouse {
  running: RunningTracehouse;
  store: OpenedStore;
  /** `http://127.0.0.1:port` of the API and UI. */
  apiBase: string;
  /** OTLP/HTTP traces endpoint the SDK exporters post to. */
  otlpTracesUrl: string;
  stop(): Promise<void>;
}

/** Tracehouse all-in-one in this process: embedded engine in a temporary folder, free loopback ports. */
export async function startUiTracehouse(): Promise<UiTracehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'tracehouse-ui-'));
  const store = await openEmbeddedStore(
    { dataDir: dir, retentionSeconds: 0, walMaxBytes: 64 * 1024 * 1024, flushIntervalMs: 100 },
    silentLogger(),
  );
  const running = await startAllInOne(
    loopbackAllInOneConfig({ store: store.store }),
    [store.exporter],
    silentLogger(),
  );
  running.api.markReady();
  const otlp = running.receivers.find((r) => r.component === 'otlp-http');
  if (!otlp) throw new Error('no otlp-http receiver');
  return {
    running,
    store,
    apiBase: `http://${running.api.address()}`,
    otlpTracesUrl: `http://${otlp.address()}/v1/traces`,
    stop: async () => {
      await running.shutdown();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until the trace has all its spans in storage (they are queryable a flush after the ack). */
export async function waitForTrace(
  apiBase: string,
  traceId: string,
  spans: number,
  tenant?: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const headers: Record<string, string> = tenant === undefined ? {} : { 'x-scope-orgid': tenant };
  for (;;) {
    const response = await fetch(`${apiBase}/api/tracehouse/traces/${traceId}`, { headers });
    if (response.ok) {
      const body = (await response.json()) as { resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[] };
      const count = (body.resourceSpans ?? [])
        .flatMap((rs) => rs.scopeSpans ?? [])
        .flatMap((ss) => ss.spans ?? []).length;
      if (count >= spans) return;
    }
    if (Date.now() > deadline) throw new Error(`trace ${traceId} did not reach ${spans} spans in time`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
