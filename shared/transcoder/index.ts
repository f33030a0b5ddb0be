export { buildCreateJobRequest, ElasticTranscoderTranscoder } from './elastic-transcoder/index.ts';
export { JobStartError, UnrecognizedJobStateError, UnsupportedTranscoderError } from './errors.ts';
export {
  createJobControl,
  createJobReader,
  createTranscoder,
  defaultJobClients,
  type TranscoderSettings,
} from './factory.ts';
export { isTransientJobFailure, JOB_NOT_FOUND } from './job-failures.ts';
export { jobStateMessages, parseJobStateMessage, parseJobStates } from './job-states.ts';
export {
  buildMediaConvertJob,
  MediaConvertTranscoder,
  parseMediaConvertEvent,
} from './mediaconvert/index.ts';
export {
  type JobCancellation,
  type JobCanceller,
  type JobReader,
  type JobState,
  type SourceProbe,
  TRANSCODER_BACKENDS,
  type Transcoder,
  type TranscoderBackend,
} from './port.ts';
