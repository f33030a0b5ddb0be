import { S3Client } from '@aws-sdk/client-s3';
import { callerId, httpHandler, jsonBody } from '#shared/http';
import { createLogger, forVideo } from '#shared/log';
import { createVideoRepository } from '#shared/store';
import { readConfig } from './config.ts';
import { type CreateUploadDeps, createUpload, defaultRuntime, parseUploadRequest } from './core.ts';

const config = readConfig();
const logger = createLogger('create-upload');
const deps: CreateUploadDeps = {
  repository: createVideoRepository(config.tableName),
  // No credentials here: the SDK takes the function role's, so the policy is signed by a short-lived session.
  s3: new S3Client({ forcePathStyle: config.forcePathStyle }),
  uploadBucket: config.uploadBucket,
  ...defaultRuntime,
};

/** `POST /uploads`: validates the file, records the video, returns a presigned POST for it. */
export const handler = httpHandler(
  async (event) => {
    const ownerId = callerId(event);
    const request = parseUploadRequest(jsonBody(event), { maxBytes: config.maxUploadBytes });
    const ticket = await createUpload(ownerId, request, deps);
    forVideo(logger, ticket.videoId).info('upload issued', {
      ownerId,
      size: request.size,
      expiresAt: ticket.expiresAt,
    });
    return { statusCode: 201, body: ticket, headers: { location: `/videos/${ticket.videoId}` } };
  },
  { allowedOrigin: config.allowedOrigin, logger },
);
