import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { forEachRecord } from '#shared/events';
import { type ApplyJobStateDeps, applyJobState, type JobStateOutcome } from '#shared/jobs';
import { type PageRequest, STALE_CLAIM_MS, type Video, type VideoPage } from '#shared/store';
import { JOB_NOT_FOUND, type JobReader, type JobState } from '#shared/transcoder';
import { UPLOAD_EXPIRED, UPLOAD_POLICY_TTL_SECONDS, uploadPrefix, VIDEO_STATUS } from '#shared/video';

/** How old a video must be before the reconciler looks at it, and how many one run looks at. */
export interface ReconcileBounds {
  /** A TRANSCODING video created this long ago is checked against its job (or its claim's lease). */
  readonly transcodingAfterMs: number;
  /** An UPLOADED video created this long ago had its upload policy expire a while ago. */
  readonly uploadedAfterMs: number;
  /** A tombstone deleted this long ago whose purge was never recorded is purged again. */
  readonly unpurgedAfterMs: number;
  /** Most videos of each kind one run looks at, oldest first, so a run ends well within its timeout. */
  readonly maxPerKind: number;
}

/**
 * The bounds of the deployed schedule. A claim's lease ends with its invocation (15 minutes at most),
 * so a quarter of an hour is past any live claim; uploads get their policy's 15 minutes plus as much
 * again for a POST that started just before it expired.
 */
export const DEFAULT_BOUNDS: ReconcileBounds = {
  transcodingAfterMs: 15 * 60_000,
  uploadedAfterMs: UPLOAD_POLICY_TTL_SECONDS * 1000 + 15 * 60_000,
  unpurgedAfterMs: 15 * 60_000,
  maxPerKind: 500,
};

/** What the core needs; tests pass fakes. */
export interface ReconcileDeps extends ApplyJobStateDeps {
  /** Reads the real state of a job back from the transcoder. */
  readonly jobs: JobReader;
  /** The upload bucket: only uploads there are checked for their object. */
  readonly uploadBucket: string;
  readonly bounds: ReconcileBounds;
}

/** What the reconciler did about one video. */
export type ReconcileAction =
  | JobStateOutcome
  /** Its job is still running, or its claim's invocation may still be: left alone. */
  | 'running'
  /** `transcode-video` was asked to handle its upload again (a claim without a job, an unclaimed upload). */
  | 'resumed'
  /** No file arrived before its upload policy expired: REJECTED `UPLOAD_EXPIRED`. */
  | 'expired'
  /** A tombstone never purged: `delete-video` was asked again. */
  | 'purge-requested'
  /** Nothing the reconciler may do (another backend's job, no recorded source). */
  | 'skipped';

/** How many videos ended up with each action in one run. */
export type ReconcileReport = Partial<Record<ReconcileAction, number>>;

/**
 * One reconciliation run at `now`: every video that should have moved on by now is brought to a place
 * a person can see. TRANSCODING ones get their job's real state (GetJob / ReadJob) applied through the
 * same guarded transitions as `transcode-status`, or, when the claim never got a job and its invocation
 * can no longer be running, their upload handled again by `transcode-video`. UPLOADED ones whose policy
 * expired become REJECTED `UPLOAD_EXPIRED` when no file is under their upload prefix (or are resumed
 * when one is). Tombstones whose purge was lost are purged again. Every video is tried; failures are
 * rethrown together at the end, so Lambda retries the run.
 */
export async function reconcile(now: Date, deps: ReconcileDeps): Promise<ReconcileReport> {
  const { repository, bounds } = deps;
  const before = (ms: number) => new Date(now.getTime() - ms);
  const tasks: (() => Promise<ReconcileAction>)[] = [
    ...(
      await collect(
        (page) =>
          repository.listCreatedBefore(VIDEO_STATUS.TRANSCODING, before(bounds.transcodingAfterMs), page),
        bounds,
      )
    ).map((video) => () => reconcileTranscoding(video, now, deps)),
    ...(
      await collect(
        (page) => repository.listCreatedBefore(VIDEO_STATUS.UPLOADED, before(bounds.uploadedAfterMs), page),
        bounds,
      )
    ).map((video) => () => reconcileUploaded(video, now, deps)),
    ...(
      await collect((page) => repository.listUnpurgedTombstones(before(bounds.unpurgedAfterMs), page), bounds)
    ).map((video) => () => reconcileTombstone(video, deps)),
  ];
  const report: ReconcileReport = {};
  try {
    await forEachRecord(tasks, async (task) => {
      const action = await task();
      report[action] = (report[action] ?? 0) + 1;
    });
  } finally {
    deps.logger.info('Reconciliation run', { now: now.toISOString(), videos: tasks.length, ...report });
  }
  return report;
}

/** The run's clock: the scheduled event's `time` (tests send their own), else the system clock. */
export function runTime(event: unknown, fallback: () => Date = () => new Date()): Date {
  const time = typeof event === 'object' && event !== null ? (event as { time?: unknown }).time : undefined;
  const parsed = typeof time === 'string' ? new Date(time) : undefined;
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : fallback();
}

