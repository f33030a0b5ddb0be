import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isTransientAwsError } from '#shared/transcoder';
import type { UsageMeter } from '#local/usage';
import type { TranscoderFaults } from '../faults.ts';
import {
  FfmpegError,
  type FfprobeOutput,
  type FfprobeStream,
  ffprobeJson,
  renditionArgs,
  runFfmpeg,
} from '../media/ffmpeg.ts';
import {
  type JobPlan,
  JobSettingsError,
  type PlannedFrameCapture,
  type PlannedMp4Output,
  parseS3Url,
  planJob,
} from './mediaconvert-settings.ts';
import { ServiceError } from './service-error.ts';

/** An EventBridge event exactly as MediaConvert puts it on the default bus. */
export interface MediaConvertJobStateEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'MediaConvert Job State Change';
  readonly source: 'aws.mediaconvert';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Record<string, unknown>;
}

/** What the emulator needs: where media lives, where events go, and scratch space for ffmpeg. */
export interface MediaConvertEmulatorOptions {
  /** Reads inputs and writes outputs; the role in the job is not checked. */
  readonly s3Client: S3Client;
  /** Receives every job-state event (PROGRESSING, STATUS_UPDATE, COMPLETE, ERROR, CANCELED) in order. */
  readonly emit: (event: MediaConvertJobStateEvent) => void | Promise<void>;
  /** Directory for per-job scratch files; each job's folder is removed when it ends. */
  readonly workDir: string;
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly region?: string;
  readonly account?: string;
  /** Where failures of `emit` itself go (the job has already ended by then); `console.error` by default. */
  readonly onError?: (error: unknown) => void;
  /** Called with every job CreateJob creates (not with one a repeated token returns). */
  readonly onJobCreated?: (job: { jobId: string; videoId?: string }) => void;
  /** Injected faults (tests): an engine that dies mid-job, a lost COMPLETE event, a hung CreateJob. */
  readonly faults?: TranscoderFaults;
  /** Counts every output of every job that completes, with its duration and height. */
  readonly usage?: UsageMeter;
}

/** A running emulator. */
export interface MediaConvertEmulator {
  /** Give this to `new MediaConvertClient({ endpoint })` or `AWS_ENDPOINT_URL_MEDIACONVERT`. */
  readonly endpoint: string;
  /** Resolves once every job accepted so far has ended (COMPLETE or ERROR emitted). */
  idle(): Promise<void>;
  /**
   * Stops accepting requests and ends every job at once: the running one's ffmpeg is killed, queued
   * ones never start, and no job emits anything more. Resolves once nothing writes any more.
   */
  stop(): Promise<void>;
}

/**
 * Error codes in ERROR events (https://docs.aws.amazon.com/mediaconvert/latest/ug/mediaconvert_error_codes.html).
 * The input's faults: 1010 "can't open input", 1076 "Source Read Error" (the transcoder could not read
 * the stream); the docs tie no code to the missing-audio-track message, so it is filed under 1040, a
 * settings error. MediaConvert's own: 1999 "Unknown Error", an unexpected transcoding error (the
 * engine died, storage could not be reached), which a new job may not hit.
 */
const ERROR_CODES = { INPUT: 1010, SOURCE_READ: 1076, AUDIO_TRACK: 1040, UNKNOWN: 1999 } as const;

/**
 * What a failure inside a job is reported as: an ffmpeg that could not decode the input is the
 * input's fault; an ffmpeg killed by a signal, or storage that answered 5xx or throttled, is the
 * service's own (1999), and says so.
 */
