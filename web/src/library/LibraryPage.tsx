import { Link } from 'wouter';
import { videosOf } from '#web/api/cache.ts';
import { useCatalogue } from '#web/api/queries.ts';
import { ErrorNotice } from '#web/ui/ErrorNotice.tsx';
import { ListFooter } from '#web/ui/ListFooter.tsx';
import { PageHeading } from '#web/ui/PageHeading.tsx';
import { VideoCard } from './VideoCard.tsx';
import './library.css';

/** The catalogue: every public READY video, newest first, with "Load more" over the API's cursor. */
export function LibraryPage() {
  const catalogue = useCatalogue();
  const videos = videosOf(catalogue.data);
  return (
    <>
      <PageHeading title="Library">Library</PageHeading>
      {catalogue.isPending ? (
        <p role="status">Loading videos…</p>
      ) : catalogue.isError && videos.length === 0 ? (
        <ErrorNotice
          error={catalogue.error}
          title="The library could not be loaded."
          onRetry={() => void catalogue.refetch()}
        />
      ) : videos.length === 0 ? (
        <p>
          No videos yet. <Link href="/upload">Upload the first one</Link>.
        </p>
      ) : (
        <>
          <ul className="card-grid">
            {videos.map((video) => (
              <VideoCard key={video.videoId} video={video} />
            ))}
          </ul>
          <ListFooter list={catalogue} noun="videos" />
        </>
      )}
    </>
  );
}
