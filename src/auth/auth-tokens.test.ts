import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuthTokens, AuthTokensError } from './auth-tokens.js';

describe('AuthTokens', () => {
  it('reads token → tenant and token → { tenant, scopes } from YAML', () => {
    const tokens = AuthTokens.parse(
      'tok-a: team-a\ntok-b: { tenant: team-b, scopes: [ingest] }\n"0123": { tenant: team-c }\n',
      'tokens.yaml',
    );
    expect(tokens.size).toBe(3);
    expect(tokens.find('tok-a')).toEqual({ tenant: 'team-a', scopes: new Set(['ingest', 'query']) });
    expect(tokens.find('tok-b')).toEqual({ tenant: 'team-b', scopes: new Set(['ingest']) });
    expect(tokens.find('0123')?.tenant).toBe('team-c');
    expect(tokens.find('tok-')).toBeUndefined();
    expect(tokens.find('tok-a ')).toBeUndefined();
    expect(tokens.find('')).toBeUndefined();
  });

  it('reads JSON, and loads a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracehouse-tokens-'));
    const file = join(dir, 'tokens.json');
    writeFileSync(file, JSON.stringify({ s3cret: { tenant: 'ops', scopes: ['query'] } }));
    const tokens = await AuthTokens.load(file);
    expect(tokens.find('s3cret')).toEqual({ tenant: 'ops', scopes: new Set(['query']) });
    await expect(AuthTokens.load(join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml: cannot read/);
  });

  it.each([
    ['', /no tokens|expected a mapping/],
    ['- a\n- b', /expected a mapping of token to tenant/],
    ['tok: [a]', /token #1: expected a tenant or \{ tenant, scopes \}/],
    ['tok: { scopes: [query] }', /token #1: tenant is required/],
    ['tok: { tenant: a, scopes: [] }', /scopes must be a non-empty list/],
    ['tok: { tenant: a, scopes: [admin] }', /unknown scope "admin"; use ingest, query/],
    ['tok: { tenant: a, role: x }', /unknown key "role"/],
    ['tok: "bad/tenant"', /token #1: invalid tenant "bad\/tenant"/],
    ['"a b": t', /a token must be non-empty and without spaces/],
    ['tok: [unclosed', /not YAML or JSON/],
  ])('refuses %j naming the problem, never the token', (text, problem) => {
    expect(() => AuthTokens.parse(text, 'tokens.yaml')).toThrow(AuthTokensError);
    expect(() => AuthTokens.parse(text, 'tokens.yaml')).toThrow(problem);
  });
});
