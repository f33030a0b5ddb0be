/** Every status a video can have in the video list. */
export const VIDEO_STATUSES = ['UPLOADED', 'TRANSCODING', 'READY', 'FAILED', 'REJECTED'] as const;

/** Where a video is in the pipeline. READY, FAILED and REJECTED are terminal. */
export type VideoStatus = (typeof VIDEO_STATUSES)[number];

/** Statuses after which nothing changes a video any more. */
export const TERMINAL_STATUSES: readonly VideoStatus[] = ['READY', 'FAILED', 'REJECTED'];

/** True when `status` is terminal. */
export function isTerminal(status: VideoStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}
