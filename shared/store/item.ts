import { RENDITIONS, type Rendition, VIDEO_STATUSES, type VideoStatus } from '#shared/video';
import type { MediaMetadata, Video, VideoOutput } from './types.ts';

/** Attribute names of the video item; every expression goes through `#name` placeholders (several are reserved words). */
export const ATTR = {
  videoId: 'videoId',
  status: 'status',
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  ownerId: 'ownerId',
  source: 'source',
  transcoder: 'transcoder',
  jobId: 'jobId',
  claimedAt: 'claimedAt',
  jobComplete: 'jobComplete',
  progress: 'progress',
  renditions: 'renditions',
  public: 'public',
  probes: 'probes',
  metadata: 'metadata',
  poster: 'poster',
  reason: 'reason',
  errorCode: 'errorCode',
} as const;

/** The video item as stored in DynamoDB (what the document client returns). */
export interface VideoItem {
  videoId: string;
  status: VideoStatus;
  createdAt: string;
  updatedAt: string;
  ownerId?: string;
  source?: { bucket: string; key: string; filename: string; size?: number };
  transcoder?: string;
  jobId?: string;
  /** When `transcode-video` last claimed the video (ISO). */
  claimedAt?: string;
  jobComplete?: boolean;
  progress?: number;
  renditions?: Partial<Record<Rendition, { key: string }>>;
  public?: Partial<Record<Rendition, boolean>>;
  probes?: Partial<Record<Rendition, MediaMetadata>>;
  metadata?: MediaMetadata;
  poster?: string;
  reason?: string;
  errorCode?: string;
}

/** Maps a stored item to the `Video` the rest of the system reads; outputs come highest rendition first. */
export function toVideo(raw: Record<string, unknown>): Video {
  const item = raw as Partial<VideoItem>;
  if (typeof item.videoId !== 'string' || !(VIDEO_STATUSES as readonly unknown[]).includes(item.status)) {
    throw new TypeError(
      `Video item ${JSON.stringify(item.videoId)} has no valid videoId/status (status ${JSON.stringify(item.status)}); it was not written by this repository.`,
    );
  }
  const outputs: VideoOutput[] = [];
  for (const rendition of RENDITIONS) {
    const recorded = item.renditions?.[rendition];
    if (!recorded || typeof recorded.key !== 'string') continue;
    const probe = item.probes?.[rendition];
    outputs.push({
      rendition,
      key: recorded.key,
      ...(probe ? { width: probe.width, height: probe.height } : {}),
      public: item.public?.[rendition] === true,
    });
  }
  return dropUndefined({
    videoId: item.videoId,
    status: item.status as VideoStatus,
    createdAt: item.createdAt ?? '',
    updatedAt: item.updatedAt ?? item.createdAt ?? '',
    ownerId: item.ownerId,
    source: item.source
      ? dropUndefined({
          bucket: item.source.bucket,
          key: item.source.key,
          filename: item.source.filename,
          size: item.source.size,
        })
      : undefined,
    transcoder: item.transcoder,
    jobId: item.jobId,
    jobComplete: item.jobComplete === true,
    progress: item.progress,
    outputs,
    metadata: item.metadata ? normalizeMetadata(item.metadata) : undefined,
    poster: item.poster,
    reason: item.reason,
    errorCode: item.errorCode,
  }) as Video;
}

function normalizeMetadata(metadata: MediaMetadata): MediaMetadata {
  return dropUndefined({ ...metadata }) as unknown as MediaMetadata;
}

/** A copy of `value` without undefined properties (DynamoDB cannot store them). */
export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
