import { useInfiniteQuery } from '@tanstack/react-query';
import { useApi } from './context.tsx';
import { PAGE_SIZE, videoKeys } from './keys.ts';

/** The public catalogue, newest first, a page at a time over the API's cursor. */
export function useCatalogue() {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: videoKeys.catalogue(),
    queryFn: ({ pageParam, signal }) => api.listVideos({ limit: PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
  });
}
