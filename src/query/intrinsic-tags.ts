import type { SpanKindName } from './span-kinds.js';
import { SPAN_KIND_NAME_SQL, STATUS_NAME_SQL, STATUS_NAMES } from './span-kinds.js';

/**
 * TraceQL intrinsics as the `intrinsic` scope of Tempo's `/api/v2/search/tags`: Tempo's own
 * autocomplete list (`pkg/search` `GetVirtualIntrinsicValues`, both the plain and the `span:` /
 * `trace:` forms), then the id intrinsics TraceQL accepts, which Tempo leaves out of autocomplete
 * but Tracehouse offers.
 */
export const INTRINSIC_TAGS: readonly string[] = [
  'duration',
  'kind',
  'name',
  'status',
  'statusMessage',
  'traceDuration',
  'rootServiceName',
  'rootName',
  'span:status',
  'span:statusMessage',
  'span:duration',
  'span:name',
  'span:kind',
  'trace:rootName',
  'trace:rootService',
  'trace:duration',
  'event:name',
  'event:timeSinceStart',
  'instrumentation:name',
  'instrumentation:version',
  'span:id',
  'span:parentID',
  'trace:id',
  'link:traceID',
  'link:spanID',
];

/**
 * Where an intrinsic's values come from:
 * - `column`: a string expression per span row (`where`: an extra condition on the row);
 * - `array`: an Array(String) expression, one value per element;
 * - `keywords`: a fixed vocabulary (status, kind). Tempo answers these with the whole list even
 *   when some never occur; we order the seen ones by frequency and append the rest, so a user can
 *   still pick `status = error` in a range without errors;
 * - `none`: no useful values (durations, ids, offsets), as Tempo returns none for durations.
 */
export type IntrinsicValues =
  | { readonly from: 'column'; readonly sql: string; readonly where: string }
  | { readonly from: 'array'; readonly sql: string }
  | { readonly from: 'keywords'; readonly sql: string; readonly all: readonly string[] }
  | { readonly from: 'none' };

const NAME: IntrinsicValues = { from: 'column', sql: 'SpanName', where: '1' };
const STATUS: IntrinsicValues = { from: 'keywords', sql: STATUS_NAME_SQL, all: STATUS_NAMES };
const STATUS_MESSAGE: IntrinsicValues = {
  from: 'column',
  sql: 'StatusMessage',
  where: "StatusMessage != ''",
};
// Tempo lists kinds in this order (client first); the order matters only for unseen ones.
const KIND: IntrinsicValues = {
  from: 'keywords',
  sql: SPAN_KIND_NAME_SQL,
  all: ['client', 'server', 'producer', 'consumer', 'internal', 'unspecified'] satisfies SpanKindName[],
};
const ROOT_NAME: IntrinsicValues = { from: 'column', sql: 'SpanName', where: "ParentSpanId = ''" };
const ROOT_SERVICE: IntrinsicValues = { from: 'column', sql: 'ServiceName', where: "ParentSpanId = ''" };

const VALUES: Readonly<Record<string, IntrinsicValues>> = {
  name: NAME,
  'span:name': NAME,
  status: STATUS,
  'span:status': STATUS,
  statusMessage: STATUS_MESSAGE,
  'span:statusMessage': STATUS_MESSAGE,
  kind: KIND,
  'span:kind': KIND,
  rootName: ROOT_NAME,
  'trace:rootName': ROOT_NAME,
  rootServiceName: ROOT_SERVICE,
  'trace:rootService': ROOT_SERVICE,
  'event:name': { from: 'array', sql: '`Events.Name`' },
  'instrumentation:name': { from: 'column', sql: 'ScopeName', where: "ScopeName != ''" },
  'instrumentation:version': { from: 'column', sql: 'ScopeVersion', where: "ScopeVersion != ''" },
};

/** How to list an intrinsic's values; undefined for a name that is not an intrinsic. */
export function intrinsicValues(name: string): IntrinsicValues | undefined {
  if (Object.hasOwn(VALUES, name)) return VALUES[name];
  return INTRINSIC_TAGS.includes(name) ? { from: 'none' } : undefined;
}
