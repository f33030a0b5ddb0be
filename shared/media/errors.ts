/**
 * The file has no video stream (audio only, a still image, or not media at all). Permanent: the
 * video becomes FAILED/REJECTED with this message as its reason instead of being retried.
 */
export class NotAVideoError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotAVideoError';
  }
}

/**
 * ffprobe could not run or could not read the object (network error, expired URL, timeout, killed).
 * Treated as transient: the invocation fails and Lambda retries with a fresh presigned URL.
 */
export class ProbeError extends Error {
  constructor(
    message: string,
    /** ffprobe's own words, trimmed; empty when it never started. */
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProbeError';
  }
}
