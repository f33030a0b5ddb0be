/** Every status a video can have in the video list. */
export const VIDEO_STATUSES = ['UPLOADED', 'TRANSCODING', 'READY', 'FAILED', 'REJECTED', 'DELETED'] as const;

/** Where a video is in the pipeline. READY, FAILED and REJECTED are terminal; DELETED is a tombstone. */
export type VideoStatus = (typeof VIDEO_STATUSES)[number];

/** The statuses the API shows: a DELETED video is a 404, never a status. */
export type VisibleStatus = Exclude<VideoStatus, 'DELETED'>;

/** Statuses after which the pipeline changes a video no more. */
export const TERMINAL_STATUSES: readonly VideoStatus[] = ['READY', 'FAILED', 'REJECTED', 'DELETED'];

/** True when `status` is terminal. */
export function isTerminal(status: VideoStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}
