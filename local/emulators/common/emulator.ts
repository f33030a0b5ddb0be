/** What every emulator of the local cloud offers, whatever its service. */
export interface Emulator {
  /** Resolves once nothing the emulator accepted is still queued or running. */
  whenIdle(): Promise<void>;
  /** Stops it: nothing queued runs, nothing more is sent, its servers are closed. */
  stop(): Promise<void>;
}

/** An emulator that serves its AWS API over HTTP on 127.0.0.1. */
export interface ServedEmulator extends Emulator {
  /** `http://127.0.0.1:<port>`, for an SDK client's `endpoint` or `AWS_ENDPOINT_URL_<SERVICE>`. */
  readonly endpoint: string;
}

/** Hands an event to a target (a function, topic or queue ARN); returns at once, as async delivery does. */
export type Deliver = (targetArn: string, event: unknown, origin: string) => void;
