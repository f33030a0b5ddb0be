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

/** The name an AWS SDK v3 error carries (its exception, e.g. `ValidationException`), if any. */
export function awsErrorName(error: unknown): string | undefined {
  const name = shapeOf(error)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** True when `error` is an Error named one of `names`, e.g. `isAwsError(error, 'NoSuchKey', 'NotFound')`. */
export function isAwsError(error: unknown, ...names: readonly string[]): boolean {
  return error instanceof Error && names.includes(error.name);
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
