import { awsErrorName, classifyAwsError, isAwsError } from '#shared/aws-errors';

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
  const name = awsErrorName(error);
  const code = name !== undefined && name !== 'Error' ? name : 'JobStartFailed';
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
    if (isAwsError(error, job.notFound)) return 'finished';
    if (!isAwsError(error, ...job.refused)) throw error;
  }
  const status = await job.read();
  if (status === job.canceled) return 'canceled';
  return status !== undefined && job.finished.includes(status) ? 'finished' : 'running';
}
