import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Path of the ffmpeg binary shipped inside `@ffmpeg-installer/ffmpeg` (no download at install time). */
export const FFMPEG_PATH: string = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;

/** Path of the ffprobe binary shipped inside `@ffprobe-installer/ffprobe`. */
export const FFPROBE_PATH: string = (require('@ffprobe-installer/ffprobe') as { path: string }).path;

/** How to encode one H.264/AAC MP4 rendition. */
export interface RenditionEncoding {
  /** The box the picture must fit in; smaller inputs are never upscaled. */
  readonly maxWidth: number;
  readonly maxHeight: number;
  readonly videoBitrateKbps: number;
  readonly audioBitrateKbps: number;
  readonly profile: 'baseline' | 'main' | 'high';
  /** Drop audio entirely (input has none). */
  readonly noAudio?: boolean;
}

/** An ffmpeg run that exited non-zero; `stderr` holds ffmpeg's own words. */
export class FfmpegError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FfmpegError';
  }
}

/**
 * ffmpeg arguments for one rendition: shrink to fit the box keeping aspect ratio (autorotate
 * first, so portrait stays portrait), never upscale, even dimensions, faststart MP4.
 */
export function renditionArgs(input: string, output: string, enc: RenditionEncoding): string[] {
  const fit =
    `scale=w='min(${enc.maxWidth},iw)':h='min(${enc.maxHeight},ih)':force_original_aspect_ratio=decrease,` +
    'scale=trunc(iw/2)*2:trunc(ih/2)*2';
  const audio = enc.noAudio ? ['-an'] : ['-c:a', 'aac', '-b:a', `${enc.audioBitrateKbps}k`, '-ac', '2'];
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-v',
    'error',
    '-progress',
    'pipe:1',
    '-i',
    input,
    '-map',
    '0:v:0',
    ...(enc.noAudio ? [] : ['-map', '0:a:0?']),
    '-vf',
    fit,
    '-c:v',
    'libx264',
    '-profile:v',
    enc.profile,
    '-preset',
    'veryfast',
    '-pix_fmt',
    'yuv420p',
    '-b:v',
    `${enc.videoBitrateKbps}k`,
    '-maxrate',
    `${enc.videoBitrateKbps * 2}k`,
    '-bufsize',
    `${enc.videoBitrateKbps * 4}k`,
    ...audio,
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    output,
  ];
}

/**
 * Runs ffmpeg with `args`. `onProgress` receives the encoded time in seconds as ffmpeg reports it
 * (pass `-progress pipe:1` in args). Rejects with {@link FfmpegError} carrying ffmpeg's stderr.
 */
export function runFfmpeg(args: readonly string[], onProgress?: (seconds: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(FFMPEG_PATH, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^out_time_us=(\d+)/.exec(line);
        if (match?.[1] && onProgress) onProgress(Number(match[1]) / 1e6);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 64 * 1024) stderr += chunk;
    });
    child.on('error', (error) =>
      reject(new FfmpegError(`ffmpeg could not start: ${error.message}`, '', { cause: error })),
    );
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new FfmpegError(
            `ffmpeg exited with ${signal ?? code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
            stderr,
          ),
        );
    });
  });
}

/** Generates a test clip: a moving test pattern, optionally with a sine tone and rotation metadata. */
export async function generateClip(
  output: string,
  options: {
    seconds: number;
    width: number;
    height: number;
    audio?: boolean;
    rotate?: 0 | 90 | 180 | 270;
    fps?: number;
  },
): Promise<void> {
  const fps = options.fps ?? 25;
  const args = [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${options.width}x${options.height}:rate=${fps}:duration=${options.seconds}`,
    ...(options.audio === false
      ? []
      : ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${options.seconds}`]),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    ...(options.audio === false ? [] : ['-c:a', 'aac', '-b:a', '96k']),
    '-movflags',
    '+faststart',
    '-shortest',
    options.rotate ? `${output}.unrotated.mp4` : output,
  ];
  await runFfmpeg(args);
  if (options.rotate) {
    // This ffmpeg build writes the rotate tag as a display matrix only when stream-copying.
    await runFfmpeg([
      '-v',
      'error',
      '-y',
      '-i',
      `${output}.unrotated.mp4`,
      '-c',
      'copy',
      '-metadata:s:v:0',
      `rotate=${options.rotate}`,
      '-movflags',
      '+faststart',
      output,
    ]);
    await rm(`${output}.unrotated.mp4`, { force: true });
  }
}
