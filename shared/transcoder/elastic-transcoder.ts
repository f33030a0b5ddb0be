import {
  CancelJobCommand,
  CreateJobCommand,
  type CreateJobRequest,
  type ElasticTranscoderClient,
  type Job,
  ReadJobCommand,
} from '@aws-sdk/client-elastic-transcoder';
import {
  isRendition,
  isVideoId,
  outputPrefix,
  RENDITION_SUFFIX,
  RENDITIONS,
  type Rendition,
} from '#shared/video';
import { cancelOrRead, toJobStartError, UnrecognizedJobStateError } from './errors.ts';
import type {
  JobCancellation,
  JobOutput,
  JobState,
  JobStateName,
  SourceProbe,
  TranscodeRequest,
  Transcoder,
} from './port.ts';
import { ELASTIC_TRANSCODER_PRESETS } from './presets.ts';

export { ELASTIC_TRANSCODER_PRESETS } from './presets.ts';

/** What {@link ElasticTranscoderTranscoder} needs: a client and the pipeline that reads the upload bucket. */
export interface ElasticTranscoderDeps {
  readonly client: ElasticTranscoderClient;
  readonly pipelineId: string;
}

/** Builds the one CreateJob request of a video: each rendition of its ladder under the video's prefix, `videoId` in the metadata. */
export function buildCreateJobRequest(request: TranscodeRequest, pipelineId: string): CreateJobRequest {
  return {
    PipelineId: pipelineId,
    // The pipeline fixes the input bucket; Elastic Transcoder takes the key unencoded.
    Input: { Key: request.input.key },
    OutputKeyPrefix: outputPrefix(request.videoId),
    Outputs: (request.renditions ?? RENDITIONS).map((rendition) => ({
      Key: `${rendition}${RENDITION_SUFFIX}`,
      PresetId: ELASTIC_TRANSCODER_PRESETS[rendition],
    })),
    UserMetadata: { videoId: request.videoId },
  };
}

/** Why Elastic Transcoder videos get the full ladder. */
export const ELASTIC_TRANSCODER_CANNOT_PROBE =
  'Elastic Transcoder reads nothing of a source before its job (no probe; ReadJob reports the input size only once a job has opened it)';

/** The {@link Transcoder} on Elastic Transcoder (discontinued 2025-11-13; kept for the seed's deployments). */
export class ElasticTranscoderTranscoder implements Transcoder {
  readonly backend = 'elastic-transcoder' as const;

  constructor(private readonly deps: ElasticTranscoderDeps) {}

  /**
   * Elastic Transcoder cannot read a source before its job: it has no probe, and ReadJob reports the
   * input's size (`Input.DetectedProperties`) only once a job has opened it. Its videos get every rendition.
   */
  async probeSource(): Promise<SourceProbe> {
    return { unknown: ELASTIC_TRANSCODER_CANNOT_PROBE };
  }

  async startJob(request: TranscodeRequest): Promise<string> {
    let jobId: string | undefined;
    try {
      const response = await this.deps.client.send(
        new CreateJobCommand(buildCreateJobRequest(request, this.deps.pipelineId)),
      );
      jobId = response.Job?.Id;
    } catch (error) {
      throw toJobStartError(error, 'Elastic Transcoder', request.videoId);
    }
    if (!jobId) {
      throw toJobStartError(new Error('CreateJob returned no job id'), 'Elastic Transcoder', request.videoId);
    }
    return jobId;
  }

  cancelJob(jobId: string): Promise<JobCancellation> {
    return cancelElasticTranscoderJob(this.deps.client, jobId);
  }

  getJobState(jobId: string): Promise<JobState | undefined> {
    return readElasticTranscoderJob(this.deps.client, jobId);
  }
}

/**
 * An Elastic Transcoder job's state from ReadJob, as its notification would carry it. A failed
 * output's `StatusDetail` starts with the job error code ("3002 <job>: ...").
 */
export async function readElasticTranscoderJob(
  client: Pick<ElasticTranscoderClient, 'send'>,
  jobId: string,
): Promise<JobState | undefined> {
  let job: Job | undefined;
  try {
    job = (await client.send(new ReadJobCommand({ Id: jobId }))).Job;
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
  if (!job) return undefined;
  const videoId = job.UserMetadata?.videoId;
  if (videoId === undefined || !isVideoId(videoId)) {
    throw new UnrecognizedJobStateError(
      `Elastic Transcoder job ${jobId} carries no valid videoId in its user metadata; it was not started by this system.`,
    );
  }
  const base = { backend: 'elastic-transcoder', jobId, videoId } as const;
  switch (job.Status) {
    case 'Complete':
      return { ...base, state: 'COMPLETED', percent: 100 };
    case 'Canceled':
      return { ...base, state: 'CANCELED' };
    case 'Error': {
      const detail = (job.Outputs ?? []).find((output) => output.Status === 'Error')?.StatusDetail;
      return {
        ...base,
        state: 'ERROR',
        errorCode: /^(\d{4})\b/.exec(detail ?? '')?.[1] ?? 'UNKNOWN',
        errorMessage: detail ?? 'Elastic Transcoder reported an error without details.',
      };
    }
    default:
      return { ...base, state: 'PROGRESSING' };
  }
}

/**
 * Cancels an Elastic Transcoder job. Only a Submitted job can be canceled; for any other the service
 * answers ResourceInUseException, and ReadJob tells whether it ended or is still running (it then
 * finishes by itself and its outputs must be swept afterwards).
 * https://docs.aws.amazon.com/elastictranscoder/latest/developerguide/cancel-job.html
 */
export function cancelElasticTranscoderJob(
  client: Pick<ElasticTranscoderClient, 'send'>,
  jobId: string,
): Promise<JobCancellation> {
  return cancelOrRead({
    cancel: () => client.send(new CancelJobCommand({ Id: jobId })),
    read: async () => (await client.send(new ReadJobCommand({ Id: jobId }))).Job?.Status,
    notFound: 'ResourceNotFoundException',
    refused: ['ResourceInUseException'],
    canceled: 'Canceled',
    finished: ['Complete', 'Error'],
  });
}

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

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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

function renditionOf(output: Json): Rendition | undefined {
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
