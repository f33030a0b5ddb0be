import type { AppliedPermission, PermissionTarget, Video } from '#shared/store';
import type { Visibility } from '#shared/video';

/** The permissions map of a video whose renditions (and poster) are all tagged as `visibility` says. */
export function appliedPermissions(
  videoId: string,
  visibility: Visibility,
  targets: readonly PermissionTarget[] = ['1080p', '720p', 'web-720p', 'poster'],
): Partial<Record<PermissionTarget, AppliedPermission>> {
  return Object.fromEntries(
    targets.map((target) => [
      target,
      {
        key: target === 'poster' ? `videos/${videoId}/poster.0000000.jpg` : `videos/${videoId}/${target}.mp4`,
        visibility,
      },
    ]),
  );
}

/** A fresh public READY video with three public renditions; pass overrides to vary it. */
export function readyVideo(overrides: Partial<Video> = {}): Video {
  const videoId = overrides.videoId ?? 'AAAAAAAAAAAAAAAAAAAAAA';
  return {
    videoId,
    status: 'READY',
    createdAt: '2026-11-24T10:00:00.000Z',
    updatedAt: '2026-11-24T10:05:00.000Z',
    ownerId: 'owner-a',
    source: {
      bucket: 'upload-bucket',
      key: `uploads/owner-a/${videoId}/clip.mp4`,
      filename: 'clip.mp4',
      size: 1234,
    },
    visibility: 'public',
    transcoder: 'mediaconvert',
    jobId: 'job-1',
    jobComplete: true,
    progress: 100,
    outputs: [
      { rendition: '1080p', key: `videos/${videoId}/1080p.mp4`, width: 1920, height: 1080, public: true },
      { rendition: '720p', key: `videos/${videoId}/720p.mp4`, width: 1280, height: 720, public: true },
      {
        rendition: 'web-720p',
        key: `videos/${videoId}/web-720p.mp4`,
        width: 1280,
        height: 720,
        public: true,
      },
    ],
    metadata: {
      durationSeconds: 3,
      width: 1920,
      height: 1080,
      rotation: 0,
      videoCodec: 'h264',
      audioCodec: 'aac',
      bitRate: 4_000_000,
      size: 1_500_000,
      frameRate: 25,
    },
    poster: `videos/${videoId}/poster.0000000.jpg`,
    permissions: appliedPermissions(videoId, 'public'),
    ...overrides,
  };
}

/** A fresh video still transcoding, with one rendition written but not yet public. */
export function transcodingVideo(overrides: Partial<Video> = {}): Video {
  const videoId = overrides.videoId ?? 'BBBBBBBBBBBBBBBBBBBBBB';
  return readyVideo({
    videoId,
    status: 'TRANSCODING',
    jobComplete: false,
    progress: 40,
    outputs: [{ rendition: '720p', key: `videos/${videoId}/720p.mp4`, public: false }],
    permissions: {},
    metadata: undefined,
    poster: undefined,
    ...overrides,
  });
}