async function collect(
  list: (page: PageRequest) => Promise<VideoPage>,
  bounds: ReconcileBounds,
): Promise<Video[]> {
  const videos: Video[] = [];
  let cursor: string | undefined;
  do {
    const page = await list({
      limit: Math.min(100, bounds.maxPerKind - videos.length),
      ...(cursor && { cursor }),
    });
    videos.push(...page.items);
    cursor = page.cursor;
  } while (cursor && videos.length < bounds.maxPerKind);
  return videos;
}

async function reconcileTranscoding(video: Video, now: Date, deps: ReconcileDeps): Promise<ReconcileAction> {
  const log = { videoId: video.videoId, status: video.status, jobId: video.jobId };
  if (video.transcoder !== undefined && video.transcoder !== deps.jobs.backend) {
    deps.logger.warn('Video of another transcoder backend; not reconciled here', {
      ...log,
      transcoder: video.transcoder,
    });
    return 'skipped';
  }
  if (video.jobId === undefined) return resumeClaim(video, now, deps);
  const state = (await deps.jobs.getJobState(video.jobId)) ?? lostJob(video.videoId, video.jobId, deps.jobs);
  if (state.videoId !== video.videoId) {
    deps.logger.error('The recorded job belongs to another video; not reconciled', {
      ...log,
      jobVideoId: state.videoId,
    });
    return 'skipped';
  }
  if (state.state === 'PROGRESSING') return 'running';
  deps.logger.warn('Job ended but its state never reached the video; applying it now', {
    ...log,
    state: state.state,
  });
  return applyJobState(state, deps);
}

/** A recorded job the transcoder has no record of: lost on its side, so replaced like a job it failed. */
function lostJob(videoId: string, jobId: string, jobs: JobReader): JobState {
  return {
    backend: jobs.backend,
    jobId,
    videoId,
    state: 'ERROR',
    errorCode: JOB_NOT_FOUND,
    errorMessage: `The transcoder has no record of job ${jobId}.`,
  };
}

/** A claim that never got its job: once its invocation can no longer be running, the upload is handled again. */
async function resumeClaim(video: Video, now: Date, deps: ReconcileDeps): Promise<ReconcileAction> {
  const log = { videoId: video.videoId, claimToken: video.claimToken, leaseUntil: video.leaseUntil };
  const leaseEnd = video.leaseUntil
    ? Date.parse(video.leaseUntil)
    : Date.parse(video.claimedAt ?? video.updatedAt) + STALE_CLAIM_MS;
  if (leaseEnd > now.getTime()) return 'running';
  const { source } = video;
  if (!source || source.size === undefined) {
    deps.logger.error('Claim without a job and without a recorded upload; cannot resume it', log);
    return 'skipped';
  }
  // Ended here, by the reconciler's clock, so transcode-video takes the claim over whatever its own says.
  if (
    video.claimToken !== undefined &&
    !(await deps.repository.releaseLease(video.videoId, video.claimToken))
  ) {
    return 'running';
  }
  await deps.requestTranscode({
    kind: 'resume-upload',
    videoId: video.videoId,
    bucket: source.bucket,
    key: source.key,
    size: source.size,
    ...(source.versionId !== undefined && { versionId: source.versionId }),
  });
  deps.logger.warn('Claim without a job resumed: its invocation died before the job started', log);
  return 'resumed';
}

/** An upload ticket whose policy expired: rejected when nothing arrived, resumed when the file did. */
async function reconcileUploaded(video: Video, now: Date, deps: ReconcileDeps): Promise<ReconcileAction> {
  const { source, ownerId, videoId } = video;
  if (!source || ownerId === undefined || source.bucket !== deps.uploadBucket) {
    deps.logger.warn('UPLOADED video without an API upload ticket; not reconciled', { videoId });
    return 'skipped';
  }
  const listed = await deps.s3.send(
    new ListObjectsV2Command({ Bucket: source.bucket, Prefix: uploadPrefix(ownerId, videoId), MaxKeys: 1 }),
  );
  const object = listed.Contents?.[0];
  if (object?.Key !== undefined) {
    await deps.requestTranscode({
      kind: 'resume-upload',
      videoId,
      bucket: source.bucket,
      key: object.Key,
      size: object.Size ?? 0,
    });
    deps.logger.warn('Upload arrived but was never claimed; resumed', { videoId, key: object.Key });
    return 'resumed';
  }
  const expiredAt = new Date(Date.parse(video.createdAt) + UPLOAD_POLICY_TTL_SECONDS * 1000).toISOString();
  const recorded = await deps.repository.recordRejected({
    videoId,
    source,
    errorCode: UPLOAD_EXPIRED,
    reason: `No file arrived before the upload link expired at ${expiredAt}. Start a new upload.`,
    now,
  });
  deps.logger.info('Upload ticket expired unused', { videoId, recorded });
  return recorded ? 'expired' : 'skipped';
}

async function reconcileTombstone(video: Video, deps: ReconcileDeps): Promise<ReconcileAction> {
  await deps.requestDeletion({
    videoId: video.videoId,
    ...(video.jobId !== undefined && { jobId: video.jobId }),
    reason: 'unpurged',
  });
  deps.logger.warn('Tombstone never purged; purge requested again', {
    videoId: video.videoId,
    deletedAt: video.deletedAt,
  });
  return 'purge-requested';
}
