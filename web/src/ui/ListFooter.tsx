import type { UseInfiniteQueryResult } from '@tanstack/react-query';
import { ErrorNotice } from './ErrorNotice.tsx';

type PagedList = Pick<
  UseInfiniteQueryResult,
  | 'error'
  | 'isError'
  | 'isFetchNextPageError'
  | 'hasNextPage'
  | 'isFetching'
  | 'isFetchingNextPage'
  | 'fetchNextPage'
  | 'refetch'
>;

/**
 * Below a list that is already showing: what went wrong loading more or refreshing it, with Retry,
 * and "Load more" while the API's cursor says there is more. `noun` names the items, e.g. "videos".
 */
export function ListFooter({ list, noun }: { list: PagedList; noun: string }) {
  const more = list.isFetchNextPageError;
  return (
    <>
      {list.isError && (
        <ErrorNotice
          error={list.error}
          title={more ? `More ${noun} could not be loaded.` : `The ${noun} could not be refreshed.`}
          onRetry={() => void (more ? list.fetchNextPage() : list.refetch())}
        />
      )}
      {list.hasNextPage && (
        <p className="load-more">
          <button
            type="button"
            className="button"
            aria-disabled={list.isFetching}
            onClick={() => {
              // A second fetch while one runs could overwrite a refresh with stale pages.
              if (!list.isFetching) void list.fetchNextPage();
            }}
          >
            Load more
          </button>
          <span role="status">{list.isFetchingNextPage ? `Loading more ${noun}…` : ''}</span>
        </p>
      )}
    </>
  );
}
