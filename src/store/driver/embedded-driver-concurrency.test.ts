import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useEmbeddedDriver } from '../../../test/support/embedded-driver-fixture.js';
import type { EmbeddedDriver } from './embedded-driver.js';

// Its own file: chdb opens one data folder per process, and vitest runs each file in its own.
describe('embedded engine: inserts and reads side by side', () => {
  const engine = useEmbeddedDriver('tracehouse-embedded-concurrency-');
  let dir: string;
  let driver: EmbeddedDriver;

  beforeAll(async () => {
    ({ dir, driver } = engine);
    await driver.exec('CREATE TABLE slow_source (x UInt8) ENGINE = Null');
    await driver.exec('CREATE TABLE slow_sink (x UInt8) ENGINE = MergeTree ORDER BY x');
    // Every insert into slow_source takes 2 s: the view sleeps once for its block.
    await driver.exec(
      'CREATE MATERIALIZED VIEW slow_view TO slow_sink AS SELECT x FROM slow_source WHERE sleep(2) = 0',
    );
    await driver.exec(
      `INSERT INTO FUNCTION file({file:String}, 'Native') SELECT toUInt8(number) AS x FROM numbers(3)`,
      { file: join(dir, 'three.native') },
    );
  });

  it('answers a query while an insert runs, and a query with parameters too', async () => {
    const order: string[] = [];
    const insert = driver.insertNative('slow_source', { file: join(dir, 'three.native') }).then(() => {
      order.push('insert');
    });
    // Let the insert reach the engine first.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await driver.query('SELECT count() AS n FROM slow_sink').then(() => order.push('query'));
    await driver.text('SELECT {n:UInt8}', { n: 1 }).then(() => order.push('query with parameters'));
    await insert;
    expect(order).toEqual(['query', 'query with parameters', 'insert']);
    expect(await driver.text('SELECT count() FROM slow_sink')).toBe('3\n');
  });

  it('reads the file names it quotes into the SQL, quotes and all', async () => {
    const odd = join(dir, "it's a \\ file.native");
    await driver.exec(`INSERT INTO FUNCTION file({file:String}, 'Native') SELECT toUInt8(7) AS x`, {
      file: odd,
    });
    await driver.exec('CREATE TABLE plain (x UInt8) ENGINE = MergeTree ORDER BY x');
    await driver.insertNative('plain', { file: odd });
    await driver.insertRowBinary('plain', 'x UInt8', Buffer.from([9]));
    expect(await driver.text('SELECT groupArray(x) FROM (SELECT x FROM plain ORDER BY x)')).toBe('[7,9]\n');
  });
});