function engineFailure(error: unknown): JobFailure {
  if (error instanceof FfmpegError && error.signal === undefined) {
    return new JobFailure(ERROR_CODES.SOURCE_READ, `Source Read Error: ${error.message}`, { cause: error });
  }
  if (error instanceof FfmpegError) {
    return new JobFailure(
      ERROR_CODES.UNKNOWN,
      `Unknown Error: the transcoding engine stopped unexpectedly (${error.signal}).`,
      { cause: error },
    );
  }
  if (isTransientAwsError(error)) {
    const { name, message } = error as Error;
    return new JobFailure(
      ERROR_CODES.UNKNOWN,
      `Unknown Error: Amazon S3 could not be reached (${name}: ${message}).`,
      {
        cause: error,
      },
    );
  }
  return new JobFailure(ERROR_CODES.UNKNOWN, `Unknown Error: ${String(error)}`, { cause: error });
}

class JobFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'JobFailure';
  }
}

interface OutputDetail {
  readonly path: string;
  readonly durationInMs: number;
  readonly widthInPx: number;
  readonly heightInPx: number;
  readonly averageBitrate?: number;
}

interface Job {
  readonly id: string;
  readonly arn: string;
  readonly plan: JobPlan;
  readonly wire: Record<string, unknown>;
  readonly submitTime: Date;
  /** Aborted by CancelJob: kills the running ffmpeg, and no step after it starts. */
  readonly abort: AbortController;
  /** Aborted by an injected engine death: kills the running ffmpeg as a crash would. */
  readonly engine: AbortController;
  status: 'SUBMITTED' | 'PROGRESSING' | 'COMPLETE' | 'ERROR' | 'CANCELED';
  /** Set while the job runs; settles once it has stopped writing. */
  running?: Promise<void>;
  percent?: number;
  startTime?: Date;
  finishTime?: Date;
  errorCode?: number;
  errorMessage?: string;
  groups?: OutputDetail[][];
}

/** Throws once CancelJob has canceled the job, so it stops before its next step. */
function stopIfCanceled(job: Job): void {
  if (job.status === 'CANCELED') throw new Error(`Job ${job.id} was canceled.`);
}

function rotationOf(stream: FfprobeStream): number {
  const tagged = Number(stream.tags?.rotate ?? 0);
  const matrix = stream.side_data_list?.find((side) => typeof side.rotation === 'number')?.rotation;
  return (((matrix !== undefined ? -matrix : tagged) % 360) + 360) % 360;
}

const CODECS: Readonly<Record<string, string>> = {
  h264: 'AVC',
  hevc: 'HEVC',
  av1: 'AV1',
  vp8: 'VP8',
  vp9: 'VP9',
  mpeg4: 'MP4V',
  mpeg2video: 'MPEG2',
  mpeg1video: 'MPEG1',
  prores: 'PRORES',
  mjpeg: 'MJPEG',
  aac: 'AAC',
  mp3: 'MP3',
  ac3: 'AC3',
  eac3: 'EAC3',
  opus: 'OPUS',
  vorbis: 'VORBIS',
  flac: 'FLAC',
};

const FORMATS: Readonly<Record<string, string>> = {
  mp4: 'mp4',
  m4v: 'mp4',
  mov: 'quicktime',
  mkv: 'matroska',
  webm: 'webm',
  avi: 'avi',
  mpg: 'mpegps',
  mpeg: 'mpegps',
  mts: 'mpegts',
  ts: 'mpegts',
  '3gp': 'three_gp',
};

/**
 * A video track's properties as Probe reports them: the coded size, the track's bit rate when the
 * container states one, and the clockwise rotation, absent when there is none (Probe's null).
 */
function videoProperties(stream: FfprobeStream): Record<string, unknown> {
  const rotation = rotationOf(stream);
  const bitRate = Number(stream.bit_rate);
  return {
    width: stream.width,
    height: stream.height,
    ...(rotation !== 0 && { rotation }),
    ...(Number.isFinite(bitRate) && bitRate > 0 && { bitRate }),
  };
}

