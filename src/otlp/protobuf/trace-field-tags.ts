import { WireType } from './proto-reader.js';

/*
 * Field tags of the trace export request's messages (opentelemetry-proto: collector/trace/v1,
 * trace/v1, resource/v1, common/v1) as they appear on the wire: (field number << 3) | wire type,
 * precomputed so that each field is one switch case. Shared by the decoder and the scanner, which
 * must read exactly the same fields.
 */
const LEN = WireType.LEN;
const VARINT = WireType.VARINT;
const I64 = WireType.I64;
const I32 = WireType.I32;
const tag = (field: number, wireType: number): number => (field << 3) | wireType;

export const REQ_RESOURCE_SPANS = tag(1, LEN);

export const RS_RESOURCE = tag(1, LEN);
export const RS_SCOPE_SPANS = tag(2, LEN);
export const RS_SCHEMA_URL = tag(3, LEN);

export const RES_ATTRIBUTES = tag(1, LEN);
export const RES_DROPPED = tag(2, VARINT);

export const SS_SCOPE = tag(1, LEN);
export const SS_SPANS = tag(2, LEN);
export const SS_SCHEMA_URL = tag(3, LEN);

export const SCOPE_NAME = tag(1, LEN);
export const SCOPE_VERSION = tag(2, LEN);
export const SCOPE_ATTRIBUTES = tag(3, LEN);
export const SCOPE_DROPPED = tag(4, VARINT);

export const SPAN_TRACE_ID = tag(1, LEN);
export const SPAN_SPAN_ID = tag(2, LEN);
export const SPAN_TRACE_STATE = tag(3, LEN);
export const SPAN_PARENT_SPAN_ID = tag(4, LEN);
export const SPAN_NAME = tag(5, LEN);
export const SPAN_KIND = tag(6, VARINT);
export const SPAN_START = tag(7, I64);
export const SPAN_END = tag(8, I64);
export const SPAN_ATTRIBUTES = tag(9, LEN);
export const SPAN_DROPPED_ATTRIBUTES = tag(10, VARINT);
export const SPAN_EVENTS = tag(11, LEN);
export const SPAN_DROPPED_EVENTS = tag(12, VARINT);
export const SPAN_LINKS = tag(13, LEN);
export const SPAN_DROPPED_LINKS = tag(14, VARINT);
export const SPAN_STATUS = tag(15, LEN);
export const SPAN_FLAGS = tag(16, I32);

export const EVENT_TIME = tag(1, I64);
export const EVENT_NAME = tag(2, LEN);
export const EVENT_ATTRIBUTES = tag(3, LEN);
export const EVENT_DROPPED = tag(4, VARINT);

export const LINK_TRACE_ID = tag(1, LEN);
export const LINK_SPAN_ID = tag(2, LEN);
export const LINK_TRACE_STATE = tag(3, LEN);
export const LINK_ATTRIBUTES = tag(4, LEN);
export const LINK_DROPPED = tag(5, VARINT);
export const LINK_FLAGS = tag(6, I32);

export const STATUS_DEPRECATED_CODE = tag(1, VARINT);
export const STATUS_MESSAGE = tag(2, LEN);
export const STATUS_CODE = tag(3, VARINT);

export const KV_KEY = tag(1, LEN);
export const KV_VALUE = tag(2, LEN);

export const AV_STRING = tag(1, LEN);
export const AV_BOOL = tag(2, VARINT);
export const AV_INT = tag(3, VARINT);
export const AV_DOUBLE = tag(4, I64);
export const AV_ARRAY = tag(5, LEN);
export const AV_KVLIST = tag(6, LEN);
export const AV_BYTES = tag(7, LEN);

export const LIST_VALUES = tag(1, LEN);
