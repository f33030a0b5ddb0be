import type { TranscoderBackend } from '#shared/transcoder';
import { RENDITIONS, type Rendition } from '#shared/video';

/**
 * What a small test clip (320×240, 480×270) becomes on each backend: MediaConvert probes the source
 * and makes only web-720p; Elastic Transcoder cannot read a source before its job and makes every
 * rendition.
 */
export const SMALL_CLIP_LADDER: Readonly<Record<TranscoderBackend, readonly Rendition[]>> = {
  mediaconvert: ['web-720p'],
  'elastic-transcoder': RENDITIONS,
};
