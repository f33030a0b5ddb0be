export { NotAVideoError, ProbeError } from './errors.ts';
export { presignGetUrl } from './presign.ts';
export { ffprobeArgs, normalizeProbe, type ProbeOptions, probe, redactUrl } from './probe.ts';
export { type ProcessResult, type ProcessRunner, runProcess } from './process.ts';
export {
  applyVisibilityTag,
  MAX_VISIBILITY_ATTEMPTS,
  syncVisibility,
  VisibilityRaceError,
  type VisibilitySync,
  type VisibilitySyncDeps,
  withholdOutputs,
} from './visibility.ts';
