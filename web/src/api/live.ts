import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import { type VideoPages, videosOf } from './cache.ts';
import { useApi } from './context.tsx';
import { PAGE_SIZE, videoKeys } from './keys.ts';
import { nextPoll, POLL_START, type PollState } from './polling.ts';
import type { VideoStatus, VideoSummary, VideoView } from './types.ts';

/**
 * A `refetchInterval` that polls while any shown video is in flight, backing off while nothing
 * changes and stopping once all are terminal. TanStack Query does not poll a hidden tab.
 */
function useLiveInterval<T>(videosIn: (data: T | undefined) => readonly VideoSummary[]) {
  const state = useRef<PollState>(POLL_START);
  return (query: { state: { status: string; data: T | undefined; dataUpdatedAt: number } }) => {
    if (query.state.status === 'error') return false;
    const next = nextPoll(state.current, videosIn(query.state.data), query.state.dataUpdatedAt);
    state.current = next.state;
    return next.delay;
  };
}

/** When a shown video's status changes, the views of it elsewhere (`stale`) are out of date: mark them so. */
function useStatusChanges(videos: readonly VideoSummary[], stale: readonly unknown[]) {
  const queryClient = useQueryClient();
  const seen = useRef(new Map<string, VideoStatus>());
  useEffect(() => {
    let changed = false;
    for (const video of videos) {
      const before = seen.current.get(video.videoId);
      if (before !== undefined && before !== video.status) changed = true;
      seen.current.set(video.videoId, video.status);
    }
    if (changed) void queryClient.invalidateQueries({ queryKey: stale });
  }, [videos, queryClient, stale]);
}

/** One video, followed live while it is uploaded or transcoding. */
export function useVideo(videoId: string) {
  const api = useApi();
  const refetchInterval = useLiveInterval<VideoView>((video) => (video ? [video] : []));
  const query = useQuery({
    queryKey: videoKeys.detail(videoId),
    queryFn: ({ signal }) => api.getVideo(videoId, signal),
    refetchInterval,
  });
  const shown = useMemo(() => (query.data ? [query.data] : []), [query.data]);
  useStatusChanges(shown, LISTS);
  return query;
}

/** The caller's videos in every status, followed live while any is in flight. */
export function useMyVideos() {
  const api = useApi();
  const refetchInterval = useLiveInterval<VideoPages>(videosOf);
  const query = useInfiniteQuery({
    queryKey: videoKeys.mine(),
    queryFn: ({ pageParam, signal }) =>
      api.listVideos({ mine: true, limit: PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval,
  });
  const shown = useMemo(() => videosOf(query.data), [query.data]);
  useStatusChanges(shown, CATALOGUE);
  return query;
}

const LISTS = videoKeys.lists();
const CATALOGUE = videoKeys.catalogue();
