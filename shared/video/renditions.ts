/** The renditions every video is transcoded into, highest first. */
export const RENDITIONS = ['1080p', '720p', 'web-720p'] as const;

/** One of {@link RENDITIONS}. */
export type Rendition = (typeof RENDITIONS)[number];

/** What each rendition is: the box it must fit in (never upscaled) and what it is for. */
export const RENDITION_SPECS: Readonly<
  Record<Rendition, { maxWidth: number; maxHeight: number; description: string }>
> = {
  '1080p': { maxWidth: 1920, maxHeight: 1080, description: 'Generic 1080p, H.264 High, AAC' },
  '720p': { maxWidth: 1280, maxHeight: 720, description: 'Generic 720p, H.264 Main, AAC' },
  'web-720p': { maxWidth: 1280, maxHeight: 720, description: 'Web 720p, H.264 Main, AAC, smaller bit rate' },
};

/** True when `value` names a rendition. */
export function isRendition(value: string): value is Rendition {
  return (RENDITIONS as readonly string[]).includes(value);
}
