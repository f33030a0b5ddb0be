/** The classes transcoders price output minutes by. */
export type ResolutionClass = 'SD' | 'HD' | 'UHD';

/**
 * The price class of an output from its display height in lines: SD below 720, HD from 720 to 1080,
 * UHD above (https://aws.amazon.com/mediaconvert/pricing/). A portrait output is classed by its height,
 * so a 608×1080 rendition is HD: the pricing pages name lines, not the short side.
 */
export function resolutionClass(height: number): ResolutionClass {
  if (height > 1080) return 'UHD';
  if (height >= 720) return 'HD';
  return 'SD';
}
