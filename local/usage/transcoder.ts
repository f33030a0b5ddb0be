/** The classes transcoders price output minutes by. */
export type ResolutionClass = 'SD' | 'HD' | 'UHD';

/**
 * The price class of an output from its lines, its short side: SD below 720, HD from 720 to 1080, UHD
 * above (https://aws.amazon.com/mediaconvert/pricing/). The pricing pages name lines of landscape video
 * only; classing by the short side gives a portrait 1080×1920 output the class of 1920×1080, which has
 * as many pixels (classing by height would bill it as UHD), and a 608×1080 one SD (fewer pixels than 720p).
 */
export function resolutionClass(width: number, height: number): ResolutionClass {
  const lines = Math.min(width, height);
  if (lines > 1080) return 'UHD';
  if (lines >= 720) return 'HD';
  return 'SD';
}
