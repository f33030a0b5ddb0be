import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ffprobeJson, renditionArgs, runFfmpeg } from '#local/media';
import { ERROR_CODES, type Job, JobFailure, type OutputDetail, stopIfCanceled } from './job.ts';
import type { PlannedFrameCapture, PlannedMp4Output } from './settings.ts';

function fitFilter(box: { width: number; height: number } | undefined): string {
  if (!box) return 'scale=trunc(iw/2)*2:trunc(ih/2)*2';
  return (
    `scale=w='min(${box.width},iw)':h='min(${box.height},ih)':force_original_aspect_ratio=decrease,` +
    'scale=trunc(iw/2)*2:trunc(ih/2)*2'
  );
}

export async function download(s3: S3Client, bucket: string, key: string, file: string): Promise<void> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  await pipeline(object.Body as Readable, createWriteStream(file));
}

async function upload(
  s3: S3Client,
  bucket: string,
  key: string,
  file: string,
  contentType: string,
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: await readFile(file),
      ContentType: contentType,
    }),
  );
}

export async function describe(path: string, file: string): Promise<OutputDetail> {
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

/** Encodes one MP4 output with ffmpeg, uploads it and describes it. */
export async function renderMp4(
  s3: S3Client,
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
  await upload(s3, bucket, output.key, file, 'video/mp4');
  return describe(`s3://${bucket}/${output.key}`, file);
}

/** Captures the frames of one frame-capture output as JPEGs and uploads them; describes the last. */
export async function renderFrames(
  s3: S3Client,
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
    await upload(s3, bucket, last, join(framesDir, frame), 'image/jpeg');
  }
  // The event lists only the final captured image of a frame-capture output.
  const detail = await describe(`s3://${bucket}/${last}`, join(framesDir, frames[frames.length - 1] ?? ''));
  return { ...detail, durationInMs: inputDurationMs };
}
