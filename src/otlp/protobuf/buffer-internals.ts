/**
 * Node's Buffer has had these slice/write methods on its prototype since v0.x; `toString(enc, s, e)`
 * and `write(str, off, enc)` dispatch to them after argument checks. The hot-path codec calls them
 * directly, with offsets it has already bounds-checked. @types/node does not declare them.
 */
declare global {
  interface Buffer {
    latin1Slice(start: number, end: number): string;
    utf8Slice(start: number, end: number): string;
    hexSlice(start: number, end: number): string;
    utf8Write(value: string, offset: number, length?: number): number;
  }
}

export {};
