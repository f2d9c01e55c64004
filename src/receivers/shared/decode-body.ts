import { RequestRejection } from './request-rejection.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Runs a codec on a request body, turning its decode error into a 400 / INVALID_ARGUMENT
 * rejection that keeps the codec's message (byte offset, JSON path) behind `invalid <what>: `.
 */
export function decodeBody<T>(what: string, decodeError: ErrorClass, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (error instanceof decodeError)
      throw new RequestRejection('invalid', `invalid ${what}: ${error.message}`);
    throw error;
  }
}

/** `prepare` may rewrite the text before it is parsed (quoteLongIntegers, for OTLP/JSON). */
export function parseJsonBody(body: Buffer, prepare: (text: string) => string = (text) => text): unknown {
  return decodeBody('JSON', SyntaxError, () => JSON.parse(prepare(body.toString('utf8'))) as unknown);
}
