import { booleanParam, callerId, httpHandler, limitParam, PAGE_LIMIT, queryParam } from '#shared/http';
import { createLogger } from '#shared/log';
import { catalogueReader } from '#shared/playback';
import { readConfig } from './config.ts';
import { type ListVideosDeps, listVideos } from './core.ts';

const config = readConfig();
const logger = createLogger('list-videos');
const deps: ListVideosDeps = catalogueReader(config);

/** `GET /videos?limit=&cursor=&mine=`: the READY catalogue, or the caller's own videos. */
export const handler = httpHandler(
  async (event) => {
    const cursor = queryParam(event, 'cursor');
    const page = await listVideos(
      {
        callerId: callerId(event),
        mine: booleanParam(event, 'mine'),
        limit: limitParam(event, PAGE_LIMIT),
        ...(cursor !== undefined ? { cursor } : {}),
      },
      deps,
    );
    return { statusCode: 200, body: page };
  },
  { allowedOrigin: config.allowedOrigin, logger },
);
