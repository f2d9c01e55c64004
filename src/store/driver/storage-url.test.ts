import { describe, expect, it } from 'vitest';
import { parseStorageUrl, redact } from './storage-url.js';

describe('parseStorageUrl', () => {
  it('reads user, password, host, port and database, with ClickHouse defaults', () => {
    expect(parseStorageUrl('clickhouse://user:p%40ss@ch.example:9000/traces')).toEqual({
      url: 'http://ch.example:9000',
      username: 'user',
      password: 'p@ss',
      database: 'traces',
      requestTimeoutMs: 30_000,
    });
    expect(parseStorageUrl('clickhouse://ch')).toMatchObject({
      url: 'http://ch:8123',
      username: 'default',
      password: '',
      database: 'default',
    });
    expect(parseStorageUrl('clickhouse://ch/db?secure=true&request_timeout_ms=5000')).toMatchObject({
      url: 'https://ch:8443',
      database: 'db',
      requestTimeoutMs: 5000,
    });
    expect(parseStorageUrl('https://u:p@ch.example')).toMatchObject({ url: 'https://ch.example' });
  });

  it.each([
    ['not a url', /is not a URL/],
    ['postgres://h/db', /scheme "postgres:" is not one of/],
    ['clickhouse://h/a/b', /one database name, not "a\/b"/],
    ['clickhouse://h?secure=yes', /secure=yes is not true or false/],
    ['clickhouse://h?compress=1', /unknown parameter "compress"/],
    ['clickhouse://h?request_timeout_ms=-1', /request_timeout_ms=-1 is not a positive integer/],
    ['http://h?secure=true', /contradicts http:/],
  ])('refuses %s precisely', (text, message) => {
    expect(() => parseStorageUrl(text)).toThrow(message);
  });

  it('never repeats the password in an error', () => {
    expect(() => parseStorageUrl('clickhouse://u:hunter2@h/a/b')).toThrow(/clickhouse:\/\/u:\*\*\*@h\/a\/b/);
    expect(redact('clickhouse://u:hunter2@h')).toBe('clickhouse://u:***@h');
  });
});
