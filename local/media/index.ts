export {
  FFMPEG_PATH,
  FFPROBE_PATH,
  FfmpegError,
  generateClip,
  killMediaProcesses,
  runFfmpeg,
} from './ffmpeg.ts';
export { type FfprobeOutput, type FfprobeStream, ffprobeJson, type ProbeSummary, probe } from './ffprobe.ts';
export { multiRenditionArgs, type RenditionEncoding, renditionArgs } from './renditions.ts';
