import type { MediaMetadata } from '#shared/store';
import { NotAVideoError, ProbeError } from './errors.ts';
import { type ProcessRunner, runProcess } from './process.ts';

/** How to run ffprobe. */
export interface ProbeOptions {
  /** Absolute path of the ffprobe binary (`/opt/bin/ffprobe` in Lambda, `FFPROBE_PATH` locally). */
  readonly ffprobePath: string;
  /** Replaces the real process runner in tests. */
  readonly run?: ProcessRunner;
  /** Kill ffprobe after this long; default 60 s, well inside the function's own timeout. */
  readonly timeoutMs?: number;
}

/** The arguments ffprobe gets: format and streams as JSON, errors only, and the URL as the one input. */
export function ffprobeArgs(url: string): string[] {
  return ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', url];
}

// ffprobe's messages for input it can read but cannot understand: retrying cannot help.
const NOT_MEDIA =
  /Invalid data found when processing input|moov atom not found|could not find codec parameters/i;

/**
 * Probes a media file, usually a presigned GET URL (ffprobe fetches only the byte ranges it needs),
 * and normalizes the result. Throws {@link NotAVideoError} for a file without a video stream and
 * {@link ProbeError} when ffprobe cannot run or read the URL.
 */
export async function probe(url: string, options: ProbeOptions): Promise<MediaMetadata> {
  const run = options.run ?? runProcess;
  const where = redactUrl(url);
  let result: Awaited<ReturnType<ProcessRunner>>;
  try {
    result = await run(options.ffprobePath, ffprobeArgs(url), { timeoutMs: options.timeoutMs ?? 60_000 });
  } catch (error) {
    throw new ProbeError(
      `ffprobe could not start from ${options.ffprobePath}: ${error instanceof Error ? error.message : String(error)}. Check FFPROBE_PATH and that the ffprobe layer is attached.`,
      '',
      { cause: error },
    );
  }
  // ffprobe echoes its input; a presigned URL is a bearer credential, so it never leaves this function.
  const stderr = result.stderr.trim().split(url).join(where);
  if (result.exitCode !== 0) {
    const detail = stderr.split('\n').slice(-3).join(' | ') || 'no output';
    if (NOT_MEDIA.test(stderr)) {
      throw new NotAVideoError(
        `The file is not a video ffprobe can read (${detail.split(`${where}: `).join('')}).`,
      );
    }
    throw new ProbeError(
      `ffprobe failed on ${where} (${result.signal ? `killed by ${result.signal}` : `exit ${result.exitCode}`}): ${detail}`,
      stderr,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(result.stdout);
  } catch (error) {
    throw new ProbeError(`ffprobe printed something other than JSON for ${where}.`, stderr, { cause: error });
  }
  return normalizeProbe(json);
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  bit_rate?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: { side_data_type?: string; rotation?: number }[];
}

interface FfprobeFormat {
  format_name?: string;
  duration?: string;
  size?: string;
  bit_rate?: string;
}

/**
 * Turns ffprobe's `-show_format -show_streams` JSON into {@link MediaMetadata}.
 *
 * `width` and `height` are the *display* dimensions: for a 90° or 270° rotation they are the coded
 * ones swapped, so a phone's portrait clip lists as portrait. `rotation` is the clockwise turn a
 * player applies, from the stream's display matrix (ffprobe reports it counter-clockwise) or, with
 * older ffprobe builds, the `rotate` tag. `audioCodec` is absent when there is no audio stream.
 * Unknown numbers (a stream without duration or bit rate) are 0, never NaN.
 */
export function normalizeProbe(json: unknown): MediaMetadata {
  const root = (typeof json === 'object' && json !== null ? json : {}) as {
    streams?: FfprobeStream[];
    format?: FfprobeFormat;
  };
  const streams = Array.isArray(root.streams) ? root.streams : [];
  const format = root.format ?? {};
  // Cover art in an audio file is a one-frame "video" stream flagged attached_pic.
  const video = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  if (!video) {
    const found = streams.map((s) => s.codec_type ?? 'unknown').join(', ') || 'no streams';
    throw new NotAVideoError(`The file has no video stream (found ${found}); upload a video file.`);
  }
  if (/(^|,)(image2|[a-z0-9]+_pipe)(,|$)/.test(format.format_name ?? '')) {
    throw new NotAVideoError(
      `The file is a still image (${format.format_name}), not a video; upload a video file.`,
    );
  }
  const codedWidth = positive(video.width);
  const codedHeight = positive(video.height);
  if (codedWidth === 0 || codedHeight === 0) {
    throw new NotAVideoError('The video stream has no picture size; the file is damaged or not a video.');
  }
  const rotation = rotationOf(video);
  const sideways = rotation === 90 || rotation === 270;
  const durationSeconds = round3(positive(format.duration) || positive(video.duration));
  const size = Math.round(positive(format.size));
  const bitRate = Math.round(
    positive(format.bit_rate) || (size > 0 && durationSeconds > 0 ? (size * 8) / durationSeconds : 0),
  );
  const audio = streams.find((s) => s.codec_type === 'audio');
  return {
    durationSeconds,
    width: sideways ? codedHeight : codedWidth,
    height: sideways ? codedWidth : codedHeight,
    rotation,
    videoCodec: video.codec_name ?? 'unknown',
    ...(audio ? { audioCodec: audio.codec_name ?? 'unknown' } : {}),
    bitRate,
    size,
    frameRate: round3(rate(video.avg_frame_rate) || rate(video.r_frame_rate)),
  };
}

function rotationOf(video: FfprobeStream): number {
  const matrix = video.side_data_list?.find((d) => d.side_data_type === 'Display Matrix');
  // av_display_rotation_get reports the counter-clockwise angle; the `rotate` tag was clockwise.
  if (typeof matrix?.rotation === 'number' && Number.isFinite(matrix.rotation))
    return quarterTurns(-matrix.rotation);
  const tag = Number(video.tags?.rotate);
  return Number.isFinite(tag) ? quarterTurns(tag) : 0;
}

function quarterTurns(degrees: number): number {
  return (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;
}

/** A positive finite number from a number or numeric string, else 0. */
function positive(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** `"30000/1001"` → 29.97…; `"0/0"` → 0. */
function rate(value: string | undefined): number {
  const [num, den] = (value ?? '').split('/').map(Number);
  if (num === undefined || !Number.isFinite(num) || num <= 0) return 0;
  if (den === undefined) return num;
  return Number.isFinite(den) && den > 0 ? num / den : 0;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** The URL without its query string, so a presigned signature never reaches a log or a stored reason. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : `${url.slice(0, q)}?…`;
}
