/** Every status a video can have in the video list, by name, so a misspelt status does not compile. */
export const VIDEO_STATUS = {
  UPLOADED: 'UPLOADED',
  TRANSCODING: 'TRANSCODING',
  READY: 'READY',
  FAILED: 'FAILED',
  REJECTED: 'REJECTED',
  DELETED: 'DELETED',
} as const;

/** Where a video is in the pipeline. READY, FAILED and REJECTED are terminal; DELETED is a tombstone. */
export type VideoStatus = (typeof VIDEO_STATUS)[keyof typeof VIDEO_STATUS];

/** Every {@link VideoStatus}, in pipeline order. */
export const VIDEO_STATUSES: readonly VideoStatus[] = Object.values(VIDEO_STATUS);

/** The statuses the API shows: a DELETED video is a 404, never a status. */
export type VisibleStatus = Exclude<VideoStatus, typeof VIDEO_STATUS.DELETED>;

/** Statuses after which the pipeline changes a video no more. */
export const TERMINAL_STATUSES: readonly VideoStatus[] = [
  VIDEO_STATUS.READY,
  VIDEO_STATUS.FAILED,
  VIDEO_STATUS.REJECTED,
  VIDEO_STATUS.DELETED,
];

/** True when `status` is terminal. */
export function isTerminal(status: VideoStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}
