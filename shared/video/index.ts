export * from './details.ts';
export {
  BASE_RENDITION,
  BASE_RENDITION_MAX_BITRATE,
  chooseRenditions,
  displaySize,
  HIGHER_CAP_MIN_PIXELS,
  highestRendition,
  type LadderChoice,
  normalizeLadder,
  orientationOf,
  renditionBox,
  sourceOrientation,
  RENDITION_LADDERS,
  type RenditionLadder,
  type SourcePicture,
} from './ladder.ts';
export * from './layout.ts';
export * from './renditions.ts';
export * from './status.ts';
export * from './upload-rules.ts';
export * from './video-id.ts';
export * from './visibility.ts';
