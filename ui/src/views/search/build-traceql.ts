/** The search form's fields, as the URL keeps them. */
export interface SearchFilters {
  service: string;
  spanName: string;
  status: '' | 'error' | 'ok' | 'unset';
  minDuration: string;
  maxDuration: string;
  /** `key=value`, e.g. `http.route=/reservations` or `resource.deployment.environment=prod`. */
  attribute: string;
}

export const NO_FILTERS: SearchFilters = {
  service: '',
  spanName: '',
  status: '',
  minDuration: '',
  maxDuration: '',
  attribute: '',
};

const DURATION = /^\d+(\.\d+)?(ns|us|µs|ms|s|m|h)$/;

/** A TraceQL string literal: double quotes, backslash escapes (Tempo's lexer reads Go's rules). */
export function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
}

/** An attribute value as typed: numbers and booleans as such, anything else a string. */
function literal(text: string): string {
  if (/^-?\d+(\.\d+)?$/.test(text) || text === 'true' || text === 'false') return text;
  return quote(text);
}

/** A field name: scoped or intrinsic as written, otherwise an unscoped attribute (`.key`). */
function field(key: string): string {
  if (/^(span|resource|event|link|instrumentation)?\./.test(key)) return key;
  return `.${key}`;
}

/**
 * The filters as one TraceQL spanset filter: all conditions on the same span (`&&`), so "service
 * X, span name Y, status error" finds traces with a span of X named Y that failed. The duration
 * bounds are the trace's (`traceDuration`, Tempo's meaning of min/maxDuration). Empty → `{}`.
 */
export function buildTraceQL(filters: SearchFilters): string {
  const conditions: string[] = [];
  if (filters.service) conditions.push(`resource.service.name = ${quote(filters.service)}`);
  if (filters.spanName) conditions.push(`name = ${quote(filters.spanName)}`);
  if (filters.status) conditions.push(`status = ${filters.status}`);
  const min = filters.minDuration.trim();
  const max = filters.maxDuration.trim();
  if (DURATION.test(min)) conditions.push(`traceDuration >= ${min}`);
  if (DURATION.test(max)) conditions.push(`traceDuration <= ${max}`);
  const eq = filters.attribute.indexOf('=');
  if (eq > 0) {
    const key = filters.attribute.slice(0, eq).trim();
    const value = filters.attribute.slice(eq + 1).trim();
    if (key !== '') conditions.push(`${field(key)} = ${literal(value)}`);
  }
  return conditions.length === 0 ? '{}' : `{ ${conditions.join(' && ')} }`;
}

export function filtersFromParams(params: URLSearchParams): SearchFilters {
  const status = params.get('status') ?? '';
  return {
    service: params.get('service') ?? '',
    spanName: params.get('spanName') ?? '',
    status: status === 'error' || status === 'ok' || status === 'unset' ? status : '',
    minDuration: params.get('minDuration') ?? '',
    maxDuration: params.get('maxDuration') ?? '',
    attribute: params.get('attribute') ?? '',
  };
}

export function isValidDuration(text: string): boolean {
  return text.trim() === '' || DURATION.test(text.trim());
}
