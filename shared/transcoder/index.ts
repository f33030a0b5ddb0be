export * from './elastic-transcoder.ts';
export * from './errors.ts';
export * from './factory.ts';
export { isTransientJobFailure, JOB_NOT_FOUND } from './job-failures.ts';
export * from './job-states.ts';
export * from './mediaconvert/index.ts';
export * from './port.ts';
