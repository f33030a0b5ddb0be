import { S3Client } from '@aws-sdk/client-s3';
import { callerId, httpHandler, jsonBody, pathParam } from '#shared/http';
import { createLogger, forVideo } from '#shared/log';
import { catalogueReader } from '#shared/playback';
import { readConfig } from './config.ts';
import { parseDetailsRequest, type UpdateVideoDeps, updateVideo } from './core.ts';

const config = readConfig();
const logger = createLogger('update-video');
const deps: UpdateVideoDeps = {
  ...catalogueReader(config),
  s3: new S3Client({ forcePathStyle: config.forcePathStyle }),
  bucket: config.transcodedBucket,
  now: () => new Date(),
};

/** `PATCH /videos/{videoId}`: the owner changes the title, the description or the visibility. */
export const handler = httpHandler(
  async (event) => {
    const videoId = pathParam(event, 'videoId');
    const owner = callerId(event);
    const patch = parseDetailsRequest(jsonBody(event));
    const view = await updateVideo(videoId, owner, patch, deps);
    forVideo(logger, videoId).info('video updated', {
      fields: Object.keys(patch),
      visibility: view.visibility,
    });
    return { statusCode: 200, body: view };
  },
  {
    allowedOrigin: config.allowedOrigin,
    logger,
    logKeys: (event) => ({ videoId: event.pathParameters?.videoId }),
  },
);
