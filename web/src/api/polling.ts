import type { VideoStatus, VideoSummary } from './types.ts';

/** How live status polling slows down while nothing changes. */
export interface PollPolicy {
  /** Delay after a change (and at the start). */
  readonly firstMs: number;
  /** Longest delay. */
  readonly maxMs: number;
  /** Growth of the delay per poll that brought nothing new. */
  readonly factor: number;
}

/** 1 s after a change, growing by half per unchanged poll to 10 s: 1, 1.5, 2.25, 3.4, 5.1, 7.6, 10. */
export const LIVE_POLL: PollPolicy = { firstMs: 1000, maxMs: 10_000, factor: 1.5 };

/** What polling has seen so far. */
export interface PollState {
  /** When the data last arrived (TanStack Query's `dataUpdatedAt`); 0 before any. */
  readonly seenAt: number;
  readonly fingerprint: string;
  /** Polls in a row that brought the same data. */
  readonly unchanged: number;
}

/** The state before the first poll. */
export const POLL_START: PollState = { seenAt: 0, fingerprint: '', unchanged: 0 };

/**
 * Folds one arrival of data into the state. The same arrival seen twice (the interval is asked more
 * than once per fetch) counts once; new data resets the back-off.
 */
export function observePoll(state: PollState, arrival: { at: number; fingerprint: string }): PollState {
  if (arrival.at === state.seenAt) return state;
  if (state.seenAt === 0 || arrival.fingerprint !== state.fingerprint) {
    return { seenAt: arrival.at, fingerprint: arrival.fingerprint, unchanged: 0 };
  }
  return { ...state, seenAt: arrival.at, unchanged: state.unchanged + 1 };
}

/** The delay before the next poll. */
export function pollDelay(state: PollState, policy: PollPolicy = LIVE_POLL): number {
  return Math.min(policy.maxMs, Math.round(policy.firstMs * policy.factor ** state.unchanged));
}

/** True while a video may still change on its own: uploaded or transcoding. */
export function inFlight(status: VideoStatus): boolean {
  return status === 'UPLOADED' || status === 'TRANSCODING';
}

/** What about a set of videos counts as a change worth resetting the back-off for. */
export function fingerprintOf(videos: readonly VideoSummary[]): string {
  return videos.map((v) => `${v.videoId}:${v.status}:${v.progress ?? ''}:${v.updatedAt}`).join('|');
}

/**
 * The next poll for a set of shown videos: a delay while any is in flight, false (stop) once all are
 * terminal. Returns the state to keep for the next call.
 */
export function nextPoll(
  state: PollState,
  videos: readonly VideoSummary[],
  at: number,
  policy: PollPolicy = LIVE_POLL,
): { state: PollState; delay: number | false } {
  const next = observePoll(state, { at, fingerprint: fingerprintOf(videos) });
  return { state: next, delay: videos.some((v) => inFlight(v.status)) ? pollDelay(next, policy) : false };
}
