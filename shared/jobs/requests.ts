import { LambdaClient } from '@aws-sdk/client-lambda';
import { invokeAsync } from '#shared/invoke';
import { isObject } from '#shared/json';
import { isVideoId } from '#shared/video';

/** Most jobs one video may be given: the first, and two replacements of jobs the transcoder failed. */
export const MAX_JOB_ATTEMPTS = 3;

/**
 * What other functions ask `transcode-video`, the one function that starts jobs and so owns the claim:
 * `replace-job`, a new job for a video whose job failed for the transcoder's own reasons;
 * `resume-upload`, the upload of a video whose claim or job never started (found by the reconciler).
 */
export type TranscodeRequest =
  | { readonly kind: 'replace-job'; readonly videoId: string; readonly failedJobId: string }
  | {
      readonly kind: 'resume-upload';
      readonly videoId: string;
      readonly bucket: string;
      readonly key: string;
      /** Its size as S3 recorded it (the upload rules refuse empty and oversized files). */
      readonly size: number;
      readonly versionId?: string;
    };

/** A `transcode-video` event that claims to be a {@link TranscodeRequest} but is not one; retrying cannot fix it. */
export class InvalidTranscodeRequestError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidTranscodeRequestError';
  }
}

const KINDS: readonly string[] = ['replace-job', 'resume-upload'];

/**
 * The {@link TranscodeRequest} an event carries, or undefined when the event is not one (an S3 or
 * EventBridge upload event); throws {@link InvalidTranscodeRequestError} for a malformed request.
 */
export function parseTranscodeRequest(event: unknown): TranscodeRequest | undefined {
  if (!isObject(event)) return undefined;
  const fields = event;
  if (typeof fields.kind !== 'string' || !KINDS.includes(fields.kind)) return undefined;
  const { videoId } = fields;
  if (typeof videoId !== 'string' || !isVideoId(videoId)) {
    throw new InvalidTranscodeRequestError(
      `A ${fields.kind} request needs a videoId of 22 base64url characters, got ${JSON.stringify(videoId)}.`,
    );
  }
  const text = (name: string): string => {
    const value = fields[name];
    if (typeof value !== 'string' || value === '') {
      throw new InvalidTranscodeRequestError(`A ${fields.kind} request needs a non-empty string ${name}.`);
    }
    return value;
  };
  if (fields.kind === 'replace-job')
    return { kind: 'replace-job', videoId, failedJobId: text('failedJobId') };
  if (typeof fields.size !== 'number' || !Number.isSafeInteger(fields.size) || fields.size < 0) {
    throw new InvalidTranscodeRequestError('A resume-upload request needs the size of the upload in bytes.');
  }
  return {
    kind: 'resume-upload',
    videoId,
    bucket: text('bucket'),
    key: text('key'),
    size: fields.size,
    ...(typeof fields.versionId === 'string' && { versionId: fields.versionId }),
  };
}

/** Asks `transcode-video` to act on a video; resolves once Lambda has accepted the event. */
export type RequestTranscode = (request: TranscodeRequest) => Promise<void>;

/** A {@link RequestTranscode} that invokes `functionName` asynchronously, with its retries and dead-letter queue. */
export function transcodeRequester(
  functionName: string,
  client: Pick<LambdaClient, 'send'> = new LambdaClient({}),
): RequestTranscode {
  return (request) =>
    invokeAsync(client, functionName, request, `the ${request.kind} request for video ${request.videoId}`);
}
