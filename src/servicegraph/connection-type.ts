import { SpanKind } from '../model/span.js';

/**
 * `ConnectionType` of an edge row, as the Enum8 numbers of service-graph-edges-schema.ts: what
 * the child (server-side) span of a pair is. See that file for the meaning of each.
 */
export const ConnectionType = {
  NONE: 0,
  REQUEST: 1,
  MESSAGING_SYSTEM: 2,
  OTHER: 3,
} as const;
export type ConnectionType = (typeof ConnectionType)[keyof typeof ConnectionType];

/** SERVER → request, CONSUMER → messaging_system (Tempo's names); any other kind → other. */
export function connectionTypeOfChild(kind: SpanKind): ConnectionType {
  if (kind === SpanKind.SERVER) return ConnectionType.REQUEST;
  if (kind === SpanKind.CONSUMER) return ConnectionType.MESSAGING_SYSTEM;
  return ConnectionType.OTHER;
}
