import { isObject, type JsonObject } from '#shared/json';
import { isVideoId, parseRenditionKey, posterBaseKey } from '#shared/video';
import { UnrecognizedJobStateError } from '../errors.ts';
import type { JobOutput, JobState, JobStateName } from '../port.ts';

/** `detail-type` of the EventBridge events MediaConvert sends for every job state change. */
export const MEDIACONVERT_DETAIL_TYPE = 'MediaConvert Job State Change';

/** `source` of every MediaConvert EventBridge event. */
export const MEDIACONVERT_EVENT_SOURCE = 'aws.mediaconvert';

/**
 * Job statuses in "MediaConvert Job State Change" events and what they mean here. Warnings, input
 * information and status updates are all "still running":
 * https://docs.aws.amazon.com/mediaconvert/latest/ug/eventbridge_events.html
 */
const STATES: Readonly<Record<string, JobStateName>> = {
  SUBMITTED: 'PROGRESSING',
  PROGRESSING: 'PROGRESSING',
  STATUS_UPDATE: 'PROGRESSING',
  INPUT_INFORMATION: 'PROGRESSING',
  NEW_WARNING: 'PROGRESSING',
  COMPLETE: 'COMPLETED',
  ERROR: 'ERROR',
  CANCELED: 'CANCELED',
};

function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function optionalText(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** The key of an `s3://bucket/key` path as MediaConvert reports it (keys are not URL-encoded there). */
export function keyOfS3Url(url: string): string | undefined {
  const match = /^s3:\/\/[^/]+\/(.+)$/s.exec(url);
  return match?.[1];
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Every output the COMPLETE event lists, with its first file's key, as reported. */
function reportedOutputs(detail: JsonObject): { key: string; output: JsonObject }[] {
  const found: { key: string; output: JsonObject }[] = [];
  for (const group of listOf(detail.outputGroupDetails)) {
    if (!isObject(group)) continue;
    for (const output of listOf(group.outputDetails)) {
      if (!isObject(output)) continue;
      for (const path of listOf(output.outputFilePaths)) {
        const key = typeof path === 'string' ? keyOfS3Url(path) : undefined;
        if (key) found.push({ key, output });
      }
    }
  }
  return found;
}

function jobOutput(key: string, output: JsonObject): JobOutput {
  const rendition = parseRenditionKey(key)?.rendition;
  const video = isObject(output.videoDetails) ? output.videoDetails : {};
  const width = optionalNumber(video.widthInPx);
  const height = optionalNumber(video.heightInPx);
  const durationMs = optionalNumber(output.durationInMs);
  return {
    ...(rendition && { rendition }),
    key,
    ...(width !== undefined && { width }),
    ...(height !== undefined && { height }),
    ...(durationMs !== undefined && { durationSeconds: durationMs / 1000 }),
  };
}

function isPosterKey(key: string, videoId: string): boolean {
  return key.startsWith(`${posterBaseKey(videoId)}.`) && key.toLowerCase().endsWith('.jpg');
}

/**
 * Parses an EventBridge "MediaConvert Job State Change" event into a {@link JobState}: COMPLETE with
 * the renditions and poster from `outputGroupDetails`, ERROR with `errorCode`/`errorMessage`, CANCELED,
 * and the running states with `jobProgress.jobPercentComplete` when reported. Throws
 * {@link UnrecognizedJobStateError} for anything else, including jobs without a `videoId` in their user metadata.
 */
export function parseMediaConvertEvent(event: unknown): JobState {
  if (!isObject(event) || event.source !== MEDIACONVERT_EVENT_SOURCE || !isObject(event.detail)) {
    throw new UnrecognizedJobStateError(
      `Expected an EventBridge event with source "${MEDIACONVERT_EVENT_SOURCE}" and a detail object (detail-type "${MEDIACONVERT_DETAIL_TYPE}").`,
    );
  }
  if (event['detail-type'] !== MEDIACONVERT_DETAIL_TYPE) {
    throw new UnrecognizedJobStateError(
      `MediaConvert event has detail-type ${JSON.stringify(event['detail-type'])}; only "${MEDIACONVERT_DETAIL_TYPE}" carries job states.`,
    );
  }
  const detail = event.detail;
  const state = typeof detail.status === 'string' ? STATES[detail.status] : undefined;
  if (!state) {
    throw new UnrecognizedJobStateError(
      `MediaConvert event has status ${JSON.stringify(detail.status)}; expected one of ${Object.keys(STATES).join(', ')}.`,
    );
  }
  const jobId = typeof detail.jobId === 'string' && detail.jobId !== '' ? detail.jobId : undefined;
  if (!jobId) throw new UnrecognizedJobStateError('MediaConvert event has no detail.jobId.');
  const videoId = isObject(detail.userMetadata) ? detail.userMetadata.videoId : undefined;
  if (typeof videoId !== 'string' || !isVideoId(videoId)) {
    throw new UnrecognizedJobStateError(
      `MediaConvert job ${jobId} carries no valid videoId in its userMetadata (got ${JSON.stringify(videoId)}); it was not started by this system.`,
    );
  }
  const base = { backend: 'mediaconvert', jobId, videoId } as const;

  switch (state) {
    case 'COMPLETED': {
      const reported = reportedOutputs(detail);
      const poster = reported.find(({ key }) => isPosterKey(key, videoId));
      const outputs = reported
        .filter(({ key }) => !isPosterKey(key, videoId))
        .map((r) => jobOutput(r.key, r.output));
      return { ...base, state, percent: 100, outputs, ...(poster && { posterKey: poster.key }) };
    }
    case 'ERROR':
      return {
        ...base,
        state,
        errorCode: optionalText(detail.errorCode) ?? 'UNKNOWN',
        errorMessage:
          optionalText(detail.errorMessage) ?? 'MediaConvert reported an error without a message.',
      };
    case 'CANCELED':
      return { ...base, state };
    case 'PROGRESSING': {
      const progress = isObject(detail.jobProgress)
        ? optionalNumber(detail.jobProgress.jobPercentComplete)
        : undefined;
      const percent = progress === undefined ? undefined : Math.min(100, Math.max(0, progress));
      return { ...base, state, ...(percent !== undefined && { percent }) };
    }
  }
}