/** The Probe API's answer for one file (wire shape), from ffprobe's. */
function probeResult(probed: FfprobeOutput, key: string): Record<string, unknown> {
  const extension = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  const tracks = probed.streams
    .filter((stream) => stream.codec_type === 'video' || stream.codec_type === 'audio')
    .map((stream, index) => {
      const codec = stream.codec_name?.startsWith('pcm_')
        ? 'PCM'
        : (CODECS[stream.codec_name ?? ''] ?? 'UNKNOWN');
      const duration = stream.duration === undefined ? undefined : Number(stream.duration);
      return {
        index: index + 1,
        trackType: stream.codec_type,
        codec,
        ...(duration !== undefined && Number.isFinite(duration) && { duration }),
        ...(stream.codec_type === 'video' && { videoProperties: videoProperties(stream) }),
        ...(stream.codec_type === 'audio' && {
          audioProperties: { channels: stream.channels, sampleRate: Number(stream.sample_rate ?? 0) },
        }),
      };
    });
  const bitRate = Number(probed.format.bit_rate);
  return {
    container: {
      format: FORMATS[extension] ?? 'mp4',
      duration: Number(probed.format.duration ?? 0),
      ...(Number.isFinite(bitRate) && bitRate > 0 && { bitRate }),
      tracks,
    },
    metadata: { fileSize: Number(probed.format.size ?? 0) },
  };
}

