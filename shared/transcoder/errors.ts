/**
 * Error codes AWS services use for "slow down": retrying later succeeds.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

/** Errors of the network or the SDK's own timeouts: the request may not even have reached AWS. */
const NETWORK_CODES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);

interface AwsErrorShape {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

function shapeOf(error: unknown): AwsErrorShape | undefined {
  return typeof error === 'object' && error !== null ? (error as AwsErrorShape) : undefined;
}

/** How an AWS SDK error should be handled: retried later, recorded as a terminal failure, or unknown. */
export type AwsErrorKind = 'transient' | 'permanent' | 'unknown';

/**
 * Classifies an AWS SDK v3 error. Transient: throttling, 5xx, network errors and anything the SDK
 * marks `$retryable`. Permanent: any other client fault (4xx, e.g. a validation error), which no retry fixes.
 * Unknown: anything that is not an AWS error (a bug, a non-Error throw).
 */
export function classifyAwsError(error: unknown): AwsErrorKind {
  const shape = shapeOf(error);
  if (!shape) return 'unknown';
  const name = typeof shape.name === 'string' ? shape.name : '';
  const code = typeof shape.code === 'string' ? shape.code : '';
  const status =
    typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : undefined;
  if (shape.$retryable) return 'transient';
  if (THROTTLING_CODES.has(name) || NETWORK_CODES.has(name) || NETWORK_CODES.has(code)) return 'transient';
  if (status !== undefined && (status >= 500 || status === 429)) return 'transient';
  if (shape.$fault === 'server') return 'transient';
  if (shape.$fault === 'client' || (status !== undefined && status >= 400)) return 'permanent';
  return 'unknown';
}

/** True for AWS errors a later retry can fix (throttling, 5xx, network, `$retryable`). */
export function isTransientAwsError(error: unknown): boolean {
  return classifyAwsError(error) === 'transient';
}

/** True for AWS client faults (validation, not found, access denied) that no retry fixes. */
export function isPermanentAwsError(error: unknown): boolean {
  return classifyAwsError(error) === 'permanent';
}

/** The transcoder refused or failed to start a job. `permanent` says whether a retry could succeed. */
export class JobStartError extends Error {
  /** The code the transcoder gave (the SDK error name), recorded on the video when permanent. */
  readonly code: string;
  /** True when retrying cannot help (a validation error, a missing pipeline); false for throttling, 5xx, network. */
  readonly permanent: boolean;

  constructor(message: string, options: { cause: unknown; code: string; permanent: boolean }) {
    super(message, { cause: options.cause });
    this.name = 'JobStartError';
    this.code = options.code;
    this.permanent = options.permanent;
  }
}

/** A job-state event or notification is not in a shape this system knows; the message says what was expected. */
export class UnrecognizedJobStateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnrecognizedJobStateError';
  }
}

/** The transcoder backend asked for is not available in this build. */
export class UnsupportedTranscoderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnsupportedTranscoderError';
  }
}

/** Wraps an SDK error thrown while starting a job into a {@link JobStartError}. */
export function toJobStartError(error: unknown, backend: string, videoId: string): JobStartError {
  const kind = classifyAwsError(error);
  const name = shapeOf(error)?.name;
  const code = typeof name === 'string' && name !== 'Error' ? name : 'JobStartFailed';
  const detail = error instanceof Error ? error.message : String(error);
  const hint =
    kind === 'permanent'
      ? 'The request was refused; check the pipeline/queue configuration and the input file.'
      : 'This may succeed when retried.';
  return new JobStartError(`${backend} could not start the job for video ${videoId}: ${detail}. ${hint}`, {
    cause: error,
    code,
    permanent: kind === 'permanent',
  });
}

/**
 * The shape both backends' CancelJob share: cancel; when the service refuses because of the job's
 * state (`refused` error names), read the job and map its status; an unknown job writes nothing.
 */
export async function cancelOrRead(job: {
  readonly cancel: () => Promise<unknown>;
  readonly read: () => Promise<string | undefined>;
  readonly notFound: string;
  readonly refused: readonly string[];
  readonly canceled: string;
  readonly finished: readonly string[];
}): Promise<'canceled' | 'finished' | 'running'> {
  try {
    await job.cancel();
    return 'canceled';
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === job.notFound) return 'finished';
    if (!job.refused.includes(name)) throw error;
  }
  const status = await job.read();
  if (status === job.canceled) return 'canceled';
  return status !== undefined && job.finished.includes(status) ? 'finished' : 'running';
}
