import { afterEach, describe, expect, it } from 'vitest';
import { receiverAddress, runConfigText } from '../../pipeline/run-config.test-support.js';
import type { Service } from '../../pipeline/service.js';
import { HealthCheckExtension } from './health-check-extension.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const CONFIG = (extension: string) => `
receivers:
  otlp: { protocols: { http: { endpoint: 127.0.0.1:0 } } }
exporters:
  nop:
extensions:
  health_check: ${extension}
service:
  extensions: [health_check]
  pipelines:
    traces: { receivers: [otlp], exporters: [nop] }
`;

async function start(extension: string): Promise<{ service: Service; base: string }> {
  const service = await runConfigText(CONFIG(extension));
  cleanups.push(() => service.shutdown());
  const health = service.extensions.find((e) => e.component === 'health_check') as HealthCheckExtension;
  return { service, base: `http://${health.address()}` };
}

describe('health_check extension', () => {
  it('answers 200 with the Collector’s JSON status once the service runs, then stops with it', async () => {
    const { service, base } = await start('{ endpoint: 127.0.0.1:0 }');
    expect(receiverAddress(service, 'otlp-http')).toMatch(/^127\.0\.0\.1:\d+$/);
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; upSince: string; uptime: string };
    expect(body.status).toBe('Server available');
    expect(Date.now() - Date.parse(body.upSince)).toBeLessThan(60_000);
    expect(body.uptime).toMatch(/^[\d.]+s$/);
    await service.shutdown();
    await expect(fetch(`${base}/`)).rejects.toThrow();
  });

  it('serves only its path, with custom bodies when response_body is set', async () => {
    const { base } = await start(
      '{ endpoint: 127.0.0.1:0, path: /health/status, response_body: { healthy: "I am fine" } }',
    );
    expect((await fetch(`${base}/`)).status).toBe(404);
    const response = await fetch(`${base}/health/status?verbose=1`);
    expect([response.status, await response.text()]).toEqual([200, 'I am fine']);
  });

  it('answers 503 until the pipelines are ready and again once shutdown begins', async () => {
    const extension = new HealthCheckExtension({
      endpoint: { host: '127.0.0.1', port: 0 },
      path: '/',
      responseBody: undefined,
    });
    await extension.start();
    cleanups.push(() => extension.shutdown());
    const get = async () => {
      const response = await fetch(`http://${extension.address()}/`);
      return [response.status, ((await response.json()) as { status: string }).status];
    };
    expect(await get()).toEqual([503, 'Server not available']);
    extension.ready();
    expect(await get()).toEqual([200, 'Server available']);
    extension.notReady();
    expect(await get()).toEqual([503, 'Server not available']);
  });

  it('fails start with one line when its port is taken', async () => {
    const first = await start('{ endpoint: 127.0.0.1:0 }');
    const port = new URL(first.base).port;
    await expect(runConfigText(CONFIG(`{ endpoint: 127.0.0.1:${port} }`))).rejects.toThrow(
      `cannot listen on 127.0.0.1:${port} for health_check: address already in use`,
    );
  });
});
