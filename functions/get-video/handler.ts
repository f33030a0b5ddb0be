import { callerId, httpHandler, pathParam } from '#shared/http';
import { createLogger } from '#shared/log';
import { catalogueReader } from '#shared/playback';
import { readConfig } from './config.ts';
import { type GetVideoDeps, getVideo } from './core.ts';

const config = readConfig();
const logger = createLogger('get-video');
const deps: GetVideoDeps = catalogueReader(config);

/** `GET /videos/{videoId}`: one video, for progress polling. */
export const handler = httpHandler(
  async (event) => {
    const videoId = pathParam(event, 'videoId');
    return { statusCode: 200, body: await getVideo(videoId, callerId(event), deps) };
  },
  {
    allowedOrigin: config.allowedOrigin,
    logger,
    logKeys: (event) => ({ videoId: event.pathParameters?.videoId }),
  },
);
