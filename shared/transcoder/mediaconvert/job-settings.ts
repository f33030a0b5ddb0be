import { createHash } from 'node:crypto';
import type { CreateJobRequest, Input, Output, OutputGroup } from '@aws-sdk/client-mediaconvert';
import { outputPrefix, posterBaseKey, RENDITIONS, type Rendition, renditionBox } from '#shared/video';
import type { TranscodeRequest } from '../port.ts';

/** How MediaConvert encodes one rendition: H.264 QVBR capped at `maxBitrate`, AAC stereo at `audioBitrate`. */
export interface MediaConvertRenditionEncoding {
  readonly profile: 'HIGH' | 'MAIN';
  /** QVBR quality level, 1 (smallest) to 10 (best). */
  readonly qvbrQualityLevel: number;
  /** Peak video bit rate in bits per second; QVBR never exceeds it. */
  readonly maxBitrate: number;
  /** AAC bit rate in bits per second. */
  readonly audioBitrate: number;
}

/**
 * The three renditions in MediaConvert terms. QVBR spends bits where the picture needs them (a still
 * scene costs far less than the cap). Levels and caps follow AWS's recommended QVBR values (the
 * `qvbrQualityLevel` reference of MediaLive/MediaConvert): big screens 8 at ~4–5 Mb/s, PCs and tablets 7 at
 * 1.5–3 Mb/s, phones 6 at 1–1.5 Mb/s. The web rendition is the phone-sized one.
 */
export const MEDIACONVERT_RENDITIONS: Readonly<Record<Rendition, MediaConvertRenditionEncoding>> = {
  '1080p': { profile: 'HIGH', qvbrQualityLevel: 8, maxBitrate: 5_000_000, audioBitrate: 160_000 },
  '720p': { profile: 'MAIN', qvbrQualityLevel: 7, maxBitrate: 3_000_000, audioBitrate: 128_000 },
  'web-720p': { profile: 'MAIN', qvbrQualityLevel: 6, maxBitrate: 1_500_000, audioBitrate: 96_000 },
};

/** Name of the one input audio selector; every rendition's audio reads from it. */
export const AUDIO_SELECTOR = 'Audio Selector 1';

/** The box the poster frame must fit in (never upscaled), turned for portrait sources like the renditions'. */
export const POSTER_BOX = { width: 1280, height: 720 } as const;

/** Everything besides the video that shapes a video's CreateJob request. */
export interface MediaConvertJobOptions {
  readonly queueArn: string;
  readonly roleArn: string;
  readonly outputBucket: string;
  /**
   * Whether the input has an audio track. MediaConvert fails a job whose audio selector finds no
   * track ("Audio track [1] not found in input container"), so audio is only asked for when present.
   */
  readonly hasAudio: boolean;
  /**
   * The source as displayed: portrait sources get every box turned (1080×1920, 720×1280), so they keep
   * their resolution; landscape (the default) when the probe could not tell.
   */
  readonly orientation?: 'landscape' | 'portrait';
}

/**
 * The `s3://` URL MediaConvert reads or writes. MediaConvert takes the key as stored (not URL-encoded):
 * an encoded key would name another object.
 */
