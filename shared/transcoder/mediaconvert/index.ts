export {
  cancelMediaConvertJob,
  type MediaConvertDeps,
  MediaConvertTranscoder,
  readMediaConvertJob,
  sourceProbeOf,
} from './adapter.ts';
export {
  keyOfS3Url,
  MEDIACONVERT_DETAIL_TYPE,
  MEDIACONVERT_EVENT_SOURCE,
  parseMediaConvertEvent,
} from './events.ts';
export {
  AUDIO_SELECTOR,
  buildMediaConvertJob,
  clientRequestToken,
  MEDIACONVERT_RENDITIONS,
  type MediaConvertJobOptions,
  type MediaConvertRenditionEncoding,
  POSTER_BOX,
  s3Url,
} from './job-settings.ts';
