import { RENDITION_SPECS, RENDITIONS, type Rendition } from './renditions.ts';

/**
 * How `transcode-video` picks a video's renditions: `source`, only those that add something a viewer
 * can see ({@link chooseRenditions}); `full`, all of them (for comparisons, `RENDITION_LADDER=full`).
 */
export const RENDITION_LADDERS = ['source', 'full'] as const;

/** One of {@link RENDITION_LADDERS}. */
export type RenditionLadder = (typeof RENDITION_LADDERS)[number];

/** The rendition every video has, whatever its source. */
export const BASE_RENDITION: Rendition = 'web-720p';

/**
 * The peak bit rate of `web-720p` (its QVBR cap in the MediaConvert job settings): a source that
 * carries more may hold detail that only `720p`'s higher cap (3 Mb/s) keeps.
 */
export const BASE_RENDITION_MAX_BITRATE = 1_500_000;

/**
 * The smallest picture (in pixels) for which `720p`'s higher cap can show: half of its 1280×720 box.
 * The caps are sized for a full box (3 Mb/s for 720p, half of it for web-720p), so on a picture of at
 * most half the area even 720p's encoder aims at no more than web-720p's cap.
 */
export const HIGHER_CAP_MIN_PIXELS =
  (RENDITION_SPECS['720p'].maxWidth * RENDITION_SPECS['720p'].maxHeight) / 2;

/** What the ladder needs to know about a source's picture, as a probe reports it. */
export interface SourcePicture {
  /** Coded width in pixels, before rotation. */
  readonly width?: number;
  /** Coded height in pixels, before rotation. */
  readonly height?: number;
  /** Degrees clockwise the player rotates the picture (phones record portrait as landscape + 90). */
  readonly rotation?: number;
  /** Bits per second of the video (of the whole file when the probe knows no better). */
  readonly bitRate?: number;
}

/** The renditions chosen for one source, and why the source could not be used when it was not. */
export interface LadderChoice {
  /** What to make, highest first; always ends with {@link BASE_RENDITION}. */
  readonly renditions: readonly Rendition[];
  /** Set when the full ladder was chosen because the source's size is unknown: the reason, for the log. */
  readonly fallback?: string;
}

/** The size a viewer sees: the coded size, turned by a quarter or three-quarter rotation. */
export function displaySize(picture: { width: number; height: number; rotation?: number }): {
  width: number;
  height: number;
} {
  const quarter = (((picture.rotation ?? 0) % 180) + 180) % 180 === 90;
  return quarter
    ? { width: picture.height, height: picture.width }
    : { width: picture.width, height: picture.height };
}

function isPositive(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value > 0;
}

/**
 * The box a rendition fits a picture of `orientation` into: its own box, turned for portrait pictures,
 * so a portrait source keeps its resolution (1080×1920 in 1080p, 720×1280 in the 720 renditions).
 */
export function renditionBox(
  rendition: Rendition,
  orientation: 'landscape' | 'portrait',
): { width: number; height: number } {
  const { maxWidth, maxHeight } = RENDITION_SPECS[rendition];
  return orientation === 'portrait'
    ? { width: maxHeight, height: maxWidth }
    : { width: maxWidth, height: maxHeight };
}

/** Whether a picture is taller than wide (as displayed): its renditions use portrait boxes. */
export function orientationOf(size: { width: number; height: number }): 'landscape' | 'portrait' {
  return size.height > size.width ? 'portrait' : 'landscape';
}

/** The orientation of a probed source as displayed; landscape (the boxes as they are) when its size is unknown. */
export function sourceOrientation(picture: SourcePicture | undefined): 'landscape' | 'portrait' {
  if (!picture || !isPositive(picture.width) || !isPositive(picture.height)) return 'landscape';
  return orientationOf(
    displaySize({
      width: picture.width,
      height: picture.height,
      ...(picture.rotation !== undefined && { rotation: picture.rotation }),
    }),
  );
}

/**
 * The renditions that add something a viewer can see, from the source's display size (after
 * rotation) and bit rate. Every rendition fits the source into its box, turned for portrait sources
 * ({@link renditionBox}), without enlarging it: 1080p into 1920×1080, 720p and web-720p into
 * 1280×720, web-720p with a 1.5 Mb/s cap and 720p with 3 Mb/s.
 *
 * - `web-720p` always.
 * - `1080p` when the source does not fit 1280×720: its short side is larger than 720, or its long side
 *   larger than 1280 (a 1600×668 cinemascope clip). Only then does 1080p show more pixels.
 * - `720p` when the source does not fit 1280×720 either (the middle step below 1080p), or when its
 *   picture is larger than {@link HIGHER_CAP_MIN_PIXELS} (460,800 px, half of 1280×720) and its bit
 *   rate is above {@link BASE_RENDITION_MAX_BITRATE} (1.5 Mb/s) or unknown. At or below that bit rate
 *   web-720p can carry everything the source has; on a smaller picture neither encoder reaches the cap.
 *
 * Missing or zero dimensions give the full ladder, with the reason in `fallback` for the caller to log.
 */
export function chooseRenditions(source: SourcePicture | undefined): LadderChoice {
  if (!source || !isPositive(source.width) || !isPositive(source.height)) {
    return {
      renditions: RENDITIONS,
      fallback: `the source's size is unknown (width ${source?.width ?? 'missing'}, height ${source?.height ?? 'missing'})`,
    };
  }
  const size = displaySize({
    width: source.width,
    height: source.height,
    ...(source.rotation !== undefined && { rotation: source.rotation }),
  });
  const box = renditionBox(BASE_RENDITION, orientationOf(size));
  const overflows = size.width > box.width || size.height > box.height;
  const higherCapShows =
    size.width * size.height > HIGHER_CAP_MIN_PIXELS &&
    (!isPositive(source.bitRate) || source.bitRate > BASE_RENDITION_MAX_BITRATE);
  const wanted: Record<Rendition, boolean> = {
    '1080p': overflows,
    '720p': overflows || higherCapShows,
    'web-720p': true,
  };
  const renditions = RENDITIONS.filter((rendition) => wanted[rendition]);
  return { renditions };
}

/** The highest of `renditions` (whose probe becomes the video's metadata); the base rendition when none. */
export function highestRendition(renditions: readonly Rendition[]): Rendition {
  return RENDITIONS.find((rendition) => renditions.includes(rendition)) ?? BASE_RENDITION;
}

/**
 * `renditions` as a ladder: known names only, each once, highest first. Throws a TypeError when the
 * base rendition is missing, since every video has it.
 */
export function normalizeLadder(renditions: readonly string[]): readonly Rendition[] {
  const ladder = RENDITIONS.filter((rendition) => renditions.includes(rendition));
  if (!ladder.includes(BASE_RENDITION)) {
    throw new TypeError(
      `A rendition ladder must include ${BASE_RENDITION}, the rendition every video has; got ${JSON.stringify(renditions)}.`,
    );
  }
  return ladder;
}
