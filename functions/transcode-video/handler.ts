import { ElasticTranscoderClient } from '@aws-sdk/client-elastic-transcoder';
import { MediaConvertClient } from '@aws-sdk/client-mediaconvert';
import { deletionRequester } from '#shared/deletion';
import { forEachS3Record } from '#shared/events';
import { invocationOf, type LambdaContextLike, parseTranscodeRequest } from '#shared/jobs';
import { createLogger } from '#shared/log';
import { createVideoRepository } from '#shared/store';
import { createTranscoder, type TranscoderSettings } from '#shared/transcoder';
import { readConfig, type TranscodeVideoConfig } from './config.ts';
import { handleTranscodeRequest, type TranscodeVideoDeps, transcodeUpload } from './core.ts';

const config = readConfig();
const logger = createLogger('transcode-video');
const deps: TranscodeVideoDeps = {
  repository: createVideoRepository(config.tableName),
  transcoder: createTranscoder(config.transcoder.backend, transcoderSettings(config)),
  maxUploadBytes: config.maxUploadBytes,
  renditionLadder: config.renditionLadder,
  now: () => new Date(),
  logger,
  requestDeletion: deletionRequester(config.deleteVideoFunction),
};

/** The selected backend's client and settings; the other backend's client is never built. */
function transcoderSettings({ transcoder, transcodedBucket }: TranscodeVideoConfig): TranscoderSettings {
  if (transcoder.backend === 'elastic-transcoder') {
    return {
      elasticTranscoder: { client: new ElasticTranscoderClient({}), pipelineId: transcoder.pipelineId },
    };
  }
  return {
    mediaConvert: {
      client: new MediaConvertClient(transcoder.endpoint ? { endpoint: transcoder.endpoint } : {}),
      queueArn: transcoder.queueArn,
      roleArn: transcoder.roleArn,
      outputBucket: transcodedBucket,
    },
  };
}

/**
 * S3 `ObjectCreated` on the upload bucket: every upload is rejected, or claimed and sent to the
 * transcoder. Also the requests of `transcode-status` and the reconciler (a job to replace, an upload
 * to resume), since this is the one function that starts jobs.
 */
export const handler = async (event: unknown, context?: LambdaContextLike): Promise<void> => {
  const invocation = invocationOf(context);
  const request = parseTranscodeRequest(event);
  if (request) {
    await handleTranscodeRequest(request, deps, invocation);
    return;
  }
  await forEachS3Record(event, async (upload) => {
    await transcodeUpload(upload, deps, invocation);
  });
};
