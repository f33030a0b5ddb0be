export { type MediaConvertResources, mediaConvertFromStack } from './from-stack.ts';
export type { MediaConvertJobStateEvent } from './job.ts';
export { type LocalMediaConvert, type MediaConvertOptions, startMediaConvert } from './server.ts';
