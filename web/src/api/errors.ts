/** The API refused a request: its HTTP status, its `code` and a message that is safe to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
  }

  /** True for a 401: the user must sign in again (the client has already started that). */
  get unauthorized(): boolean {
    return this.status === 401;
  }
}

/** The request never got an answer (offline, DNS, CORS, timeout): retrying may help. */
export class NetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NetworkError';
  }
}

/** True when retrying the same request may succeed: no answer, or a server-side failure. */
export function isRetryable(error: unknown): boolean {
  return error instanceof NetworkError || (error instanceof ApiError && error.status >= 500);
}

/** A message for any error that is safe and useful to show: never `undefined` or `[object Object]`. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError || error instanceof NetworkError) return error.message;
  return 'Something went wrong in the app. Reload the page; if it keeps happening, tell us what you did.';
}
