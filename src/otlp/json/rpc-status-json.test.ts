import { describe, expect, it } from 'vitest';
import { encodeRpcStatusJson } from './rpc-status-json.js';

describe('encodeRpcStatusJson', () => {
  it('writes a google.rpc.Status with code and message', () => {
    expect(encodeRpcStatusJson(3, 'resourceSpans: expected an array, got an object')).toStrictEqual({
      code: 3,
      message: 'resourceSpans: expected an array, got an object',
    });
  });

  it('leaves out defaults, as protojson does', () => {
    expect(encodeRpcStatusJson(0, '')).toStrictEqual({});
    expect(encodeRpcStatusJson(14, '')).toStrictEqual({ code: 14 });
  });
});
