import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { callerId, httpHandler, pathParam } from '#shared/http';
import { createLogger } from '#shared/log';
import { playbackUrls } from '#shared/playback';
import { DynamoVideoRepository } from '#shared/store';
import { readConfig } from './config.ts';
import { type GetVideoDeps, getVideo } from './core.ts';

const config = readConfig();
const logger = createLogger('get-video');
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const deps: GetVideoDeps = {
  repository: new DynamoVideoRepository(documents, config.tableName),
  playback: playbackUrls({
    cdnDomain: config.cdnDomain,
    s3: new S3Client({ forcePathStyle: config.forcePathStyle }),
    bucket: config.transcodedBucket,
  }),
};

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
