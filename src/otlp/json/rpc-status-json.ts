/** `google.rpc.Status` in proto3 JSON; `details` (a list of `Any`) is never sent. */
export interface RpcStatusJson {
  code?: number;
  message?: string;
}

/**
 * The body of a failed OTLP/HTTP JSON request: the OTLP spec ("OTLP/HTTP Response", "Failures")
 * has the server answer every 4xx/5xx with a `google.rpc.Status`, encoded like the request. The spec
 * lets servers omit `code` and clients ignore it; when given it is a gRPC code (3 INVALID_ARGUMENT…).
 * Defaults (code 0, message '') are left out as protojson leaves them out.
 */
export function encodeRpcStatusJson(code: number, message: string): RpcStatusJson {
  const out: RpcStatusJson = {};
  if (code !== 0) out.code = code;
  if (message !== '') out.message = message;
  return out;
}
