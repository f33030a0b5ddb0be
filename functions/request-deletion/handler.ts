import { deletionRequester } from '#shared/deletion';
import { callerId, httpHandler, pathParam } from '#shared/http';
import { createLogger, forVideo } from '#shared/log';
import { createVideoRepository } from '#shared/store';
import { VIDEO_STATUS } from '#shared/video';
import { readConfig } from './config.ts';
import { deleteOwnVideo, type RequestDeletionDeps } from './core.ts';

const config = readConfig();
const logger = createLogger('request-deletion');
const deps: RequestDeletionDeps = {
  repository: createVideoRepository(config.tableName),
  requestDeletion: deletionRequester(config.deleteVideoFunction),
  now: () => new Date(),
};

/** `DELETE /videos/{videoId}`: records the owner's deletion; `delete-video` purges it asynchronously. */
export const handler = httpHandler(
  async (event) => {
    const videoId = pathParam(event, 'videoId');
    const answer = await deleteOwnVideo(videoId, callerId(event), deps);
    forVideo(logger, videoId).info('deletion requested', { answer });
    return answer === 'gone'
      ? { statusCode: 204 }
      : { statusCode: 202, body: { videoId, status: VIDEO_STATUS.DELETED } };
  },
  {
    allowedOrigin: config.allowedOrigin,
    logger,
    logKeys: (event) => ({ videoId: event.pathParameters?.videoId }),
  },
);
