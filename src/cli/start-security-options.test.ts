import { describe, expect, it } from 'vitest';
import { resolveStartConfig, startHelp } from './start-options.js';

describe('tracehouse start: tenancy, auth, TLS and query-limit options', () => {
  it('has defaults: single-tenant, multitenancy optional, no tokens, plaintext, 30s, 10000, 100000', () => {
    expect(resolveStartConfig({}, {})).toMatchObject({
      defaultTenant: 'single-tenant',
      multitenancyRequired: false,
      authTokensFile: undefined,
      tls: undefined,
      apiCorsAllowedOrigins: [],
      queryTimeoutMs: 30_000,
      maxSearchLimit: 10_000,
      maxTraceSpans: 100_000,
    });
  });

  it('reads flags over environment variables', () => {
    const config = resolveStartConfig(
      { defaultTenant: 'acme', multitenancyRequired: 'true', tlsCertFile: 'c.pem', tlsKeyFile: 'k.pem' },
      {
        TRACEHOUSE_DEFAULT_TENANT: 'ignored',
        TRACEHOUSE_AUTH_TOKENS: 'tokens.yaml',
        TRACEHOUSE_QUERY_TIMEOUT: '1500ms',
        TRACEHOUSE_MAX_SEARCH_LIMIT: '500',
        TRACEHOUSE_MAX_TRACE_SPANS: '0',
        TRACEHOUSE_API_CORS_ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      },
    );
    expect(config).toMatchObject({
      defaultTenant: 'acme',
      multitenancyRequired: true,
      authTokensFile: 'tokens.yaml',
      tls: { certFile: 'c.pem', keyFile: 'k.pem' },
      apiCorsAllowedOrigins: ['https://a.example', 'https://b.example'],
      queryTimeoutMs: 1500,
      maxSearchLimit: 500,
      maxTraceSpans: 0,
    });
    expect(resolveStartConfig({}, { TRACEHOUSE_MULTITENANCY_REQUIRED: '1' }).multitenancyRequired).toBe(true);
  });

  it.each([
    [{ tlsCertFile: 'c.pem' }, {}, '--tls-cert-file and --tls-key-file must be given together'],
    [{}, { TRACEHOUSE_TLS_KEY_FILE: 'k.pem' }, '--tls-cert-file and --tls-key-file must be given together'],
    [
      { defaultTenant: 'a/b' },
      {},
      `--default-tenant: invalid tenant "a/b" (X-Scope-OrgID): character '/' is not allowed`,
    ],
    [
      {},
      { TRACEHOUSE_MULTITENANCY_REQUIRED: 'yes' },
      'TRACEHOUSE_MULTITENANCY_REQUIRED: "yes" is not true or false',
    ],
    [{ queryTimeout: '0s' }, {}, '--query-timeout: "0s" is not a positive duration'],
    [{ maxSearchLimit: '0' }, {}, '--max-search-limit: "0" is not a whole number of at least 1'],
    [{ maxTraceSpans: '-1' }, {}, '--max-trace-spans: "-1" is not a whole number of at least 0'],
  ])('refuses %j %j naming the flag or variable', (flags, env, message) => {
    expect(() => resolveStartConfig(flags, env)).toThrow(message);
  });

  it('documents every option in --help, a boolean flag without <value>', () => {
    const help = startHelp();
    for (const text of [
      '--default-tenant <value>',
      'TRACEHOUSE_AUTH_TOKENS',
      '--tls-cert-file',
      '--query-timeout',
      '--max-trace-spans',
      '--api-cors-allowed-origins',
    ]) {
      expect(help).toContain(text);
    }
    expect(help).toMatch(/ {2}--multitenancy-required {2,}refuse requests/);
  });
});
