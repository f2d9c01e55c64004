/** Malformed protobuf input; the message says what was wrong and at which byte offset. */
export class ProtobufDecodeError extends Error {
  override readonly name = 'ProtobufDecodeError';
}
