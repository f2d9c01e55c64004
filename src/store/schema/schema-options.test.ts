import { describe, expect, it } from 'vitest';
import { resolveSchemaOptions, TextIndexesUnsupportedError } from './schema-options.js';

/** A runner that answers `SELECT version()` and records what it was sent. */
function server(version: string): { run: (sql: string) => Promise<string>; sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    run: (sql) => {
      sent.push(sql);
      return Promise.resolve(`${version}\n`);
    },
  };
}

describe('resolveSchemaOptions', () => {
  it("follows the Collector exporter's choice for the server's version when not told", async () => {
    expect((await resolveSchemaOptions(server('26.7.2.1').run, {})).textIndexes).toBe(true);
    expect((await resolveSchemaOptions(server('25.8.4.1').run, {})).textIndexes).toBe(false);
  });

  it('takes bloom filters without asking the server', async () => {
    const { run, sent } = server('26.7.2.1');
    expect(await resolveSchemaOptions(run, { textIndexes: false, retention: 3600 })).toEqual({
      retention: 3600,
      textIndexes: false,
    });
    expect(sent).toEqual([]);
  });

  it('refuses text indexes on a server older than 26.2, naming its version', async () => {
    await expect(resolveSchemaOptions(server('26.1.3.1').run, { textIndexes: true })).rejects.toThrow(
      new TextIndexesUnsupportedError('26.1.3.1'),
    );
    await expect(resolveSchemaOptions(server('26.1.3.1').run, { textIndexes: true })).rejects.toThrow(
      /need ClickHouse 26\.2 or newer; the server is 26\.1\.3\.1/,
    );
    expect((await resolveSchemaOptions(server('26.2.1.1').run, { textIndexes: true })).textIndexes).toBe(
      true,
    );
  });
});
