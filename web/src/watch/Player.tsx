import { useId, useRef, useState } from 'react';
import type { RenditionView, VideoView } from '#web/api/types.ts';
import { pickRendition, qualityChoices, renditionLabel } from './renditions.ts';

/** Where playback was when the source changed, to carry on from there. */
interface Resume {
  readonly time: number;
  readonly playing: boolean;
}

function screenPixels(): number {
  return Math.max(window.screen.width, window.screen.height) * (window.devicePixelRatio || 1);
}

/**
 * The player: a native `<video>` with the poster, and a quality picker when there is more than one
 * rendition. Switching quality, or refreshing an expired link, keeps the playback position.
 * A source stays fixed while the same rendition plays, even when a refetch brings newly signed URLs.
 */
export function Player({
  video,
  requested,
  onChoose,
  onExpired,
}: {
  video: VideoView;
  requested: string | null;
  onChoose: (rendition: string) => void;
  onExpired: () => Promise<VideoView | undefined>;
}) {
  const element = useRef<HTMLVideoElement>(null);
  const resume = useRef<Resume | null>(null);
  const pickerId = useId();
  const chosen = pickRendition(video.renditions, requested, screenPixels());
  const choices = qualityChoices(video.renditions);
  const [source, setSource] = useState(() => ({
    rendition: chosen?.rendition,
    url: chosen?.url,
    refreshed: false,
  }));
  const [failure, setFailure] = useState<string | undefined>();
  if (chosen && source.rendition !== chosen.rendition) {
    setSource({ rendition: chosen.rendition, url: chosen.url, refreshed: false });
  }

  const remember = () => {
    const player = element.current;
    if (player) resume.current = { time: player.currentTime, playing: !player.paused && !player.ended };
  };

  const onLoadedMetadata = () => {
    const player = element.current;
    const at = resume.current;
    resume.current = null;
    if (!player || !at) return;
    player.currentTime = at.time;
    // A browser may refuse to resume without a fresh gesture; the controls are there to press play.
    if (at.playing) player.play().catch(() => undefined);
  };

  const onError = async () => {
    if (source.refreshed) {
      setFailure('The video could not be played. Check your connection and reload the page.');
      return;
    }
    // Signed links expire: fetch fresh ones once, then carry on where playback stopped.
    remember();
    const fresh = await onExpired();
    const again = fresh?.renditions.find((r: RenditionView) => r.rendition === source.rendition);
    if (!again) setFailure('The video is no longer available.');
    else if (again.url === source.url)
      setFailure('The video could not be played. Reload the page to try again.');
    else setSource({ rendition: again.rendition, url: again.url, refreshed: true });
  };

  if (!chosen) return null;
  return (
    <div className="player">
      {/* biome-ignore lint/a11y/useMediaCaption: uploads carry no caption track to offer */}
      <video
        ref={element}
        className="player-video"
        controls
        playsInline
        preload="metadata"
        poster={video.posterUrl}
        src={source.url}
        onLoadedMetadata={onLoadedMetadata}
        onError={() => void onError()}
      />
      {failure && (
        <p className="notice notice-error" role="alert">
          {failure}
        </p>
      )}
      {choices.length > 0 && (
        <div className="field field-inline player-quality">
          <label htmlFor={pickerId}>Quality</label>
          <select
            id={pickerId}
            value={chosen.rendition}
            onChange={(event) => {
              remember();
              onChoose(event.currentTarget.value);
            }}
          >
            {choices.map((r) => (
              <option key={r.rendition} value={r.rendition}>
                {renditionLabel(r)}
              </option>
            ))}
          </select>
        </div>
      )}
    </div>
  );
}
