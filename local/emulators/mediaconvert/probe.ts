import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { type FfprobeOutput, type FfprobeStream, ffprobeJson } from '#local/media';
import { download } from './render.ts';
import { JobSettingsError, parseS3Url } from './settings.ts';

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

/** Probe: each listed file read from S3 and described by ffprobe, as MediaConvert's Probe API answers. */
export async function probeFiles(
  s3: S3Client,
  workDir: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const files = Array.isArray(body.inputFiles) ? body.inputFiles : [];
  if (files.length === 0) throw new JobSettingsError('/inputFiles', 'Should list at least one file.');
  const results: Record<string, unknown>[] = [];
  for (const [index, file] of files.entries()) {
    const url =
      typeof file === 'object' && file !== null ? (file as { fileUrl?: unknown }).fileUrl : undefined;
    if (typeof url !== 'string') throw new JobSettingsError(`/inputFiles/${index}/fileUrl`, 'Is required.');
    const { bucket, key } = parseS3Url(url, `/inputFiles/${index}/fileUrl`);
    const dir = await mkdtemp(join(workDir, 'probe-'));
    try {
      const local = join(dir, 'input');
      try {
        await download(s3, bucket, key, local);
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