export function s3Url(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

/**
 * The CreateJob idempotency token of a video's job: the same video, input and attempt always give the
 * same token, so a retried CreateJob inside MediaConvert's idempotency window returns the first job
 * instead of a second one, while the replacement of a failed job (the next attempt) is a new job.
 */
export function clientRequestToken(request: TranscodeRequest): string {
  const attempt = request.attempt ?? 1;
  const digest = createHash('sha256')
    .update(
      `${request.videoId}\n${request.input.bucket}\n${request.input.key}${attempt > 1 ? `\n${attempt}` : ''}`,
    )
    .digest('hex')
    .slice(0, 16);
  return `${request.videoId}-${digest}`;
}

function renditionOutput(rendition: Rendition, options: MediaConvertJobOptions): Output {
  const box = renditionBox(rendition, options.orientation ?? 'landscape');
  const encoding = MEDIACONVERT_RENDITIONS[rendition];
  return {
    ContainerSettings: {
      Container: 'MP4',
      // moov before mdat ("faststart"): playback starts before the download ends.
      Mp4Settings: { MoovPlacement: 'PROGRESSIVE_DOWNLOAD' },
    },
    VideoDescription: {
      Width: box.width,
      Height: box.height,
      // Shrinks to fit the box keeping the aspect ratio (portrait stays portrait), never enlarges, never pads.
      ScalingBehavior: 'FIT_NO_UPSCALE',
      CodecSettings: {
        Codec: 'H_264',
        H264Settings: {
          RateControlMode: 'QVBR',
          QvbrSettings: { QvbrQualityLevel: encoding.qvbrQualityLevel },
          MaxBitrate: encoding.maxBitrate,
          CodecProfile: encoding.profile,
          CodecLevel: 'AUTO',
          SceneChangeDetect: 'TRANSITION_DETECTION',
          QualityTuningLevel: 'SINGLE_PASS_HQ',
        },
      },
    },
    ...(options.hasAudio && {
      AudioDescriptions: [
        {
          AudioSourceName: AUDIO_SELECTOR,
          CodecSettings: {
            Codec: 'AAC',
            AacSettings: {
              Bitrate: encoding.audioBitrate,
              CodingMode: 'CODING_MODE_2_0',
              SampleRate: 48_000,
            },
          },
        },
      ],
    }),
  };
}

/**
 * One File group per rendition: a group's Destination ending in a base name makes MediaConvert write
 * `<base>.mp4`, while several outputs in one group would each need a name modifier appended to a shared base.
 */
function renditionGroup(rendition: Rendition, videoId: string, options: MediaConvertJobOptions): OutputGroup {
  return {
    Name: rendition,
    OutputGroupSettings: {
      Type: 'FILE_GROUP_SETTINGS',
      FileGroupSettings: { Destination: s3Url(options.outputBucket, `${outputPrefix(videoId)}${rendition}`) },
    },
    Outputs: [renditionOutput(rendition, options)],
  };
}

/** Frame capture of the first frame: MediaConvert names it `<base>.0000000.jpg`, so `videos/<id>/poster.0000000.jpg`. */
function posterGroup(videoId: string, options: MediaConvertJobOptions): OutputGroup {
  const portrait = options.orientation === 'portrait';
  return {
    Name: 'poster',
    OutputGroupSettings: {
      Type: 'FILE_GROUP_SETTINGS',
      FileGroupSettings: { Destination: s3Url(options.outputBucket, posterBaseKey(videoId)) },
    },
    Outputs: [
      {
        ContainerSettings: { Container: 'RAW' },
        VideoDescription: {
          Width: portrait ? POSTER_BOX.height : POSTER_BOX.width,
          Height: portrait ? POSTER_BOX.width : POSTER_BOX.height,
          ScalingBehavior: 'FIT_NO_UPSCALE',
          CodecSettings: {
            Codec: 'FRAME_CAPTURE',
            FrameCaptureSettings: {
              FramerateNumerator: 1,
              FramerateDenominator: 1,
              MaxCaptures: 1,
              Quality: 80,
            },
          },
        },
      },
    ],
  };
}

function jobInput(request: TranscodeRequest, hasAudio: boolean): Input {
  return {
    FileInput: s3Url(request.input.bucket, request.input.key),
    // Phones record portrait as landscape plus a rotation tag; MediaConvert ignores the tag unless told.
    VideoSelector: { Rotate: 'AUTO' },
    TimecodeSource: 'ZEROBASED',
    ...(hasAudio && { AudioSelectors: { [AUDIO_SELECTOR]: { DefaultSelection: 'DEFAULT' } } }),
  };
}

/**
 * The one CreateJob request of a video: an MP4 for each rendition of its ladder and a poster under `videos/<videoId>/`,
 * `videoId` in the user metadata (EventBridge events carry it back), a token derived from the video.
 */
export function buildMediaConvertJob(
  request: TranscodeRequest,
  options: MediaConvertJobOptions,
): CreateJobRequest {
  return {
    Queue: options.queueArn,
    Role: options.roleArn,
    ClientRequestToken: clientRequestToken(request),
    UserMetadata: { videoId: request.videoId },
    StatusUpdateInterval: 'SECONDS_30',
    Settings: {
      TimecodeConfig: { Source: 'ZEROBASED' },
      Inputs: [jobInput(request, options.hasAudio)],
      OutputGroups: [
        ...(request.renditions ?? RENDITIONS).map((rendition) =>
          renditionGroup(rendition, request.videoId, options),
        ),
        posterGroup(request.videoId, options),
      ],
    },
  };
}
