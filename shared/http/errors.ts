/**
 * An error the API reports to its caller: a status code, a stable machine-readable `code` and a
 * message that says what was wrong and what to do. Anything that is not an `HttpError` becomes a
 * 500 whose body says nothing about the cause.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpError';
  }
}

/** The request is malformed or breaks a rule (400). `code` says which rule, e.g. `TOO_LARGE`. */
export class BadRequestError extends HttpError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(400, code, message, options);
    this.name = 'BadRequestError';
  }
}

/** The request carries no verified identity (401); API Gateway's JWT authorizer normally answers first. */
export class UnauthorizedError extends HttpError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(401, 'UNAUTHORIZED', message, options);
    this.name = 'UnauthorizedError';
  }
}

/** The resource does not exist or is not visible to the caller (404); the two are not told apart. */
export class NotFoundError extends HttpError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(404, 'NOT_FOUND', message, options);
    this.name = 'NotFoundError';
  }
}
