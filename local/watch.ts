import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoVideoRepository, type Video } from '#shared/store';
import { isTerminal, RENDITIONS, videoIdForUpload } from '#shared/video';
import type { LocalCloud, ProgressEvent } from './cloud.ts';

/** One line of pipeline progress, for people. */
export type ProgressLine = { readonly stage: string; readonly text: string };

/** No terminal status within the allowed time. */
export class PipelineTimeoutError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PipelineTimeoutError';
  }
}

/** Uploads a local file to the upload bucket under its own filename; resolves to the key and the video id. */
export async function uploadFile(
  cloud: LocalCloud,
  file: string,
  key = basename(file),
): Promise<{ key: string; videoId: string; size: number; versionId?: string }> {
  const { size } = await stat(file);
  const put = await cloud.clients.s3.send(
    new PutObjectCommand({
      Bucket: cloud.names.uploadBucket,
      Key: key,
      Body: createReadStream(file),
      ContentLength: size,
    }),
  );
  // A versioned bucket gives every upload its own version, so uploading the same name again is a new video.
  return {
    key,
    size,
    ...(put.VersionId && { versionId: put.VersionId }),
    videoId: videoIdForUpload({ bucket: cloud.names.uploadBucket, key, versionId: put.VersionId }),
  };
}

/** A repository over the local table, to read the video list as the API does. */
export function localRepository(cloud: LocalCloud): DynamoVideoRepository {
  const documents = DynamoDBDocumentClient.from(cloud.clients.dynamodb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return new DynamoVideoRepository(documents, cloud.names.videoTable);
}

/**
 * Waits until the video reaches a terminal status, reporting each stage once: uploaded,
 * transcoding (with the job's percentage), each rendition, public, metadata, and the end.
 * Rejects with {@link PipelineTimeoutError} when `timeoutMs` passes first.
 */
export async function waitForTerminal(
  cloud: LocalCloud,
  videoId: string,
  options: { timeoutMs: number; onProgress?: (line: ProgressLine) => void; pollMs?: number },
): Promise<Video> {
  const repository = localRepository(cloud);
  const seen = new Set<string>();
  const report = (stage: string, text: string) => {
    if (seen.has(`${stage}:${text}`)) return;
    seen.add(`${stage}:${text}`);
    options.onProgress?.({ stage, text });
  };
  let lastPercent = -1;
  const onEvent = (event: ProgressEvent) => {
    if (event.kind === 'job' && event.videoId === videoId && event.percent !== undefined) {
      const step = Math.floor(event.percent / 10) * 10;
      if (step > lastPercent) {
        lastPercent = step;
        report('transcoding', `${event.backend} job ${event.jobId}: ${step}%`);
      }
    }
    if (event.kind === 'dead-letter') {
      report(
        'dead-letter',
        `${event.letter.functionName} gave up after ${event.letter.attempts} attempts: ${event.letter.error.errorMessage}`,
      );
    }
  };
  cloud.events.on('progress', onEvent);
  const deadline = Date.now() + options.timeoutMs;
  try {
    for (;;) {
      const video = await repository.get(videoId);
      if (video) {
        if (!isTerminal(video.status)) report('status', video.status);
        if (video.jobId)
          report('job', `job ${video.jobId} started on ${video.transcoder ?? 'the transcoder'}`);
        for (const output of video.outputs) {
          report('rendition', `${output.rendition} written (${output.key})`);
          if (output.public) report('public', `${output.rendition} tagged visibility=public`);
        }
        if (video.metadata) {
          const m = video.metadata;
          report(
            'metadata',
            `${m.width}×${m.height}, ${m.durationSeconds.toFixed(2)} s, ${m.videoCodec}${m.audioCodec ? `/${m.audioCodec}` : ', no audio'}`,
          );
        }
        if (isTerminal(video.status)) {
          report('status', video.status);
          if (video.reason) report('reason', video.reason);
          return video;
        }
      }
      if (Date.now() > deadline) {
        throw new PipelineTimeoutError(
          `Video ${videoId} is ${video?.status ?? 'not in the video list'} after ${Math.round(options.timeoutMs / 1000)} s; ` +
            `expected READY, FAILED or REJECTED. Dead letters: ${cloud.deadLetters.length}.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
    }
  } finally {
    cloud.events.off('progress', onEvent);
  }
}

/** The final item as `npm run pipeline -- --json` prints it. */
export function summarize(video: Video): Record<string, unknown> {
  return {
    videoId: video.videoId,
    status: video.status,
    createdAt: video.createdAt,
    updatedAt: video.updatedAt,
    ...(video.source && { source: video.source }),
    ...(video.transcoder && { transcoder: video.transcoder }),
    ...(video.jobId && { jobId: video.jobId }),
    ...(video.expectedRenditions && { expectedRenditions: video.expectedRenditions }),
    outputs: [...video.outputs].sort(
      (a, b) => RENDITIONS.indexOf(a.rendition) - RENDITIONS.indexOf(b.rendition),
    ),
    ...(video.metadata && { metadata: video.metadata }),
    ...(video.poster && { poster: video.poster }),
    ...(video.reason && { reason: video.reason }),
    ...(video.errorCode && { errorCode: video.errorCode }),
  };
}
