import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type VideoPages, withoutVideo, withVideo } from './cache.ts';
import { useApi } from './context.tsx';
import { videoKeys } from './keys.ts';
import type { VideoPatch, VideoView } from './types.ts';

/** Changes a video's title, description or visibility, and shows the change everywhere. */
export function useUpdateVideo(videoId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: VideoPatch) => api.updateVideo(videoId, patch),
    onSuccess: (video: VideoView) => {
      queryClient.setQueryData(videoKeys.detail(videoId), video);
      queryClient.setQueriesData<VideoPages>({ queryKey: videoKeys.lists() }, (data) =>
        withVideo(data, video),
      );
      // Visibility decides membership of the catalogue, which only the API knows how to page.
      void queryClient.invalidateQueries({ queryKey: videoKeys.lists() });
    },
  });
}

/** Deletes a video; it leaves every list and its own page at once, without a reload. */
export function useDeleteVideo() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (videoId: string) => api.deleteVideo(videoId),
    onSuccess: (_outcome, videoId) => {
      queryClient.setQueriesData<VideoPages>({ queryKey: videoKeys.lists() }, (data) =>
        withoutVideo(data, videoId),
      );
      queryClient.removeQueries({ queryKey: videoKeys.detail(videoId) });
      void queryClient.invalidateQueries({ queryKey: videoKeys.lists() });
    },
  });
}
