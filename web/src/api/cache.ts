import type { InfiniteData } from '@tanstack/react-query';
import type { VideoPage, VideoSummary, VideoView } from './types.ts';

/** Pages of a list as the query cache holds them. */
export type VideoPages = InfiniteData<VideoPage>;

/** The list without `videoId`; the same object when it was not there. */
export function withoutVideo(data: VideoPages | undefined, videoId: string): VideoPages | undefined {
  if (!data?.pages.some((page) => page.items.some((item) => item.videoId === videoId))) return data;
  return {
    ...data,
    pages: data.pages.map((page) => ({
      ...page,
      items: page.items.filter((item) => item.videoId !== videoId),
    })),
  };
}

/** The list with `video` in place of its old view; the same object when it was not there. */
export function withVideo(data: VideoPages | undefined, video: VideoView): VideoPages | undefined {
  if (!data?.pages.some((page) => page.items.some((item) => item.videoId === video.videoId))) return data;
  return {
    ...data,
    pages: data.pages.map((page) => ({
      ...page,
      items: page.items.map((item) => (item.videoId === video.videoId ? video : item)),
    })),
  };
}

/** Every video of the list, in order. */
export function videosOf(data: VideoPages | undefined): VideoSummary[] {
  return data?.pages.flatMap((page) => page.items) ?? [];
}
