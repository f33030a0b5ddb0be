/** TanStack Query keys, one per resource, so a change can update or invalidate exactly what shows it. */
export const videoKeys = {
  all: ['videos'] as const,
  lists: () => ['videos', 'list'] as const,
  catalogue: () => ['videos', 'list', 'catalogue'] as const,
  mine: () => ['videos', 'list', 'mine'] as const,
  detail: (videoId: string) => ['videos', 'detail', videoId] as const,
};

/** Videos per page of a list. */
export const PAGE_SIZE = 50;
