import { isRendition, type Rendition } from './renditions.ts';
import { isVideoId } from './video-id.ts';

/**
 * The transcoded bucket's layout. Everything of one video lives under its own prefix, so two
 * uploads with the same filename never collide:
 *
 * ```
 * videos/<videoId>/1080p.mp4
 * videos/<videoId>/720p.mp4
 * videos/<videoId>/web-720p.mp4
 * videos/<videoId>/metadata.json   (not .mp4: cannot re-trigger the pipeline)
 * videos/<videoId>/poster.jpg      (MediaConvert frame capture names it poster.0000000.jpg)
 * ```
 */
export const OUTPUT_ROOT = 'videos/';

/** Prefix holding every output of one video. */
export function outputPrefix(videoId: string): string {
  return `${OUTPUT_ROOT}${videoId}/`;
}

/** Suffix of every rendition object; the transcoded bucket notifies only for it. */
export const RENDITION_SUFFIX = '.mp4';

/** Key of one rendition of one video. */
export function renditionKey(videoId: string, rendition: Rendition): string {
  return `${outputPrefix(videoId)}${rendition}${RENDITION_SUFFIX}`;
}

/** Key of the probed-metadata document of one video. */
export function metadataKey(videoId: string): string {
  return `${outputPrefix(videoId)}metadata.json`;
}

/** Base name (no extension) of the poster image of one video. */
export function posterBaseKey(videoId: string): string {
  return `${outputPrefix(videoId)}poster`;
}

/** Which video and rendition a transcoded key holds, or undefined when the key is not a rendition. */
export function parseRenditionKey(key: string): { videoId: string; rendition: Rendition } | undefined {
  const match = /^videos\/([^/]+)\/([^/]+)\.mp4$/.exec(key);
  if (!match) return undefined;
  const [, videoId, rendition] = match as unknown as [string, string, string];
  if (!isVideoId(videoId) || !isRendition(rendition)) return undefined;
  return { videoId, rendition };
}

/**
 * The object tag that makes an output playable: the delivery policy lets viewers read only objects
 * carrying it, so nothing needs an ACL (buckets made since 2023 refuse them).
 */
export const PUBLIC_TAG = { key: 'visibility', value: 'public' } as const;
