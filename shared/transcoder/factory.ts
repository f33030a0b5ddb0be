import { ElasticTranscoderClient } from '@aws-sdk/client-elastic-transcoder';
import { MediaConvertClient } from '@aws-sdk/client-mediaconvert';
import {
  cancelElasticTranscoderJob,
  ElasticTranscoderTranscoder,
  readElasticTranscoderJob,
} from './elastic-transcoder/index.ts';
import { UnsupportedTranscoderError } from './errors.ts';
import {
  cancelMediaConvertJob,
  type MediaConvertDeps,
  MediaConvertTranscoder,
  readMediaConvertJob,
} from './mediaconvert/index.ts';
import type { JobControl, JobReader, Transcoder, TranscoderBackend } from './port.ts';

/** Settings of every backend; only the selected backend's entry is needed. */
export interface TranscoderSettings {
  readonly elasticTranscoder?: { readonly client: ElasticTranscoderClient; readonly pipelineId: string };
  readonly mediaConvert?: MediaConvertDeps;
}

/** Builds the {@link Transcoder} of `backend`; throws when its settings are missing or the backend is not built in. */
export function createTranscoder(backend: TranscoderBackend, settings: TranscoderSettings): Transcoder {
  switch (backend) {
    case 'elastic-transcoder': {
      if (!settings.elasticTranscoder) {
        throw new UnsupportedTranscoderError(
          'The elastic-transcoder backend needs a client and a pipeline id (ELASTIC_TRANSCODER_PIPELINE_ID).',
        );
      }
      return new ElasticTranscoderTranscoder(settings.elasticTranscoder);
    }
    case 'mediaconvert': {
      if (!settings.mediaConvert) {
        throw new UnsupportedTranscoderError(
          'The mediaconvert backend needs a client, a queue ARN (MEDIACONVERT_QUEUE_ARN), a role ARN (MEDIACONVERT_ROLE_ARN) and the transcoded bucket.',
        );
      }
      return new MediaConvertTranscoder(settings.mediaConvert);
    }
  }
}

/** The SDK clients of the job functions: only the backend's own is needed. */
export interface JobClients {
  readonly mediaConvert?: Pick<MediaConvertClient, 'send'>;
  readonly elasticTranscoder?: Pick<ElasticTranscoderClient, 'send'>;
}

/** Reads jobs of `backend` with only that backend's client: what the reconciler needs, and no more. */
export function createJobReader(backend: TranscoderBackend, clients: JobClients): JobReader {
  const { mediaConvert, elasticTranscoder } = clients;
  if (backend === 'mediaconvert' && mediaConvert) {
    return { backend, getJobState: (jobId) => readMediaConvertJob(mediaConvert, jobId) };
  }
  if (backend === 'elastic-transcoder' && elasticTranscoder) {
    return { backend, getJobState: (jobId) => readElasticTranscoderJob(elasticTranscoder, jobId) };
  }
  throw new UnsupportedTranscoderError(`Reading ${backend} jobs needs a ${backend} client.`);
}

/**
 * Cancels and reads jobs of `backend` with only that backend's client: what `delete-video` needs,
 * without the queue, role and pipeline settings of starting a job.
 */
export function createJobControl(backend: TranscoderBackend, clients: JobClients): JobControl {
  const reader = createJobReader(backend, clients);
  const { mediaConvert, elasticTranscoder } = clients;
  if (backend === 'mediaconvert' && mediaConvert) {
    return { ...reader, cancelJob: (jobId) => cancelMediaConvertJob(mediaConvert, jobId) };
  }
  if (backend === 'elastic-transcoder' && elasticTranscoder) {
    return { ...reader, cancelJob: (jobId) => cancelElasticTranscoderJob(elasticTranscoder, jobId) };
  }
  throw new UnsupportedTranscoderError(`Cancelling ${backend} jobs needs a ${backend} client.`);
}

/** A default client of `backend` only (configured from the environment; MediaConvert at `mediaConvertEndpoint`). */
export function defaultJobClients(
  backend: TranscoderBackend,
  options: { readonly mediaConvertEndpoint?: string | undefined } = {},
): JobClients {
  return backend === 'mediaconvert'
    ? {
        mediaConvert: new MediaConvertClient(
          options.mediaConvertEndpoint ? { endpoint: options.mediaConvertEndpoint } : {},
        ),
      }
    : { elasticTranscoder: new ElasticTranscoderClient({}) };
}
