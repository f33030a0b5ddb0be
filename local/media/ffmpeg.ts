import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Path of the ffmpeg binary shipped inside `@ffmpeg-installer/ffmpeg` (no download at install time). */
export const FFMPEG_PATH: string = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;

/** Path of the ffprobe binary shipped inside `@ffprobe-installer/ffprobe`. */
export const FFPROBE_PATH: string = (require('@ffprobe-installer/ffprobe') as { path: string }).path;

/** Every ffmpeg and ffprobe this process started that has not exited yet. */
const running = new Set<ChildProcess>();

function track(child: ChildProcess): void {
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
  /**
   * Constant-quality mode: x264 CRF instead of a target bit rate, capped at `videoBitrateKbps`
   * (how the MediaConvert emulator renders QVBR).
   */
  readonly crf?: number;
  /** False to ignore rotation metadata (MediaConvert's default unless `Rotate: AUTO`); true by default. */
  readonly autorotate?: boolean;
  /** Which audio stream of the input to encode (0-based among audio streams); the first when unset. */
  readonly audioStream?: number;
  /** Output audio channels; 2 when unset. */
  readonly audioChannels?: 1 | 2;
  /** Output audio sample rate in Hz; the input's when unset. */
  readonly audioSampleRate?: number;
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
 * ffmpeg arguments for one rendition: shrink to fit the box keeping aspect ratio (autorotate
 * first, so portrait stays portrait), never upscale, even dimensions, faststart MP4.
 */
export function renditionArgs(input: string, output: string, enc: RenditionEncoding): string[] {
  const fit =
    `scale=w='min(${enc.maxWidth},iw)':h='min(${enc.maxHeight},ih)':force_original_aspect_ratio=decrease,` +
    'scale=trunc(iw/2)*2:trunc(ih/2)*2';
  const audio = enc.noAudio
    ? ['-an']
    : [
        '-c:a',
        'aac',
        '-b:a',
        `${enc.audioBitrateKbps}k`,
        '-ac',
        String(enc.audioChannels ?? 2),
        ...(enc.audioSampleRate ? ['-ar', String(enc.audioSampleRate)] : []),
      ];
  const rate =
    enc.crf === undefined
      ? ['-b:v', `${enc.videoBitrateKbps}k`, '-maxrate', `${enc.videoBitrateKbps * 2}k`]
      : ['-crf', String(enc.crf), '-maxrate', `${enc.videoBitrateKbps}k`];
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-v',
    'error',
    '-progress',
    'pipe:1',
    ...(enc.autorotate === false ? ['-noautorotate'] : []),
    '-i',
    input,
    '-map',
    '0:v:0',
    ...(enc.noAudio ? [] : ['-map', enc.audioStream === undefined ? '0:a:0?' : `0:a:${enc.audioStream}`]),
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
    ...rate,
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

/**
 * ffmpeg arguments encoding several renditions of one input in one process: the input is read
 * and decoded once and each output gets its own filter chain and encoder settings, which is
 * cheaper than one ffmpeg per rendition.
 */
export function multiRenditionArgs(
  input: string,
  outputs: readonly { readonly output: string; readonly encoding: RenditionEncoding }[],
): string[] {
  const perOutput = outputs.map(({ output, encoding }) => {
    const args = renditionArgs(input, output, encoding);
    return args.slice(args.indexOf('-i') + 2);
  });
  const first = renditionArgs(input, outputs[0]?.output ?? '', outputs[0]?.encoding ?? RENDITION_FALLBACK);
  return [...first.slice(0, first.indexOf('-i') + 2), ...perOutput.flat()];
}

const RENDITION_FALLBACK: RenditionEncoding = {
  maxWidth: 1280,
  maxHeight: 720,
  videoBitrateKbps: 2400,
  audioBitrateKbps: 128,
  profile: 'main',
};

/** What ffprobe says about a local file or URL: container duration, first video stream's display size, audio. */
export interface ProbeSummary {
  readonly durationSeconds: number;
  readonly width: number;
  readonly height: number;
  readonly hasAudio: boolean;
}

/** One stream as `ffprobe -print_format json -show_streams` describes it (the fields we read). */
export interface FfprobeStream {
  readonly codec_type?: string;
  readonly codec_name?: string;
  readonly width?: number;
  readonly height?: number;
  readonly channels?: number;
  readonly sample_rate?: string;
  readonly duration?: string;
  readonly bit_rate?: string;
  readonly tags?: Record<string, string>;
  readonly side_data_list?: readonly { rotation?: number }[];
}

/** ffprobe's JSON description of a file: its streams and its container. */
export interface FfprobeOutput {
  readonly streams: readonly FfprobeStream[];
  readonly format: { readonly duration?: string; readonly bit_rate?: string; readonly size?: string };
}

/**
 * Runs the packaged ffprobe on a file or URL (`-show_format -show_streams`); fails with {@link FfmpegError}.
 * The packaged ffprobe crashes (SIGSEGV) on every MPEG-TS file, which ffmpeg reads well: when it crashes
 * on a local file, the streams are copied into Matroska by ffmpeg and that copy is probed instead.
 */
export async function ffprobeJson(input: string): Promise<FfprobeOutput> {
  try {
    return await runFfprobe(input);
  } catch (error) {
    if (!(error instanceof FfprobeCrashError) || /^[a-z][a-z0-9+.-]*:\/\//i.test(input)) throw error;
  }
  const copy = `${input}.probe-${randomBytes(4).toString('hex')}.mkv`;
  try {
    await runFfmpeg(
      ['-hide_banner', '-nostdin', '-y', '-v', 'error', '-i', input].concat([
        '-map',
        '0:v?',
        '-map',
        '0:a?',
        '-c',
        'copy',
        '-f',
        'matroska',
        copy,
      ]),
    );
    const probed = await runFfprobe(copy);
    const { size } = await stat(input);
    return { streams: probed.streams, format: { ...probed.format, size: String(size) } };
  } finally {
    await rm(copy, { force: true });
  }
}

/** ffprobe died of a signal rather than refusing the input. */
class FfprobeCrashError extends FfmpegError {
  constructor(message: string, stderr: string) {
    super(message, stderr);
    this.name = 'FfprobeCrashError';
  }
}

function runFfprobe(input: string): Promise<FfprobeOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      FFPROBE_PATH,
      ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', input],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    track(child);
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.on('error', (error) =>
      reject(new FfmpegError(`ffprobe could not start: ${error.message}`, '', { cause: error })),
    );
    child.on('close', (code, signal) => {
      if (signal !== null) return reject(new FfprobeCrashError(`ffprobe was killed by ${signal}`, err));
      if (code !== 0)
        return reject(
          new FfmpegError(
            `ffprobe exited with ${code}: ${err.trim().split('\n').slice(-2).join(' | ')}`,
            err,
          ),
        );
      try {
        const parsed = JSON.parse(out) as Partial<FfprobeOutput>;
        resolve({ streams: parsed.streams ?? [], format: parsed.format ?? {} });
      } catch (error) {
        reject(new FfmpegError('ffprobe printed no JSON', err, { cause: error }));
      }
    });
  });
}

/** Probes a file with the packaged ffprobe; width and height are as displayed (rotation applied). */
export async function probe(input: string): Promise<ProbeSummary> {
  const { streams, format } = await ffprobeJson(input);
  const video = streams.find((s) => s.codec_type === 'video');
  const rotation = Math.abs(
    Number(
      video?.tags?.rotate ?? video?.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? 0,
    ),
  );
  const turned = rotation === 90 || rotation === 270;
  return {
    durationSeconds: Number(format.duration ?? 0),
    width: (turned ? video?.height : video?.width) ?? 0,
    height: (turned ? video?.width : video?.height) ?? 0,
    hasAudio: streams.some((s) => s.codec_type === 'audio'),
  };
}
