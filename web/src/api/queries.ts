import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { ApiClient } from './client.ts';
import { useApi } from './context.tsx';
import { PAGE_SIZE, videoKeys } from './keys.ts';

/** The public catalogue's query: newest first, a page at a time over the API's cursor. */
export function catalogueQuery(api: ApiClient) {
  return infiniteQueryOptions({
    queryKey: videoKeys.catalogue(),
    queryFn: ({ pageParam, signal }) => api.listVideos({ limit: PAGE_SIZE, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** The public catalogue, newest first, a page at a time over the API's cursor. */
export function useCatalogue() {
  return useInfiniteQuery(catalogueQuery(useApi()));
}
