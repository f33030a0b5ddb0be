import { isObject, type JsonObject } from '#shared/json';
import { isRendition, isVideoId, type Rendition } from '#shared/video';
import { UnrecognizedJobStateError } from '../errors.ts';
import type { JobOutput, JobState, JobStateName } from '../port.ts';
import { ELASTIC_TRANSCODER_PRESETS } from './presets.ts';

const STATES: Readonly<Record<string, JobStateName>> = {
  PROGRESSING: 'PROGRESSING',
  // A warning does not stop the job; a COMPLETED or ERROR notification follows.
  WARNING: 'PROGRESSING',
  COMPLETED: 'COMPLETED',
  ERROR: 'ERROR',
};

const RENDITION_BY_PRESET = new Map<string, Rendition>(
  Object.entries(ELASTIC_TRANSCODER_PRESETS).map(([rendition, preset]) => [preset, rendition as Rendition]),
);

function optionalNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

function optionalText(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function renditionOf(output: JsonObject): Rendition | undefined {
  const preset = typeof output.presetId === 'string' ? RENDITION_BY_PRESET.get(output.presetId) : undefined;
  if (preset) return preset;
  const key = typeof output.key === 'string' ? output.key : '';
  const base = key.slice(key.lastIndexOf('/') + 1).replace(/\.mp4$/, '');
  return isRendition(base) ? base : undefined;
}

function parseOutput(output: unknown, prefix: string): JobOutput {
  if (!isObject(output)) return {};
  const rendition = renditionOf(output);
  const key = typeof output.key === 'string' ? `${prefix}${output.key}` : undefined;
  const width = optionalNumber(output.width);
  const height = optionalNumber(output.height);
  const durationSeconds = optionalNumber(output.duration);
  return {
    ...(rendition && { rendition }),
    ...(key && { key }),
    ...(width !== undefined && { width }),
    ...(height !== undefined && { height }),
    ...(durationSeconds !== undefined && { durationSeconds }),
  };
}

/** The first output that failed, for its detail when the job-level message is missing. */
function failedOutputDetail(outputs: readonly unknown[]): { code?: string; detail?: string } {
  for (const output of outputs) {
    if (isObject(output) && output.status === 'Error') {
      return {
        ...(optionalText(output.errorCode) && { code: optionalText(output.errorCode) }),
        ...(optionalText(output.statusDetail) && { detail: optionalText(output.statusDetail) }),
      };
    }
  }
  return {};
}

/**
 * Parses one Elastic Transcoder job notification (the `Message` of the SNS notification, as a JSON string
 * or already parsed) into a {@link JobState}. Format:
 * https://docs.aws.amazon.com/elastictranscoder/latest/developerguide/notifications.html
 */
export function parseElasticTranscoderNotification(message: unknown): JobState {
  let body: unknown = message;
  if (typeof message === 'string') {
    try {
      body = JSON.parse(message);
    } catch (error) {
      throw new UnrecognizedJobStateError(
        `An Elastic Transcoder notification must be JSON; got ${JSON.stringify(message.slice(0, 80))}.`,
        { cause: error },
      );
    }
  }
  if (!isObject(body)) {
    throw new UnrecognizedJobStateError('An Elastic Transcoder notification must be a JSON object.');
  }
  const state = typeof body.state === 'string' ? STATES[body.state] : undefined;
  if (!state) {
    throw new UnrecognizedJobStateError(
      `Elastic Transcoder notification has state ${JSON.stringify(body.state)}; expected PROGRESSING, COMPLETED, WARNING or ERROR.`,
    );
  }
  const jobId = typeof body.jobId === 'string' && body.jobId !== '' ? body.jobId : undefined;
  if (!jobId) {
    throw new UnrecognizedJobStateError('Elastic Transcoder notification has no jobId.');
  }
  const videoId = isObject(body.userMetadata) ? body.userMetadata.videoId : undefined;
  if (typeof videoId !== 'string' || !isVideoId(videoId)) {
    throw new UnrecognizedJobStateError(
      `Elastic Transcoder job ${jobId} carries no valid videoId in its userMetadata (got ${JSON.stringify(videoId)}); it was not started by this system.`,
    );
  }
  const prefix = typeof body.outputKeyPrefix === 'string' ? body.outputKeyPrefix : '';
  const rawOutputs = Array.isArray(body.outputs) ? body.outputs : [];
  const outputs = rawOutputs.map((output) => parseOutput(output, prefix));

  if (state !== 'ERROR') {
    return {
      backend: 'elastic-transcoder',
      jobId,
      videoId,
      state,
      ...(state === 'COMPLETED' && { percent: 100 }),
      outputs,
    };
  }
  const failed = failedOutputDetail(rawOutputs);
  return {
    backend: 'elastic-transcoder',
    jobId,
    videoId,
    state,
    errorCode: optionalText(body.errorCode) ?? failed.code ?? 'UNKNOWN',
    errorMessage:
      optionalText(body.messageDetails) ??
      failed.detail ??
      'Elastic Transcoder reported an error without details.',
    outputs,
  };
}
