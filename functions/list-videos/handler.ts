import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { booleanParam, callerId, httpHandler, limitParam, queryParam } from '#shared/http';
import { createLogger } from '#shared/log';
import { playbackUrls } from '#shared/playback';
import { DynamoVideoRepository } from '#shared/store';
import { readConfig } from './config.ts';
import { DEFAULT_PAGE_SIZE, type ListVideosDeps, listVideos, MAX_PAGE_SIZE } from './core.ts';

const config = readConfig();
const logger = createLogger('list-videos');
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const deps: ListVideosDeps = {
  repository: new DynamoVideoRepository(documents, config.tableName),
  playback: playbackUrls({
    cdnDomain: config.cdnDomain,
    s3: new S3Client({ forcePathStyle: config.forcePathStyle }),
    bucket: config.transcodedBucket,
  }),
};

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
