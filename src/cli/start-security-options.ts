import type { TlsServerFiles } from '../net/tls-credentials.js';
import { InvalidTenantError, validateTenant } from '../store/schema/tenant-database.js';
import { DEFAULT_TENANT } from '../model/tenant.js';
import { DEFAULT_MAX_SEARCH_LIMIT } from '../api/tempo/search-params.js';
import { parseDurationSeconds } from './duration.js';
import { UsageError } from './usage-error.js';

/**
 * `tracehouse start`'s tenancy, authentication, TLS and query-limit options (the same shape as
 * START_OPTIONS, which includes these). Kept apart so each list stays readable.
 */
export const SECURITY_OPTIONS = {
  defaultTenant: {
    flag: 'default-tenant',
    env: 'TRACEHOUSE_DEFAULT_TENANT',
    default: DEFAULT_TENANT,
    help: 'tenant of requests without X-Scope-OrgID (or a bearer token naming one)',
  },
  multitenancyRequired: {
    flag: 'multitenancy-required',
    env: 'TRACEHOUSE_MULTITENANCY_REQUIRED',
    default: 'false',
    boolean: true,
    help: 'refuse requests without X-Scope-OrgID (401 "no org id", as Tempo with multitenancy_enabled)',
  },
  authTokens: {
    flag: 'auth-tokens',
    env: 'TRACEHOUSE_AUTH_TOKENS',
    default: '',
    help: 'YAML or JSON file of bearer tokens (token: tenant, or token: {tenant, scopes: [ingest, query]}); when set, every receiver and query route requires Authorization: Bearer <token>',
  },
  tlsCertFile: {
    flag: 'tls-cert-file',
    env: 'TRACEHOUSE_TLS_CERT_FILE',
    default: '',
    help: 'PEM certificate: serve TLS on every listener (with --tls-key-file)',
  },
  tlsKeyFile: {
    flag: 'tls-key-file',
    env: 'TRACEHOUSE_TLS_KEY_FILE',
    default: '',
    help: 'PEM private key of --tls-cert-file',
  },
  apiCorsAllowedOrigins: {
    flag: 'api-cors-allowed-origins',
    env: 'TRACEHOUSE_API_CORS_ALLOWED_ORIGINS',
    default: '',
    help: 'comma-separated origins browsers may query the API from ("*" for any; "" disables CORS)',
  },
  queryTimeout: {
    flag: 'query-timeout',
    env: 'TRACEHOUSE_QUERY_TIMEOUT',
    default: '30s',
    help: 'time budget of one query; past it the answer is 504',
  },
  maxSearchLimit: {
    flag: 'max-search-limit',
    env: 'TRACEHOUSE_MAX_SEARCH_LIMIT',
    default: String(DEFAULT_MAX_SEARCH_LIMIT),
    help: 'largest limit a search may ask for; a larger one is refused with 400',
  },
  maxTraceSpans: {
    flag: 'max-trace-spans',
    env: 'TRACEHOUSE_MAX_TRACE_SPANS',
    default: '100000',
    help: 'most spans a trace read returns; a larger trace is refused with 422 (0 = no limit)',
  },
};

export type SecurityOptionName = keyof typeof SECURITY_OPTIONS;

export interface SecurityConfig {
  defaultTenant: string;
  multitenancyRequired: boolean;
  authTokensFile: string | undefined;
  /** Certificate and key for every listener; undefined: plaintext. */
  tls: TlsServerFiles | undefined;
  apiCorsAllowedOrigins: string[];
  queryTimeoutMs: number;
  maxSearchLimit: number;
  maxTraceSpans: number;
}

type Value = (name: SecurityOptionName) => { text: string; where: string };

/** Resolves and validates the options above; throws a UsageError naming the flag or variable. */
export function resolveSecurityConfig(value: Value): SecurityConfig {
  const optional = (name: SecurityOptionName): string | undefined => value(name).text.trim() || undefined;
  const count = (name: SecurityOptionName, min: number): number => {
    const { text, where } = value(name);
    if (!/^\d+$/.test(text.trim()) || Number(text) < min)
      throw new UsageError(`${where}: "${text}" is not a whole number of at least ${min}`);
    return Number(text);
  };
  const certFile = optional('tlsCertFile');
  const keyFile = optional('tlsKeyFile');
  // As the Collector's configtls: a server certificate without its key (or the reverse) is an error.
  if ((certFile === undefined) !== (keyFile === undefined))
    throw new UsageError('--tls-cert-file and --tls-key-file must be given together');
  const timeout = value('queryTimeout');
  const timeoutSeconds = parseDurationSeconds(timeout.text);
  if (timeoutSeconds === undefined || timeoutSeconds <= 0)
    throw new UsageError(`${timeout.where}: "${timeout.text}" is not a positive duration: use e.g. 30s, 2m`);
  return {
    defaultTenant: tenant(value('defaultTenant')),
    multitenancyRequired: bool(value('multitenancyRequired')),
    authTokensFile: optional('authTokens'),
    tls: certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : undefined,
    apiCorsAllowedOrigins: value('apiCorsAllowedOrigins')
      .text.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    queryTimeoutMs: Math.max(1, Math.round(timeoutSeconds * 1000)),
    maxSearchLimit: count('maxSearchLimit', 1),
    maxTraceSpans: count('maxTraceSpans', 0),
  };
}

function tenant({ text, where }: { text: string; where: string }): string {
  try {
    return validateTenant(text);
  } catch (error) {
    if (error instanceof InvalidTenantError) throw new UsageError(`${where}: ${error.message}`);
    throw error;
  }
}

function bool({ text, where }: { text: string; where: string }): boolean {
  const lower = text.trim().toLowerCase();
  if (lower === 'true' || lower === '1') return true;
  if (lower === 'false' || lower === '0' || lower === '') return false;
  throw new UsageError(`${where}: "${text}" is not true or false`);
}
