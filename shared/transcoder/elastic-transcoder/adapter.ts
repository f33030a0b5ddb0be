import {
  CancelJobCommand,
  CreateJobCommand,
  type ElasticTranscoderClient,
  type Job,
  ReadJobCommand,
} from '@aws-sdk/client-elastic-transcoder';
import { isAwsError } from '#shared/aws-errors';
import { isVideoId } from '#shared/video';
import { cancelOrRead, toJobStartError, UnrecognizedJobStateError } from '../errors.ts';
import type { JobCancellation, JobState, SourceProbe, TranscodeRequest, Transcoder } from '../port.ts';
import { buildCreateJobRequest } from './job-settings.ts';

/** What {@link ElasticTranscoderTranscoder} needs: a client and the pipeline that reads the upload bucket. */
export interface ElasticTranscoderDeps {
  readonly client: ElasticTranscoderClient;
  readonly pipelineId: string;
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
    if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
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