function fitFilter(box: { width: number; height: number } | undefined): string {
  if (!box) return 'scale=trunc(iw/2)*2:trunc(ih/2)*2';
  return (
    `scale=w='min(${box.width},iw)':h='min(${box.height},ih)':force_original_aspect_ratio=decrease,` +
    'scale=trunc(iw/2)*2:trunc(ih/2)*2'
  );
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function sendError(response: ServerResponse, status: number, type: string, message: string): void {
  // restJson1: the SDK reads the error name from x-amzn-errortype and the text from `message`.
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  response.end(JSON.stringify({ message }));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Starts a local AWS Elemental MediaConvert: CreateJob, GetJob, CancelJob and Probe over the REST API the SDK speaks,
 * real ffmpeg behind them. Jobs run one at a time (the machine is small); each emits the EventBridge events
 * MediaConvert would. CreateJob honours ClientRequestToken: the same token returns the same job.
 */
export async function startMediaConvertEmulator(
  options: MediaConvertEmulatorOptions,
): Promise<MediaConvertEmulator> {
  const region = options.region ?? 'us-east-1';
  const account = options.account ?? '000000000000';
  const onError = options.onError ?? ((error: unknown) => console.error('mediaconvert emulator:', error));
  const jobs = new Map<string, Job>();
  const byToken = new Map<string, Job>();
  let queue: Promise<void> = Promise.resolve();
  let stopped = false;
  await mkdir(options.workDir, { recursive: true });

  function wireJob(job: Job): Record<string, unknown> {
    const seconds = (date: Date | undefined) => (date ? Math.floor(date.getTime() / 1000) : undefined);
    return {
      ...job.wire,
      id: job.id,
      arn: job.arn,
      status: job.status,
      createdAt: seconds(job.submitTime),
      ...(job.percent !== undefined && { jobPercentComplete: job.percent }),
      ...(job.errorCode !== undefined && { errorCode: job.errorCode, errorMessage: job.errorMessage }),
      timing: {
        submitTime: seconds(job.submitTime),
        ...(job.startTime && { startTime: seconds(job.startTime) }),
        ...(job.finishTime && { finishTime: seconds(job.finishTime) }),
      },
      ...(job.groups && {
        outputGroupDetails: job.groups.map((group) => ({
          outputDetails: group.map((output) => ({
            durationInMs: output.durationInMs,
            videoDetails: { widthInPx: output.widthInPx, heightInPx: output.heightInPx },
          })),
        })),
      }),
    };
  }

  async function emit(job: Job, status: string, extra: Record<string, unknown> = {}): Promise<void> {
    if (stopped) return;
    const now = new Date();
    await options.emit({
      version: '0',
      id: randomBytes(16)
        .toString('hex')
        .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'),
      'detail-type': 'MediaConvert Job State Change',
      source: 'aws.mediaconvert',
      account,
      time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region,
      resources: [job.arn],
      detail: {
        timestamp: now.getTime(),
        accountId: account,
        queue: job.plan.queue ?? `arn:aws:mediaconvert:${region}:${account}:queues/Default`,
        jobId: job.id,
        status,
        userMetadata: { ...job.plan.userMetadata },
        ...extra,
      },
    });
  }

  async function download(bucket: string, key: string, file: string): Promise<void> {
    const object = await options.s3Client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    await pipeline(object.Body as Readable, createWriteStream(file));
  }

  async function upload(bucket: string, key: string, file: string, contentType: string): Promise<void> {
    await options.s3Client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: await readFile(file),
        ContentType: contentType,
      }),
    );
  }

  async function describe(path: string, file: string): Promise<OutputDetail> {
    const probed = await ffprobeJson(file);
    const video = probed.streams.find((stream) => stream.codec_type === 'video');
    const bitRate = Number(probed.format.bit_rate);
    return {
      path,
      durationInMs: Math.round(Number(probed.format.duration ?? 0) * 1000),
      widthInPx: video?.width ?? 0,
      heightInPx: video?.height ?? 0,
      ...(Number.isFinite(bitRate) && { averageBitrate: bitRate }),
    };
  }

  async function renderMp4(
    job: Job,
    output: PlannedMp4Output,
    bucket: string,
    input: string,
    dir: string,
    audioStreams: number,
  ): Promise<OutputDetail> {
    let audioStream: number | undefined;
    if (output.audio) {
      const names = [...job.plan.input.audioSelectors.keys()];
      const track = job.plan.input.audioSelectors.get(output.audio.selector)?.tracks[0] ?? 1;
      if (track > audioStreams) {
        throw new JobFailure(
          ERROR_CODES.AUDIO_TRACK,
          `Invalid audio track specified for audio_selector [${names.indexOf(output.audio.selector) + 1}]. Audio track [${track}] not found in input container.`,
        );
      }
      audioStream = track - 1;
    }
    const file = join(dir, `out-${randomBytes(4).toString('hex')}.mp4`);
    const args = renditionArgs(input, file, {
      maxWidth: output.box?.width ?? 16384,
      maxHeight: output.box?.height ?? 16384,
      videoBitrateKbps: output.videoBitrateKbps,
      audioBitrateKbps: output.audio?.bitrateKbps ?? 128,
      profile: output.profile,
      noAudio: !output.audio,
      autorotate: job.plan.input.autorotate,
      ...(output.crf !== undefined && { crf: output.crf }),
      ...(audioStream !== undefined && { audioStream }),
      ...(output.audio && { audioChannels: output.audio.channels, audioSampleRate: output.audio.sampleRate }),
    });
    await runFfmpeg(args, undefined, AbortSignal.any([job.abort.signal, job.engine.signal]));
    stopIfCanceled(job);
    await upload(bucket, output.key, file, 'video/mp4');
    return describe(`s3://${bucket}/${output.key}`, file);
  }

  async function renderFrames(
    job: Job,
    output: PlannedFrameCapture,
    bucket: string,
    input: string,
    dir: string,
    inputDurationMs: number,
  ): Promise<OutputDetail> {
    const framesDir = await mkdtemp(join(dir, 'frames-'));
    // ffmpeg's JPEG scale runs 2 (best) to 31; MediaConvert's quality runs 100 (best) to 1.
    const q = Math.round(2 + ((100 - output.quality) * 29) / 99);
    await runFfmpeg(
      [
        '-hide_banner',
        '-nostdin',
        '-y',
        '-v',
        'error',
        ...(job.plan.input.autorotate ? [] : ['-noautorotate']),
        '-i',
        input,
        // The first frame, then the first one at least an interval later: ffmpeg's fps filter gives a
        // clip shorter than its interval no frame at all, where MediaConvert captures its first.
        '-vf',
        `select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,${1 / output.rate})',${fitFilter(output.box)}`,
        '-vsync',
        'vfr',
        '-frames:v',
        String(output.maxCaptures),
        '-q:v',
        String(q),
        '-start_number',
        '0',
        join(framesDir, 'frame.%07d.jpg'),
      ],
      undefined,
      job.abort.signal,
    );
    const frames = (await readdir(framesDir)).filter((name) => name.endsWith('.jpg')).sort();
    if (frames.length === 0) throw new JobFailure(ERROR_CODES.UNKNOWN, 'Frame capture produced no image.');
    let last = '';
    for (const frame of frames) {
      stopIfCanceled(job);
      const sequence = frame.slice('frame.'.length, -'.jpg'.length);
      last = `${output.keyBase}.${sequence}.jpg`;
      await upload(bucket, last, join(framesDir, frame), 'image/jpeg');
    }
    // The event lists only the final captured image of a frame-capture output.
    const detail = await describe(`s3://${bucket}/${last}`, join(framesDir, frames[frames.length - 1] ?? ''));
    return { ...detail, durationInMs: inputDurationMs };
  }

  function run(job: Job): Promise<void> {
    // A job canceled while it waited in the queue never starts, nor does any once the emulator stops.
    if (job.status === 'CANCELED' || stopped) return Promise.resolve();
    job.running = runJob(job);
    return job.running;
  }

  async function runJob(job: Job): Promise<void> {
    const dir = await mkdtemp(join(options.workDir, `${job.id}-`));
    const fault = options.faults?.job(job.id);
    try {
      stopIfCanceled(job);
      job.status = 'PROGRESSING';
      job.startTime = new Date();
      job.percent = 0;
      await emit(job, 'PROGRESSING');
      const { bucket, key, url } = job.plan.input;
      const input = join(dir, `input${key.includes('.') ? key.slice(key.lastIndexOf('.')) : ''}`);
      try {
        await download(bucket, key, input);
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        if (isTransientAwsError(error)) throw engineFailure(error);
        throw new JobFailure(
          ERROR_CODES.INPUT,
          `Unable to open input file [${url}]: [Failed probe/open: [Can't read input stream: [${name}]]]`,
          { cause: error },
        );
      }
      let probed: FfprobeOutput;
      try {
        probed = await ffprobeJson(input);
      } catch (error) {
        throw new JobFailure(
          ERROR_CODES.INPUT,
          `Unable to open input file [${url}]: [Failed probe/open: [No parser found for container]]`,
          { cause: error },
        );
      }
      if (!probed.streams.some((stream) => stream.codec_type === 'video')) {
        throw new JobFailure(
          ERROR_CODES.INPUT,
          `Unable to open input file [${url}]: [Failed probe/open: [No video track found in input container]]`,
        );
      }
      const audioStreams = probed.streams.filter((stream) => stream.codec_type === 'audio').length;
      const inputDurationMs = Math.round(Number(probed.format.duration ?? 0) * 1000);
      const total = job.plan.groups.reduce((sum, group) => sum + group.outputs.length, 0);
      const renditions = job.plan.groups.flatMap((group) => group.outputs).filter((o) => o.kind === 'mp4');
      // The injected engine death kills the second rendition's ffmpeg (the first is written by then),
      // or the only one's when the video's ladder has one rendition.
      const dying = renditions[Math.min(1, renditions.length - 1)];
      let done = 0;
      const groups: OutputDetail[][] = [];
      for (const group of job.plan.groups) {
        const details: OutputDetail[] = [];
        for (const output of group.outputs) {
          stopIfCanceled(job);
          const rendering =
            output.kind === 'mp4'
              ? renderMp4(job, output, group.destination.bucket, input, dir, audioStreams)
              : renderFrames(job, output, group.destination.bucket, input, dir, inputDurationMs);
          if (fault === 'die-mid-job' && output === dying) job.engine.abort();
          details.push(await rendering);
          done += 1;
          stopIfCanceled(job);
          job.percent = Math.min(99, Math.round((done / total) * 100));
          await emit(job, 'STATUS_UPDATE', {
            framesDecoded: 0,
            jobProgress: { jobPercentComplete: job.percent, currentPhase: 'TRANSCODING', retryCount: 0 },
          });
        }
        groups.push(details);
      }
      stopIfCanceled(job);
      job.groups = groups;
      job.status = 'COMPLETE';
      job.percent = 100;
      job.finishTime = new Date();
      for (const [g, details] of groups.entries())
        for (const [o, d] of details.entries())
          options.usage?.transcoderOutput({
            backend: 'mediaconvert',
            durationMs: d.durationInMs,
            width: d.widthInPx,
            height: d.heightInPx,
            frameCapture: job.plan.groups[g]?.outputs[o]?.kind === 'frame-capture',
          });
      if (fault === 'lose-completion') return;
      await emit(job, 'COMPLETE', {
        outputGroupDetails: groups.map((details) => ({
          outputDetails: details.map((detail) => ({
            outputFilePaths: [detail.path],
            durationInMs: detail.durationInMs,
            videoDetails: {
              widthInPx: detail.widthInPx,
              heightInPx: detail.heightInPx,
              ...(detail.averageBitrate !== undefined && { averageBitrate: detail.averageBitrate }),
            },
          })),
          type: 'FILE_GROUP',
        })),
        paddingInserted: 0,
        blackVideoDetected: 0,
      });
    } catch (error) {
      // CancelJob reports the cancellation itself, once the job has stopped; a stopped emulator says nothing.
      if (job.status === 'CANCELED' || stopped) return;
      const failure = error instanceof JobFailure ? error : engineFailure(error);
      job.status = 'ERROR';
      job.errorCode = failure.code;
      job.errorMessage = failure.message;
      job.finishTime = new Date();
      await emit(job, 'ERROR', { errorCode: failure.code, errorMessage: failure.message });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  function createJob(body: Record<string, unknown>): { job: Job; created: boolean } {
    const plan = planJob(body);
    const existing = plan.clientRequestToken ? byToken.get(plan.clientRequestToken) : undefined;
    if (existing) return { job: existing, created: false };
    const id = `${Date.now()}-${randomBytes(3).toString('hex')}`;
    const { clientRequestToken: _token, ...wire } = body;
    const job: Job = {
      id,
      arn: `arn:aws:mediaconvert:${region}:${account}:jobs/${id}`,
      plan,
      wire: { ...wire, queue: plan.queue ?? `arn:aws:mediaconvert:${region}:${account}:queues/Default` },
      submitTime: new Date(),
      abort: new AbortController(),
      engine: new AbortController(),
      status: 'SUBMITTED',
    };
    jobs.set(id, job);
    if (plan.clientRequestToken) byToken.set(plan.clientRequestToken, job);
    options.onJobCreated?.({
      jobId: id,
      ...(plan.userMetadata.videoId && { videoId: plan.userMetadata.videoId }),
    });
    queue = queue.then(() => run(job)).catch(onError);
    return { job, created: true };
  }

  /**
   * CancelJob: a SUBMITTED or PROGRESSING job becomes CANCELED; ffmpeg is killed and nothing more is
   * written (an upload already under way finishes before this answers). The CANCELED event follows.
   * A job that ended already is a ConflictException, as in MediaConvert.
   */
  async function cancelJob(id: string): Promise<void> {
    const job = jobs.get(id);
    if (!job) throw new ServiceError(404, 'NotFoundException', `The specified job ${id} does not exist.`);
    if (job.status !== 'SUBMITTED' && job.status !== 'PROGRESSING') {
      throw new ServiceError(
        409,
        'ConflictException',
        `The job ${id} can't be canceled because its status is ${job.status}.`,
      );
    }
    job.status = 'CANCELED';
    job.finishTime = new Date();
    job.abort.abort();
    await job.running;
    await emit(job, 'CANCELED');
  }

  async function probe(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const files = Array.isArray(body.inputFiles) ? body.inputFiles : [];
    if (files.length === 0) throw new JobSettingsError('/inputFiles', 'Should list at least one file.');
    const results: Record<string, unknown>[] = [];
    for (const [index, file] of files.entries()) {
      const url =
        typeof file === 'object' && file !== null ? (file as { fileUrl?: unknown }).fileUrl : undefined;
      if (typeof url !== 'string') throw new JobSettingsError(`/inputFiles/${index}/fileUrl`, 'Is required.');
      const { bucket, key } = parseS3Url(url, `/inputFiles/${index}/fileUrl`);
      const dir = await mkdtemp(join(options.workDir, 'probe-'));
      try {
        const local = join(dir, 'input');
        try {
          await download(bucket, key, local);
        } catch (error) {
          throw new JobSettingsError(
            `/inputFiles/${index}/fileUrl`,
            `Unable to read ${url}: ${error instanceof Error ? error.name : String(error)}.`,
          );
        }
        try {
          results.push(probeResult(await ffprobeJson(local), key));
        } catch {
          throw new JobSettingsError(
            `/inputFiles/${index}/fileUrl`,
            `Unable to probe ${url}: no parser found for container.`,
          );
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    return { probeResults: results };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const jobMatch = /^\/2017-08-29\/jobs\/([^/]+)$/.exec(path);
    try {
      if (request.method === 'POST' && (path === '/2017-08-29/jobs' || path === '/2017-08-29/probe')) {
        let body: unknown;
        try {
          body = JSON.parse((await readBody(request)) || '{}');
        } catch {
          sendError(response, 400, 'BadRequestException', 'The request body is not JSON.');
          return;
        }
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          sendError(response, 400, 'BadRequestException', 'The request body should be a JSON object.');
          return;
        }
        if (path === '/2017-08-29/probe') {
          sendJson(response, 200, await probe(body as Record<string, unknown>));
          return;
        }
        const stall = options.faults?.stall('CreateJob');
        if (stall !== undefined) {
          // The injected hang: the request is never processed, its connection dropped after a while.
          await new Promise((resolve) => setTimeout(resolve, stall));
          request.socket.destroy();
          return;
        }
        const { job } = createJob(body as Record<string, unknown>);
        sendJson(response, 201, { job: wireJob(job) });
        return;
      }
      if (request.method === 'DELETE' && jobMatch?.[1]) {
        await cancelJob(decodeURIComponent(jobMatch[1]));
        sendJson(response, 202, {});
        return;
      }
      if (request.method === 'GET' && jobMatch?.[1]) {
        const job = jobs.get(decodeURIComponent(jobMatch[1]));
        if (!job) {
          sendError(response, 404, 'NotFoundException', `The specified job ${jobMatch[1]} does not exist.`);
          return;
        }
        sendJson(response, 200, { job: wireJob(job) });
        return;
      }
      sendError(
        response,
        404,
        'NotFoundException',
        `${request.method} ${path} is not implemented by the local MediaConvert emulator (CreateJob, GetJob, CancelJob and Probe are).`,
      );
    } catch (error) {
      if (error instanceof ServiceError) {
        sendError(response, error.status, error.type, error.message);
        return;
      }
      if (error instanceof JobSettingsError) {
        sendError(response, 400, 'BadRequestException', error.message);
        return;
      }
      onError(error);
      sendError(
        response,
        500,
        'InternalServerErrorException',
        error instanceof Error ? error.message : String(error),
      );
    }
  }

  const server = createServer((request, response) => {
    void handle(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const endpoint = `http://${options.host ?? '127.0.0.1'}:${address.port}`;

  return {
    endpoint,
    idle: async () => {
      let current: Promise<void>;
      do {
        current = queue;
        await current;
      } while (current !== queue);
    },
    stop: async () => {
      stopped = true;
      for (const job of jobs.values()) job.abort.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await queue;
    },
  };
}
