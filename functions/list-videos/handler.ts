import { booleanParam, callerId, httpHandler, limitParam, queryParam } from '#shared/http';
import { createLogger } from '#shared/log';
import { catalogueReader } from '#shared/playback';
import { readConfig } from './config.ts';
import { DEFAULT_PAGE_SIZE, type ListVideosDeps, listVideos, MAX_PAGE_SIZE } from './core.ts';

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
        limit: limitParam(event, { fallback: DEFAULT_PAGE_SIZE, max: MAX_PAGE_SIZE }),
        ...(cursor !== undefined ? { cursor } : {}),
      },
      deps,
    );
    return { statusCode: 200, body: page };
  },
  { allowedOrigin: config.allowedOrigin, logger },
);
