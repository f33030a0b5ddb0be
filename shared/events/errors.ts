/**
 * An event this function does not know how to read. Permanent: retrying the same payload cannot help,
 * so the message names what was expected and what arrived.
 */
export class UnrecognizedEventError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnrecognizedEventError';
  }
}

/** An object key that cannot be decoded or encoded (a lone `%` in an event key, a lone UTF-16 surrogate). */
export class MalformedKeyError extends Error {
  constructor(
    readonly key: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MalformedKeyError';
  }
}

/** One record that failed inside {@link RecordBatchError}. */
export interface RecordFailure<T = unknown> {
  /** Position of the record in the batch. */
  readonly index: number;
  readonly record: T;
  readonly error: unknown;
}

/**
 * Some records of an invocation failed after every record was attempted. Thrown so the invocation
 * fails (Lambda retries, then dead-letters) without one bad record stopping the others.
 */
export class RecordBatchError<T = unknown> extends AggregateError {
  constructor(
    readonly failures: readonly RecordFailure<T>[],
    readonly total: number,
  ) {
    super(
      failures.map((f) => f.error),
      `${failures.length} of ${total} record(s) failed: ${failures
        .map((f) => `#${f.index}: ${describeError(f.error)}`)
        .join('; ')}`,
      { cause: failures[0]?.error },
    );
    this.name = 'RecordBatchError';
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
