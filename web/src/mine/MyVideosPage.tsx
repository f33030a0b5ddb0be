import { useRef, useState } from 'react';
import { Link } from 'wouter';
import { videosOf } from '#web/api/cache.ts';
import { useMyVideos } from '#web/api/live.ts';
import { useDeleteVideo } from '#web/api/mutations.ts';
import type { VideoSummary } from '#web/api/types.ts';
import { ErrorNotice } from '#web/ui/ErrorNotice.tsx';
import { formatDate, formatDuration, percent, statusWord, videoTitle } from '#web/ui/format.ts';
import { ListFooter } from '#web/ui/ListFooter.tsx';
import { PageHeading } from '#web/ui/PageHeading.tsx';
import { Poster } from '#web/ui/Poster.tsx';
import { DeleteDialog } from './DeleteDialog.tsx';
import './mine.css';

/** My videos: every one of the caller's videos in every status, live, each with Delete. */
export function MyVideosPage() {
  const mine = useMyVideos();
  const remove = useDeleteVideo();
  const [doomed, setDoomed] = useState<VideoSummary | undefined>();
  const [announcement, setAnnouncement] = useState('');
  const heading = useRef<HTMLDivElement>(null);
  const videos = videosOf(mine.data);

  const confirmDelete = () => {
    if (!doomed || remove.isPending) return;
    const title = videoTitle(doomed);
    remove.mutate(doomed.videoId, {
      onSuccess: () => {
        setDoomed(undefined);
        setAnnouncement(`Deleted “${title}”.`);
        // The row and its button are gone; start again from the top of the view.
        heading.current?.querySelector('h1')?.focus();
      },
    });
  };

  return (
    <>
      <div ref={heading}>
        <PageHeading title="My videos">My videos</PageHeading>
      </div>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {mine.isPending ? (
        <p role="status">Loading your videos…</p>
      ) : mine.isError && videos.length === 0 ? (
        <ErrorNotice
          error={mine.error}
          title="Your videos could not be loaded."
          onRetry={() => void mine.refetch()}
        />
      ) : videos.length === 0 ? (
        <p>
          You have no videos yet. <Link href="/upload">Upload one</Link>.
        </p>
      ) : (
        <>
          <ul className="stack-list">
            {videos.map((video) => (
              <MineRow
                key={video.videoId}
                video={video}
                onDelete={() => {
                  remove.reset();
                  setDoomed(video);
                }}
              />
            ))}
          </ul>
          <ListFooter list={mine} noun="videos" />
        </>
      )}
      {doomed && (
        <DeleteDialog
          title={videoTitle(doomed)}
          pending={remove.isPending}
          error={remove.error ?? undefined}
          onConfirm={confirmDelete}
          onCancel={() => setDoomed(undefined)}
        />
      )}
    </>
  );
}

/** One of my videos: poster or status, title (to its page), what is happening to it, and Delete. */
function MineRow({ video, onDelete }: { video: VideoSummary; onDelete: () => void }) {
  const title = videoTitle(video);
  const inFlight = video.status === 'UPLOADED' || video.status === 'TRANSCODING';
  const failed = video.status === 'FAILED' || video.status === 'REJECTED';
  return (
    <li className="panel mine-row">
      <div className="poster-frame mine-thumb">
        <Poster
          url={video.posterUrl}
          title={title}
          width={160}
          height={90}
          fallback={video.status === 'READY' ? 'No poster' : statusWord(video.status)}
        />
      </div>
      <div className="mine-info">
        <h2 className="mine-title">
          <Link href={`/videos/${encodeURIComponent(video.videoId)}`}>{title}</Link>
        </h2>
        <p className="mine-meta">
          <time dateTime={video.createdAt}>{formatDate(video.createdAt)}</time>
          {video.metadata && <span>{formatDuration(video.metadata.durationSeconds)}</span>}
          {video.visibility === 'private' && <span className="tag">Private</span>}
        </p>
        <p
          className={
            failed
              ? 'mine-status text-error'
              : video.status === 'READY'
                ? 'mine-status text-success'
                : 'mine-status'
          }
        >
          <span aria-live="polite">{statusWord(video.status)}</span>
          {inFlight && <span className="mine-percent"> {percent(video.progress)}%</span>}
          {failed && <span>: {video.reason ?? 'no reason was given'}</span>}
        </p>
        {inFlight && (
          <progress
            className="progress"
            value={percent(video.progress)}
            max={100}
            aria-label={`Progress of ${title}`}
          />
        )}
      </div>
      <div className="mine-actions">
        <button type="button" className="button button-small" onClick={onDelete}>
          Delete<span className="visually-hidden"> {title}</span>
        </button>
      </div>
    </li>
  );
}
