export { type ApplyJobStateDeps, applyJobState, type JobStateOutcome } from './apply-job-state.ts';
export { claimHolder, type Invocation, invocationOf, type LambdaContextLike } from './invocation.ts';
export {
  InvalidTranscodeRequestError,
  MAX_JOB_ATTEMPTS,
  parseTranscodeRequest,
  type RequestTranscode,
  type TranscodeRequest,
  transcodeRequester,
} from './requests.ts';
