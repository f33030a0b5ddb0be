import type { JobState, TranscoderBackend } from './port.ts';

/** The error code given to a recorded job the transcoder no longer knows: it was lost on its side. */
export const JOB_NOT_FOUND = 'JOB_NOT_FOUND';

/**
 * Job error codes that are the transcoder's own failure, not the input's, so a new job may succeed.
 * MediaConvert: 1999 "Unknown Error" (an unexpected transcoding error) and 1550 (an acceleration
 * fault); every other code names the input, the settings or the permissions
 * (https://docs.aws.amazon.com/mediaconvert/latest/ug/mediaconvert_error_codes.html). Elastic
 * Transcoder: 3000 "Unclassified Storage Error" and 9000, 9001, 9999 "Internal Service Error"
 * (https://docs.aws.amazon.com/elastictranscoder/latest/developerguide/error-handling.html).
 */
const TRANSIENT_JOB_ERRORS: Readonly<Record<TranscoderBackend, ReadonlySet<string>>> = {
  mediaconvert: new Set(['1550', '1999', JOB_NOT_FOUND]),
  'elastic-transcoder': new Set(['3000', '9000', '9001', '9999', JOB_NOT_FOUND]),
};

/** True for a job that ended in ERROR for the transcoder's own reasons: replacing it may succeed. */
export function isTransientJobFailure(state: Pick<JobState, 'backend' | 'state' | 'errorCode'>): boolean {
  return (
    state.state === 'ERROR' &&
    state.errorCode !== undefined &&
    TRANSIENT_JOB_ERRORS[state.backend].has(state.errorCode)
  );
}
