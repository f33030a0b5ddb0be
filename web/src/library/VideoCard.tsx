import { Link } from 'wouter';
import type { VideoSummary } from '#web/api/types.ts';
import { durationLabel, formatDate, formatDuration, formatResolution, videoTitle } from '#web/ui/format.ts';
import { Poster } from '#web/ui/Poster.tsx';

/** One video of the catalogue: poster (loaded lazily), title, duration, resolution and date. */
export function VideoCard({ video }: { video: VideoSummary }) {
  const title = videoTitle(video);
  const duration = video.metadata?.durationSeconds;
  return (
    <li className="card">
      <div className="poster-frame">
        <Poster url={video.posterUrl} title={title} width={320} height={180} fallback="No poster" />
        {duration !== undefined && (
          <span className="card-duration">
            <span aria-hidden="true">{formatDuration(duration)}</span>
            <span className="visually-hidden">Duration {durationLabel(duration)}</span>
          </span>
        )}
      </div>
      <h2 className="card-title">
        <Link href={`/videos/${encodeURIComponent(video.videoId)}`}>{title}</Link>
      </h2>
      <p className="card-meta">
        <span>{formatResolution(video.metadata)}</span>
        <time dateTime={video.createdAt}>{formatDate(video.createdAt)}</time>
      </p>
    </li>
  );
}
