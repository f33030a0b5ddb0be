import {
  DEFAULT_VISIBILITY,
  isVisibility,
  RENDITIONS,
  type Rendition,
  VIDEO_STATUSES,
  type VideoStatus,
  type Visibility,
} from '#shared/video';
import type { AppliedPermission, MediaMetadata, PermissionTarget, Video, VideoOutput } from './types.ts';

/** Attribute names of the video item; every expression goes through `#name` placeholders (several are reserved words). */
export const ATTR = {
  videoId: 'videoId',
  status: 'status',
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  ownerId: 'ownerId',
  source: 'source',
  title: 'title',
  description: 'description',
  visibility: 'visibility',
  transcoder: 'transcoder',
  jobId: 'jobId',
  claimedAt: 'claimedAt',
  claimToken: 'claimToken',
  leaseUntil: 'leaseUntil',
  jobAttempt: 'jobAttempt',
  retiredJobIds: 'retiredJobIds',
  jobComplete: 'jobComplete',
  expectedRenditions: 'expectedRenditions',
  progress: 'progress',
  renditions: 'renditions',
  permissions: 'permissions',
  probes: 'probes',
  metadata: 'metadata',
  poster: 'poster',
  reason: 'reason',
  errorCode: 'errorCode',
  deletedAt: 'deletedAt',
  purgedAt: 'purgedAt',
  expiresAt: 'expiresAt',
} as const;

/** The video item as stored in DynamoDB (what the document client returns). */
export interface VideoItem {
  videoId: string;
  status: VideoStatus;
  createdAt: string;
  updatedAt: string;
  ownerId?: string;
  source?: { bucket: string; key: string; filename?: string; size?: number; versionId?: string };
  title?: string;
  description?: string;
  visibility?: Visibility;
  transcoder?: string;
  jobId?: string;
  /** When `transcode-video` last claimed the video (ISO). */
  claimedAt?: string;
  /** The invocation holding the claim (its Lambda request id, which its retries share). */
  claimToken?: string;
  /** Until when (ISO) that invocation may still be running; after it, another may take the claim over. */
  leaseUntil?: string;
  /** How many jobs the claim has started or is starting (1 for the first job). */
  jobAttempt?: number;
  /** Jobs that failed for the transcoder's own reasons and were replaced: their late events change nothing. */
  retiredJobIds?: string[];
  jobComplete?: boolean;
  /** The renditions the video's job makes, highest first: recorded once, before its first job starts. */
  expectedRenditions?: Rendition[];
  progress?: number;
  renditions?: Partial<Record<Rendition, { key: string }>>;
  permissions?: Partial<Record<PermissionTarget, AppliedPermission>>;
  probes?: Partial<Record<Rendition, MediaMetadata>>;
  metadata?: MediaMetadata;
  poster?: string;
  reason?: string;
  errorCode?: string;
  deletedAt?: string;
  purgedAt?: string;
  /** Epoch seconds; the table's TTL attribute. */
  expiresAt?: number;
}

/** Maps a stored item to the `Video` the rest of the system reads; outputs come highest rendition first. */
export function toVideo(raw: Record<string, unknown>): Video {
  const item = raw as Partial<VideoItem>;
  if (typeof item.videoId !== 'string' || !(VIDEO_STATUSES as readonly unknown[]).includes(item.status)) {
    throw new TypeError(
      `Video item ${JSON.stringify(item.videoId)} has no valid videoId/status (status ${JSON.stringify(item.status)}); it was not written by this repository.`,
    );
  }
  const permissions = readPermissions(item.permissions);
  const outputs: VideoOutput[] = [];
  for (const rendition of RENDITIONS) {
    const recorded = item.renditions?.[rendition];
    if (!recorded || typeof recorded.key !== 'string') continue;
    const probe = item.probes?.[rendition];
    outputs.push({
      rendition,
      key: recorded.key,
      ...(probe ? { width: probe.width, height: probe.height } : {}),
      public: permissions[rendition]?.visibility === 'public',
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
          filename: item.source.filename ?? '',
          size: item.source.size,
          versionId: item.source.versionId,
        })
      : undefined,
    title: item.title,
    description: item.description,
    visibility: isVisibility(item.visibility) ? item.visibility : DEFAULT_VISIBILITY,
    transcoder: item.transcoder,
    jobId: item.jobId,
    claimedAt: item.claimedAt,
    claimToken: item.claimToken,
    leaseUntil: item.leaseUntil,
    jobAttempt: typeof item.jobAttempt === 'number' ? item.jobAttempt : undefined,
    retiredJobIds:
      Array.isArray(item.retiredJobIds) && item.retiredJobIds.length > 0 ? item.retiredJobIds : undefined,
    jobComplete: item.jobComplete === true,
    expectedRenditions: readLadder(item.expectedRenditions),
    progress: item.progress,
    outputs,
    permissions,
    metadata: item.metadata ? normalizeMetadata(item.metadata) : undefined,
    poster: item.poster,
    reason: item.reason,
    errorCode: item.errorCode,
    deletedAt: item.deletedAt,
    purgedAt: item.purgedAt,
    expiresAt: typeof item.expiresAt === 'number' ? item.expiresAt : undefined,
  }) as Video;
}

/** A stored ladder (`expectedRenditions`), highest first; undefined when none was recorded. */
export function readLadder(raw: unknown): readonly Rendition[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const ladder = RENDITIONS.filter((rendition) => raw.includes(rendition));
  return ladder.length > 0 ? ladder : undefined;
}

function readPermissions(raw: unknown): Partial<Record<PermissionTarget, AppliedPermission>> {
  if (typeof raw !== 'object' || raw === null) return {};
  const out: Partial<Record<PermissionTarget, AppliedPermission>> = {};
  for (const [target, value] of Object.entries(raw as Record<string, unknown>)) {
    const entry = value as Partial<AppliedPermission> | undefined;
    if (typeof entry?.key === 'string' && isVisibility(entry.visibility)) {
      out[target as PermissionTarget] = { key: entry.key, visibility: entry.visibility };
    }
  }
  return out;
}

function normalizeMetadata(metadata: MediaMetadata): MediaMetadata {
  return dropUndefined({ ...metadata }) as unknown as MediaMetadata;
}

/** A copy of `value` without undefined properties (DynamoDB cannot store them). */
export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
