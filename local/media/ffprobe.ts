import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { FFPROBE_PATH, FfmpegError, runFfmpeg, track } from './ffmpeg.ts';

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
