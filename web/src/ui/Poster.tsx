/** A video's poster frame, loaded only when it scrolls near, or a few words in its place. */
export function Poster({
  url,
  title,
  width,
  height,
  fallback,
}: {
  url: string | undefined;
  title: string;
  width: number;
  height: number;
  fallback: string;
}) {
  if (!url) return <span className="poster-missing">{fallback}</span>;
  return (
    <img src={url} alt={`Poster of ${title}`} loading="lazy" decoding="async" width={width} height={height} />
  );
}
