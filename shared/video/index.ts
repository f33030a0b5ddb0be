export { checkDetailsPatch, checkVisibility, type DetailsPatch } from './details.ts';
export {
  BASE_RENDITION_MAX_BITRATE,
  chooseRenditions,
  HIGHER_CAP_MIN_PIXELS,
  highestRendition,
  type LadderChoice,
  normalizeLadder,
  RENDITION_LADDERS,
  type RenditionLadder,
  renditionBox,
  type SourcePicture,
  sourceOrientation,
} from './ladder.ts';
export {
  metadataKey,
  OUTPUT_ROOT,
  outputPrefix,
  PUBLIC_TAG,
  parseRenditionKey,
  posterBaseKey,
  RENDITION_SUFFIX,
  renditionKey,
} from './layout.ts';
export { isRendition, RENDITION_SPECS, RENDITIONS, type Rendition } from './renditions.ts';
export { isTerminal, VIDEO_STATUS, VIDEO_STATUSES, type VideoStatus, type VisibleStatus } from './status.ts';
export {
  ACCEPTED_EXTENSIONS,
  checkUpload,
  checkUploadFields,
  extensionOf,
  filenameOf,
  UPLOAD_EXPIRED,
  UPLOAD_POLICY_TTL_SECONDS,
} from './upload-rules.ts';
export { isVideoId, newVideoId, parseUploadKey, uploadPrefix, videoIdForUpload } from './video-id.ts';
export { DEFAULT_VISIBILITY, isVisibility, type Visibility } from './visibility.ts';
