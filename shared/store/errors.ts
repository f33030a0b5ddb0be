/**
 * A list cursor that this repository did not issue for this query: not base64url JSON, not the
 * index's key shape, or a key of another partition (another status or owner). The caller gets a
 * 400: pass the previous page's cursor back unchanged, or omit it to start from the newest.
 */
export class InvalidCursorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidCursorError';
  }
}
