import { Link, useSearchParams } from 'wouter';
import { ApiError } from '#web/api/errors.ts';
import { useVideo } from '#web/api/live.ts';
import type { VideoView } from '#web/api/types.ts';
import { ErrorNotice } from '#web/ui/ErrorNotice.tsx';
import {
  formatBitRate,
  formatBytes,
  formatDate,
  formatDuration,
  formatResolution,
  percent,
  UNKNOWN,
  videoTitle,
} from '#web/ui/format.ts';
import { PageHeading } from '#web/ui/PageHeading.tsx';
import { OwnerControls } from './OwnerControls.tsx';
import { Player } from './Player.tsx';
import './watch.css';

/** The watch page, `/videos/<id>`: a deep link that works on reload and can be shared. */
export function WatchPage({ videoId }: { videoId: string }) {
  const query = useVideo(videoId);
  const [search, setSearch] = useSearchParams();
  const video = query.data;
  const notFound = query.error instanceof ApiError && query.error.status === 404;

  if (!video) {
    return (
      <>
        <PageHeading
          title={notFound ? 'Video not found' : query.isError ? 'Video unavailable' : 'Loading video'}
        >
          {notFound ? 'Video not found' : query.isError ? 'Video unavailable' : 'Loading video…'}
        </PageHeading>
        {notFound ? (
          <p>
            This video does not exist, has been deleted, or is private.{' '}
            <Link href="/">Back to the library</Link>.
          </p>
        ) : query.isError ? (
          <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />
        ) : (
          <p role="status">Loading…</p>
        )}
      </>
    );
  }

  const title = videoTitle(video);
  const playable = video.status === 'READY' && video.renditions.length > 0;
  return (
    <>
      <PageHeading title={title}>{title}</PageHeading>
      {playable ? (
        <Player
          video={video}
          requested={search.get('quality')}
          onChoose={(quality) => setSearch({ quality }, { replace: true })}
          onExpired={async () => (await query.refetch()).data}
        />
      ) : (
        <NotPlayable video={video} />
      )}
      {video.description && <p className="description">{video.description}</p>}
      <Facts video={video} />
      {video.mine && <OwnerControls video={video} />}
    </>
  );
}

/** Instead of a player that cannot play: where the video is, live, or why it failed. */
function NotPlayable({ video }: { video: VideoView }) {
  switch (video.status) {
    case 'UPLOADED':
      return (
        <p className="notice" aria-live="polite">
          This video is waiting for its file. The page updates by itself.
        </p>
      );
    case 'TRANSCODING':
      return (
        <div className="notice">
          <p aria-live="polite">Transcoding: the video will play here when it is ready.</p>
          <progress
            className="progress"
            value={percent(video.progress)}
            max={100}
            aria-label="Transcoding progress"
          />
          <p>{percent(video.progress)}%</p>
        </div>
      );
    case 'FAILED':
    case 'REJECTED':
      return (
        <p className="notice notice-error" aria-live="polite">
          This video cannot be played: {video.reason ?? 'it could not be processed'}.
        </p>
      );
    default:
      return <p className="notice">This video has no playable files yet.</p>;
  }
}

/** What the probe found, plus the upload's own facts. */
function Facts({ video }: { video: VideoView }) {
  const m = video.metadata;
  const rows: Array<[string, string]> = [
    ['Duration', formatDuration(m?.durationSeconds)],
    ['Resolution', formatResolution(m)],
    ['Video codec', m?.videoCodec || UNKNOWN],
    ['Audio codec', m ? m.audioCodec || 'None' : UNKNOWN],
    [
      'Frame rate',
      m && Number.isFinite(m.frameRate) && m.frameRate > 0
        ? `${Math.round(m.frameRate * 100) / 100} fps`
        : UNKNOWN,
    ],
    ['Bit rate', formatBitRate(m?.bitRate)],
    ['File size', formatBytes(m?.size ?? video.size)],
    ['Uploaded', formatDate(video.createdAt)],
    ['Visibility', video.visibility === 'private' ? 'Private' : 'Public'],
  ];
  return (
    <section aria-labelledby="facts-heading">
      <h2 id="facts-heading">Details</h2>
      <dl className="facts">
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
