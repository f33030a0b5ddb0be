import type { ElasticTranscoderClient } from '@aws-sdk/client-elastic-transcoder';
import { ElasticTranscoderTranscoder } from './elastic-transcoder.ts';
import { UnsupportedTranscoderError } from './errors.ts';
import { type MediaConvertDeps, MediaConvertTranscoder } from './mediaconvert/adapter.ts';
import type { Transcoder, TranscoderBackend } from './port.ts';

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
