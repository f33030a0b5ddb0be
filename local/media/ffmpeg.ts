import { type ChildProcess, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Path of the ffmpeg binary shipped inside `@ffmpeg-installer/ffmpeg` (no download at install time). */
export const FFMPEG_PATH: string = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;

/** Path of the ffprobe binary shipped inside `@ffprobe-installer/ffprobe`. */
export const FFPROBE_PATH: string = (require('@ffprobe-installer/ffprobe') as { path: string }).path;

/** Every ffmpeg and ffprobe this process started that has not exited yet. */
const running = new Set<ChildProcess>();

/** Tracks a child ffmpeg or ffprobe until it closes, for {@link killMediaProcesses}. */
export function track(child: ChildProcess): void {
  running.add(child);
  child.once('close', () => running.delete(child));
}

/**
 * Kills every ffmpeg and ffprobe this process started and that still runs, at once and synchronously:
 * for a process that is about to exit and must not leave encoders writing into its directories.
 */
export function killMediaProcesses(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** An ffmpeg run that exited non-zero; `stderr` holds ffmpeg's own words. */
export class FfmpegError extends Error {
  /** The signal that killed ffmpeg (`SIGKILL`), when it did not exit by itself. */
  readonly signal: string | undefined;

  constructor(
    message: string,
    readonly stderr: string,
    options?: { cause?: unknown; signal?: string | null },
  ) {
    super(message, options);
    this.name = 'FfmpegError';
    this.signal = options?.signal ?? undefined;
  }
}

/**
 * Runs ffmpeg with `args`. `onProgress` receives the encoded time in seconds as ffmpeg reports it
 * (pass `-progress pipe:1` in args). Rejects with {@link FfmpegError} carrying ffmpeg's stderr;
 * `signal` kills ffmpeg (a canceled job) and rejects the same way.
 */
export function runFfmpeg(
  args: readonly string[],
  onProgress?: (seconds: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new FfmpegError('ffmpeg was not started: the job was canceled.', ''));
      return;
    }
    const child = spawn(FFMPEG_PATH, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    track(child);
    const kill = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', kill, { once: true });
    child.on('close', () => signal?.removeEventListener('abort', kill));
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
            { signal },
          ),
        );
    });
  });
}

/**
 * Generates a test clip: a moving test pattern, optionally with a sine tone and rotation metadata,
 * as MP4 (faststart) or MPEG-TS; `frames` cuts it to that many video frames.
 */
export async function generateClip(
  output: string,
  options: {
    seconds: number;
    width: number;
    height: number;
    audio?: boolean;
    rotate?: 0 | 90 | 180 | 270;
    fps?: number;
    frames?: number;
    format?: 'mp4' | 'mpegts';
  },
): Promise<void> {
  const fps = options.fps ?? 25;
  const container = options.format === 'mpegts' ? ['-f', 'mpegts'] : ['-movflags', '+faststart', '-f', 'mp4'];
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
    ...(options.frames === undefined ? [] : ['-frames:v', String(options.frames)]),
    ...container,
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
