import { FfmpegError } from '#local/media';
import { isTransientAwsError } from '#shared/aws-errors';
import type { JobPlan } from './settings.ts';

/** An EventBridge event exactly as MediaConvert puts it on the default bus. */
export interface MediaConvertJobStateEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'MediaConvert Job State Change';
  readonly source: 'aws.mediaconvert';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

/**
 * Error codes in ERROR events (https://docs.aws.amazon.com/mediaconvert/latest/ug/mediaconvert_error_codes.html).
 * The input's faults: 1010 "can't open input", 1076 "Source Read Error" (the transcoder could not read
 * the stream); the docs tie no code to the missing-audio-track message, so it is filed under 1040, a
 * settings error. MediaConvert's own: 1999 "Unknown Error", an unexpected transcoding error (the
 * engine died, storage could not be reached), which a new job may not hit.
 */
export const ERROR_CODES = { INPUT: 1010, SOURCE_READ: 1076, AUDIO_TRACK: 1040, UNKNOWN: 1999 } as const;

/**
 * What a failure inside a job is reported as: an ffmpeg that could not decode the input is the
 * input's fault; an ffmpeg killed by a signal, or storage that answered 5xx or throttled, is the
 * service's own (1999), and says so.
 */
export function engineFailure(error: unknown): JobFailure {
  if (error instanceof FfmpegError && error.signal === undefined) {
    return new JobFailure(ERROR_CODES.SOURCE_READ, `Source Read Error: ${error.message}`, { cause: error });
  }
  if (error instanceof FfmpegError) {
    return new JobFailure(
      ERROR_CODES.UNKNOWN,
      `Unknown Error: the transcoding engine stopped unexpectedly (${error.signal}).`,
      { cause: error },
    );
  }
  if (isTransientAwsError(error)) {
    const { name, message } = error as Error;
    return new JobFailure(
      ERROR_CODES.UNKNOWN,
      `Unknown Error: Amazon S3 could not be reached (${name}: ${message}).`,
      {
        cause: error,
      },
    );
  }
  return new JobFailure(ERROR_CODES.UNKNOWN, `Unknown Error: ${String(error)}`, { cause: error });
}

/** A job ends in ERROR with this code and message. */
export class JobFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'JobFailure';
  }
}

/** What a finished output reports in the COMPLETE event and GetJob. */
export interface OutputDetail {
  readonly path: string;
  readonly durationInMs: number;
  readonly widthInPx: number;
  readonly heightInPx: number;
  readonly averageBitrate?: number;
}

/** A job as the emulator keeps it. */
export interface Job {
  readonly id: string;
  readonly arn: string;
  readonly plan: JobPlan;
  readonly wire: Record<string, unknown>;
  readonly submitTime: Date;
  /** Aborted by CancelJob: kills the running ffmpeg, and no step after it starts. */
  readonly abort: AbortController;
  /** Aborted by an injected engine death: kills the running ffmpeg as a crash would. */
  readonly engine: AbortController;
  status: 'SUBMITTED' | 'PROGRESSING' | 'COMPLETE' | 'ERROR' | 'CANCELED';
  /** Set while the job runs; settles once it has stopped writing. */
  running?: Promise<void>;
  percent?: number;
  startTime?: Date;
  finishTime?: Date;
  errorCode?: number;
  errorMessage?: string;
  groups?: OutputDetail[][];
}

/** Throws once CancelJob has canceled the job, so it stops before its next step. */
export function stopIfCanceled(job: Job): void {
  if (job.status === 'CANCELED') throw new Error(`Job ${job.id} was canceled.`);
}

/** A job as GetJob and CreateJob answer it (wire shape). */
export function wireJob(job: Job): Record<string, unknown> {
  const seconds = (date: Date | undefined) => (date ? Math.floor(date.getTime() / 1000) : undefined);
  return {
    ...job.wire,
    id: job.id,
    arn: job.arn,
    status: job.status,
    createdAt: seconds(job.submitTime),
    ...(job.percent !== undefined && { jobPercentComplete: job.percent }),
    ...(job.errorCode !== undefined && { errorCode: job.errorCode, errorMessage: job.errorMessage }),
    timing: {
      submitTime: seconds(job.submitTime),
      ...(job.startTime && { startTime: seconds(job.startTime) }),
      ...(job.finishTime && { finishTime: seconds(job.finishTime) }),
    },
    ...(job.groups && {
      outputGroupDetails: job.groups.map((group) => ({
        outputDetails: group.map((output) => ({
          durationInMs: output.durationInMs,
          videoDetails: { widthInPx: output.widthInPx, heightInPx: output.heightInPx },
        })),
      })),
    }),
  };
}
