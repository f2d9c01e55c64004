/** A load generator's view of a protocol client: send one pre-encoded export request. */
export interface Sender {
  /** Resolves when the server accepted the request; rejects on any error status or failure. */
  readonly send: (payload: Buffer) => Promise<void>;
  readonly close: () => void;
}
