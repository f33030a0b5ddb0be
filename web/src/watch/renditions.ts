import type { Rendition, RenditionView } from '#web/api/types.ts';

const NAMES: Readonly<Record<Rendition, string>> = {
  '1080p': '1080p',
  '720p': '720p',
  'web-720p': '720p, smaller file',
};

/** What the quality picker calls a rendition: `1080p (1920×1080)`. */
export function renditionLabel(rendition: RenditionView): string {
  const name = NAMES[rendition.rendition] ?? rendition.rendition;
  return rendition.width && rendition.height ? `${name} (${rendition.width}×${rendition.height})` : name;
}

/**
 * The rendition to play: the one asked for (the `quality` in the address) when it exists, else the
 * smallest one at least as wide as the screen's pixels, else the highest. The API lists highest first.
 */
export function pickRendition(
  renditions: readonly RenditionView[],
  requested: string | null | undefined,
  screenPixels: number,
): RenditionView | undefined {
  const asked = renditions.find((r) => r.rendition === requested);
  if (asked) return asked;
  const wideEnough = renditions.filter((r) => r.width !== undefined && r.width >= screenPixels);
  return wideEnough.at(-1) ?? renditions[0];
}

/**
 * What the quality picker offers: every rendition, highest first, or nothing when the video has only
 * one (a small source gets only web-720p), so the picker hides instead of offering no choice.
 */
export function qualityChoices(renditions: readonly RenditionView[]): readonly RenditionView[] {
  return renditions.length > 1 ? renditions : [];
}
