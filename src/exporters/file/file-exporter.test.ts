import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logging/logger.js';
import type { TracesData } from '../../model/span.js';
import { decodeExportTraceServiceRequestJson } from '../../otlp/json/decode-traces-json.js';
import { decodeExportTraceServiceRequest } from '../../otlp/protobuf/decode-traces.js';
import { ConfigNode } from '../../pipeline/config-node.js';
import { InflightLimiter } from '../../receivers/shared/inflight-limiter.js';
import { everyKindBatch } from '../../../test/support/every-kind-batch.js';
import { oneSpanRequest } from '../../../test/support/one-span-request.js';
import type { TracesExporter } from '../traces-exporter.js';
import { fileExporterFactory } from './file-exporter-factory.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const CTX = { tenant: 'single-tenant' };
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tracehouse-file-exporter-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
const traceId = (i: number): string => (i + 1).toString(16).padStart(32, '0');

const parse = (yaml: string) =>
  fileExporterFactory.parseConfig(new ConfigNode(parseYaml(yaml), 'exporters.file'));

async function exporterFor(yaml: string): Promise<TracesExporter> {
  const exporter = await fileExporterFactory.createTraces(
    { id: 'file', logger: silentLogger(), host: { limiter: new InflightLimiter(1) } },
    parse(yaml),
  );
  await exporter.start();
  cleanups.push(() => exporter.shutdown());
  return exporter;
}

const jsonLines = (path: string): TracesData[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => decodeExportTraceServiceRequestJson(JSON.parse(line)));

/** A batch of one span named `r<i>` carrying ~`bytes` of attribute text. */
function bigRecord(i: number, bytes: number): TracesData {
  const data = oneSpanRequest({ name: `r${i}`, traceId: traceId(i) });
  data[0].scopeSpans[0].spans[0].attributes.push({ key: 'payload', value: 'x'.repeat(bytes) });
  return data;
}

describe('file exporter', () => {
  it('writes one OTLP JSON ExportTraceServiceRequest per line, each decoding to its batch', async () => {
    const path = join(tempDir(), 'spans.json');
    const exporter = await exporterFor(`path: ${path}`);
    for (let i = 0; i < 3; i++) await exporter.consumeTraces(everyKindBatch(traceId(i)), CTX);
    await exporter.shutdown();
    expect(jsonLines(path)).toEqual([0, 1, 2].map((i) => everyKindBatch(traceId(i))));
  });

  it('writes length-prefixed protobuf with format: proto', async () => {
    const path = join(tempDir(), 'spans.pb');
    const exporter = await exporterFor(`{ path: ${path}, format: proto }`);
    for (let i = 0; i < 3; i++) await exporter.consumeTraces(everyKindBatch(traceId(i)), CTX);
    await exporter.shutdown();
    const bytes = readFileSync(path);
    const decoded: TracesData[] = [];
    for (let at = 0; at < bytes.length;) {
      const length = bytes.readUInt32BE(at);
      decoded.push(decodeExportTraceServiceRequest(bytes.subarray(at + 4, at + 4 + length)));
      at += 4 + length;
    }
    expect(decoded).toEqual([0, 1, 2].map((i) => everyKindBatch(traceId(i))));
  });

  it('flushes every flush_interval without waiting for shutdown', async () => {
    const path = join(tempDir(), 'spans.json');
    const exporter = await exporterFor(`{ path: ${path}, flush_interval: 20ms }`);
    await exporter.consumeTraces(oneSpanRequest(), CTX);
    for (let waited = 0; statSync(path).size === 0 && waited < 5000; waited += 20)
      await new Promise((r) => setTimeout(r, 20));
    expect(jsonLines(path)).toEqual([oneSpanRequest()]);
  });

  it('truncates an existing file at start unless append is set', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.json'), 'old\n');
    writeFileSync(join(dir, 'b.json'), 'old\n');
    const truncating = await exporterFor(`path: ${join(dir, 'a.json')}`);
    const appending = await exporterFor(`{ path: ${join(dir, 'b.json')}, append: true }`);
    await truncating.shutdown();
    await appending.shutdown();
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe('');
    expect(readFileSync(join(dir, 'b.json'), 'utf8')).toBe('old\n');
  });

  it('rotates at max_megabytes and keeps max_backups backups', async () => {
    const dir = tempDir();
    const path = join(dir, 'spans.json');
    const exporter = await exporterFor(`
path: ${path}
flush_interval: 10ms
rotation: { max_megabytes: 1, max_backups: 2 }`);
    // 24 records of ~300 KiB: three fit in 1 MiB, so the file rotates about 7 times.
    for (let i = 0; i < 24; i++) {
      await exporter.consumeTraces(bigRecord(i, 300 * 1024), CTX);
      await new Promise((r) => setTimeout(r, 15)); // let rotations happen at different flushes
    }
    await exporter.shutdown();

    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(3);
    expect(
      files.filter((f) => /^spans-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}\.json$/.test(f)),
    ).toHaveLength(2);
    for (const f of files) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(1024 * 1024);
    // The newest records survive, in order: oldest backup, newer backup, then the current file.
    const names = [files[0], files[1], 'spans.json'].flatMap((f) =>
      jsonLines(join(dir, f)).map((d) => d[0].scopeSpans[0].spans[0].name),
    );
    const first = Number(names[0].slice(1));
    expect(names).toEqual(Array.from({ length: 24 - first }, (_, k) => `r${first + k}`));
    expect(names.length).toBeGreaterThanOrEqual(7);
  });

  it('removes backups older than max_days at a rotation', async () => {
    const dir = tempDir();
    // Backups a previous run left: one 30 days old (past max_days), one from yesterday.
    const backup = (daysAgo: number): string =>
      `spans-${new Date(Date.now() - daysAgo * 86_400_000).toISOString().replace(/:/g, '-').slice(0, 23)}.json`;
    const [stale, recent] = [backup(30), backup(1)];
    writeFileSync(join(dir, stale), 'stale\n');
    writeFileSync(join(dir, recent), 'recent\n');
    const exporter = await exporterFor(`
path: ${join(dir, 'spans.json')}
rotation: { max_megabytes: 1, max_backups: 0, max_days: 7 }`);
    // Four records of 300 KiB: one rotation, when they are flushed at shutdown.
    for (let i = 0; i < 4; i++) await exporter.consumeTraces(bigRecord(i, 300 * 1024), CTX);
    await exporter.shutdown();
    const files = readdirSync(dir);
    expect(files).toHaveLength(3);
    expect(files).toContain(recent);
    expect(files).not.toContain(stale);
  });

  it('refuses append with rotation, a missing path and compression', () => {
    expect(() => parse('{ path: x.json, append: true, rotation: {} }')).toThrow(
      'exporters.file.append: append and rotation cannot be used together (as in the Collector)',
    );
    expect(() => parse('format: json')).toThrow('exporters.file.path: is required: the file to write to');
    expect(() => parse('{ path: x.json, compression: zstd }')).toThrow(
      'exporters.file.compression: is not supported: Tracehouse writes the file uncompressed',
    );
    expect(parse('{ path: x.json, rotation: }').rotation).toEqual({
      maxBytes: 100 * 1024 * 1024,
      maxDays: 0,
      maxBackups: 100,
      localTime: false,
    });
  });
});
